// Dashboard: see DESIGN.md section 2. Placeholder so the target builds until its first file lands.
