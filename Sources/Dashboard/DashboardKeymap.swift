import TerminalUI

// The dashboard's keys, declared once. `DashboardState.handleKey` dispatches through this list,
// the status bar shows the `hint`s of the focused pane's contexts (always keeping `? help` and
// `q quit`), the help overlay lists every entry grouped by context, and a test checks README's
// key table against it. To add a key: one `KeyBinding` here (a new `Action` case if it does
// something new, carried out in `DashboardState.perform`) and a row in README's key table.

/// The table itself: see the note above. Order matters twice: for a key bound in several
/// contexts the focused pane's binding wins, and within a context hints are dropped from the end
/// when the status bar is short of room.
public enum DashboardKeymap {
    static func k(_ c: Character, _ modifiers: KeyModifiers = []) -> KeyEvent { KeyEvent.char(c, modifiers) }

    public static let bindings: [KeyBinding] = [
        // Anywhere.
        KeyBinding([k("?")], "?", .anywhere, .help, hint: "help", "this list of keys"),
        KeyBinding([k("q"), k("c", .ctrl)], "q Ctrl-C", .anywhere, .quit, hint: "quit",
                   "quit (asks while an action runs)"),
        KeyBinding([KeyEvent(.tab), KeyEvent(.enter)], "Tab Enter", .anywhere, .nextPane, hint: "pane",
                   "next pane: list, details, logs, action"),
        KeyBinding([KeyEvent(.backTab)], "Shift-Tab", .anywhere, .previousPane, "previous pane"),
        KeyBinding([KeyEvent(.escape)], "Esc", .anywhere, .backToList, "back to the environments list"),
        KeyBinding([k("l", .ctrl)], "Ctrl-L", .anywhere, .redraw,
                   "redraw, and check the environments (staleness) again"),
        KeyBinding([k("z", .ctrl)], "Ctrl-Z", .anywhere, .suspend, "suspend devenv (resume with fg)"),
        KeyBinding([k("/")], "/", .anywhere, .search, "search the log"),
        KeyBinding([k("l")], "l", .anywhere, .focusLogs, hint: "logs", "focus the logs"),
        // The selected environment, from any pane.
        KeyBinding([k("u")], "u", .environment, .up, hint: "up", "up: build if needed, create volumes, start"),
        KeyBinding([k("d")], "d", .environment, .down, hint: "down", "down (asks)"),
        KeyBinding([k("D")], "D", .environment, .downVolumes,
                   "down --volumes --images (type the profile name to confirm)"),
        KeyBinding([k("b")], "b", .environment, .build, hint: "build", "build the image"),
        KeyBinding([k("r")], "r", .environment, .restart, hint: "restart", "restart"),
        KeyBinding([k("s")], "s", .environment, .shell, hint: "shell", "a shell in the container"),
        KeyBinding([k("e")], "e", .environment, .exec, hint: "exec", "run a typed command in the container (sh -c)"),
        KeyBinding([k("y")], "y", .environment, .syncDeps, hint: "sync", "sync-deps (uv sync)"),
        KeyBinding([k("c")], "c", .environment, .cleanCache, hint: "clean", "clean-cache"),
        KeyBinding([k("p")], "p", .environment, .pickProfile, hint: "profile",
                   "pick a profile from a list showing each one's state"),
        // The environments list.
        KeyBinding([KeyEvent(.up), k("k")], "↑ k", .list, .moveUp, hint: "select", "previous environment"),
        KeyBinding([KeyEvent(.down), k("j")], "↓ j", .list, .moveDown, "next environment"),
        KeyBinding([KeyEvent(.home), k("g")], "Home g", .list, .top, "first environment"),
        KeyBinding([KeyEvent(.end), k("G")], "End G", .list, .bottom, "last environment"),
        // The details pane.
        KeyBinding([KeyEvent(.up), k("k")], "↑ k", .details, .moveUp, hint: "scroll", "scroll up"),
        KeyBinding([KeyEvent(.down), k("j")], "↓ j", .details, .moveDown, "scroll down"),
        KeyBinding([KeyEvent(.pageUp)], "PgUp", .details, .pageUp, "a page up"),
        KeyBinding([KeyEvent(.pageDown)], "PgDn", .details, .pageDown, "a page down"),
        KeyBinding([KeyEvent(.home), k("g")], "Home g", .details, .top, "top"),
        KeyBinding([KeyEvent(.end), k("G")], "End G", .details, .bottom, "end"),
        // The logs pane.
        KeyBinding([KeyEvent(.up), k("k")], "↑ k", .logs, .moveUp, hint: "scroll", "scroll up (pauses following)"),
        KeyBinding([KeyEvent(.down), k("j")], "↓ j", .logs, .moveDown, "scroll down"),
        KeyBinding([KeyEvent(.pageUp)], "PgUp", .logs, .pageUp, "a page up"),
        KeyBinding([KeyEvent(.pageDown)], "PgDn", .logs, .pageDown, "a page down"),
        KeyBinding([KeyEvent(.home), k("g")], "Home g", .logs, .top, "the oldest line kept"),
        KeyBinding([KeyEvent(.end), k("G")], "End G", .logs, .bottom, "the end, following again"),
        KeyBinding([k("f")], "f", .logs, .toggleFollow, hint: "follow", "follow / pause"),
        KeyBinding([k("/")], "/", .logs, .search, hint: "search", "search"),
        KeyBinding([k("n")], "n", .logs, .findNext, hint: "next", "next match (wraps round)"),
        KeyBinding([k("N")], "N", .logs, .findPrevious, "previous match (wraps round)"),
        KeyBinding([k("w")], "w", .logs, .toggleWrap, hint: "wrap", "wrap long lines / cut them"),
        // The action pane.
        KeyBinding([KeyEvent(.up), k("k")], "↑ k", .action, .moveUp, hint: "scroll", "scroll up"),
        KeyBinding([KeyEvent(.down), k("j")], "↓ j", .action, .moveDown, "scroll down"),
        KeyBinding([KeyEvent(.pageUp)], "PgUp", .action, .pageUp, "a page up"),
        KeyBinding([KeyEvent(.pageDown)], "PgDn", .action, .pageDown, "a page down"),
        KeyBinding([KeyEvent(.home), k("g")], "Home g", .action, .top, "top"),
        KeyBinding([KeyEvent(.end), k("G")], "End G", .action, .bottom, "end"),
        KeyBinding([k("w")], "w", .action, .toggleWrap, hint: "wrap", "wrap long lines / cut them"),
        // The profile picker.
        KeyBinding([KeyEvent(.up), k("k")], "↑ k", .picker, .moveUp, hint: "move", "the profile above"),
        KeyBinding([KeyEvent(.down), k("j")], "↓ j", .picker, .moveDown, "the profile below"),
        KeyBinding([KeyEvent(.home), k("g")], "Home g", .picker, .top, "the first profile"),
        KeyBinding([KeyEvent(.end), k("G")], "End G", .picker, .bottom, "the last profile"),
        KeyBinding([KeyEvent(.enter)], "Enter", .picker, .choose, hint: "select", "select the highlighted profile"),
        KeyBinding([KeyEvent(.escape), k("p"), k("c", .ctrl)], "Esc p Ctrl-C", .picker, .cancel, hint: "cancel",
                   "close the picker, selection unchanged"),
    ]

    /// How help spells the keys of `action` in the contexts that act on an environment ("d"),
    /// for text that names the key (the details of an orphaned service row).
    public static func label(of action: KeyBinding.Action) -> String {
        bindings.first { $0.action == action && $0.context == .environment }?.label ?? "?"
    }

    /// `actions` as "u up · b build …": each one's key and status-bar word in the contexts that act
    /// on an environment (the idle action pane's line), so a rebound key shows its new label.
    public static func phrase(_ actions: [KeyBinding.Action]) -> String {
        actions.compactMap { action in
            bindings.first { $0.action == action && $0.context == .environment }
                .map { binding in binding.hint.map { "\(binding.label) \($0)" } ?? binding.label }
        }.joined(separator: " · ")
    }

    /// The binding `event` triggers with `focus`, the focused pane's own first.
    public static func binding(for event: KeyEvent, focus: Pane) -> KeyBinding? {
        for context in KeyBinding.Context.active(focus: focus) {
            if let found = binding(for: event, in: context) { return found }
        }
        return nil
    }

    /// The binding `event` triggers in `context` alone (an overlay's own keys).
    public static func binding(for event: KeyEvent, in context: KeyBinding.Context) -> KeyBinding? {
        bindings.first { $0.context == context && $0.matches(event) }
    }

    /// The hints of one context alone, in declaration order (an overlay's status bar).
    public static func hints(in context: KeyBinding.Context) -> [StatusBar.Hint] {
        bindings.filter { $0.context == context }.compactMap { binding in
            binding.hint.map { StatusBar.Hint(binding.label, $0) }
        }
    }

    /// The status bar's hints with `focus`: the pane's, then the environment's, then the
    /// global ones, `? help` and `q quit` last. `fitting(width:)` drops from the front.
    public static func hints(focus: Pane) -> [StatusBar.Hint] {
        var hints: [StatusBar.Hint] = []
        var seen: Set<String> = []
        let order: [KeyBinding.Context] = focus == .environments ? [.list, .environment, .anywhere]
            : KeyBinding.Context.active(focus: focus).filter { $0 != .environment }
        for context in order {
            for binding in bindings where binding.context == context {
                guard let hint = binding.hint, !seen.contains(binding.label) else { continue }
                seen.insert(binding.label)
                hints.append(StatusBar.Hint(binding.label, hint))
            }
        }
        return hints
    }

    /// The help overlay's lines: every key, grouped by context.
    public static var helpLines: [StyledText] {
        var lines: [StyledText] = []
        for context in KeyBinding.Context.allCases {
            let group = bindings.filter { $0.context == context }
            guard !group.isEmpty else { continue }
            if !lines.isEmpty { lines.append(StyledText("")) }
            lines.append(StyledText(context.title, style: Style(attributes: .bold)))
            for binding in group {
                lines.append(StyledText("  " + binding.helpLine))
            }
        }
        return lines
    }

    /// README's key table (between its `keys:` markers), so README and the dashboard agree.
    public static var markdownTable: String {
        var rows = ["| key | where | does |", "|---|---|---|"]
        for context in KeyBinding.Context.allCases {
            for binding in bindings where binding.context == context {
                rows.append("| \(binding.label) | \(context.title) | \(binding.help) |")
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }
}
