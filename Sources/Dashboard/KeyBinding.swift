import TerminalUI

/// One key of the dashboard, as declared in `DashboardKeymap.bindings`: the key handler, the
/// status bar's hints, the help overlay and README's key table all read it.
public struct KeyBinding: Sendable {
    /// Where a key applies, and the help overlay's groups, in this order.
    public enum Context: String, Sendable, CaseIterable {
        /// Whatever pane is focused.
        case anywhere
        /// Acts on the selected environment, from any pane (its hints show with the list focused).
        case environment
        /// The environments list is focused.
        case list
        case details
        case logs
        case action
        /// The profile picker (`p`) is open: its keys only.
        case picker

        public var title: String {
            switch self {
            case .anywhere: "anywhere"
            case .environment: "the selected environment (any pane)"
            case .list: "environments list"
            case .logs: "logs pane"
            case .details: "details pane"
            case .action: "action pane"
            case .picker: "profile picker (p)"
            }
        }

        /// The contexts whose keys work with `pane` focused, most specific first.
        static func active(focus: Pane) -> [Context] {
            switch focus {
            case .environments: [.list, .environment, .anywhere]
            case .logs: [.logs, .environment, .anywhere]
            case .details: [.details, .environment, .anywhere]
            case .action: [.action, .environment, .anywhere]
            }
        }
    }

    /// What a key does; `DashboardState.perform` carries it out.
    public enum Action: Hashable, Sendable {
        case quit, redraw, suspend, help, nextPane, previousPane, backToList
        case moveUp, moveDown, pageUp, pageDown, top, bottom
        case up, down, downVolumes, restart, build, syncDeps, cleanCache, shell, exec, pickProfile
        case focusLogs, search, findNext, findPrevious, toggleFollow, toggleWrap
        /// The picker: take the highlighted profile, or close it as it was.
        case choose, cancel
    }

    public let keys: [KeyEvent]
    /// How help, hints and README spell the keys: "↑ k", "Ctrl-L".
    public let label: String
    public let context: Context
    public let action: Action
    /// The status bar's word for it ("build"); nil: listed in help only.
    public let hint: String?
    public let help: String

    public init(_ keys: [KeyEvent], _ label: String, _ context: Context, _ action: Action, hint: String? = nil,
                _ help: String) {
        self.keys = keys
        self.label = label
        self.context = context
        self.action = action
        self.hint = hint
        self.help = help
    }

    /// The help overlay's line: the keys in a column, then what they do.
    public var helpLine: String { label.padding(11) + help }

    /// Shift is part of the character itself (`D`, `?`, `G`), so it is not compared.
    public func matches(_ event: KeyEvent) -> Bool {
        keys.contains { key in
            key.key == event.key && key.modifiers.subtracting(.shift) == event.modifiers.subtracting(.shift)
        }
    }
}
