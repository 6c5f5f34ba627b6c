#!/usr/bin/env bash
# Foundation re-exports Glibc on Linux, so the compiler cannot keep system calls out of the pure
# targets. This grep can: DevEnvCore, TerminalUI and Dashboard stay pure (DESIGN.md section 2).
set -uo pipefail
cd "$(dirname "$0")/../.."
pure=(Sources/DevEnvCore Sources/TerminalUI Sources/Dashboard)
pattern='\b(posix_spawn[a-z_]*|tcsetattr|tcgetattr|ioctl|signal|sigaction|poll|fork|execv[a-z]*|getuid|getgid|geteuid|getenv|fopen|opendir|Process\(\)|FileManager|ProcessInfo|usleep|nanosleep|kill|waitpid)\s*\('
found=$(grep -rnE "$pattern" "${pure[@]}" --include='*.swift' | grep -vE '^\S+:\s*//' || true)
status=0
if [ -n "$found" ]; then
  echo "lint: system calls in pure targets (move them to DevEnvSystem behind a port):"
  echo "$found"
  status=1
fi
# No force unwraps or try! outside tests (DESIGN.md section 3.7).
trybang=$(grep -rnE '\btry!' Sources --include='*.swift' || true)
if [ -n "$trybang" ]; then
  echo "lint: try! in Sources:"; echo "$trybang"; status=1
fi
# A `!` right after a name, `)` or `]` and before `.`, `,`, `)`, `]`, a space or the line's end is
# a force unwrap (`!=` and a prefix `!` are not matched); whole-line comments are skipped. Text
# such as "done! " inside a string would match too: write it otherwise.
unwraps=$(grep -rnE '[A-Za-z0-9_)]!([.,) ]|\]|$)' Sources --include='*.swift' | grep -vE '^\S+:\s*//' || true)
if [ -n "$unwraps" ]; then
  echo "lint: force unwraps in Sources (use guard let, or say why it cannot be nil and throw):"; echo "$unwraps"; status=1
fi
# All of Foundation is never linked into devenv: it brings CoreFoundation and libdispatch, whose
# initialisers run at every start, and some 76,000 relocations (issue 14, start-up cost). Only
# FoundationEssentials, with the whole module as the fallback where that does not exist
# (`#if canImport(FoundationEssentials) ... #else import Foundation`); DevEnvCore's Lock stands in
# for NSLock.
foundation=$(for file in $(grep -rlE '^\s*import Foundation\s*$' Sources --include='*.swift'); do
  awk -v file="$file" '/^[[:space:]]*import Foundation[[:space:]]*$/ && previous !~ /^[[:space:]]*#else/ { print file ":" NR ": " $0 }
    { previous = $0 }' "$file"
done)
if [ -n "$foundation" ]; then
  echo "lint: import Foundation outside the #if canImport(FoundationEssentials) fallback:"; echo "$foundation"; status=1
fi
# No package dependencies, by the user's rule.
if grep -q '\.package(' Package.swift; then
  echo "lint: Package.swift names a package dependency"; status=1
fi
# The shipped profiles compiled into the binary must be Profiles/ exactly.
Tests/Scripts/generate-shipped-profiles.sh --check || status=1
[ $status -eq 0 ] && echo "lint: ok"
exit $status
