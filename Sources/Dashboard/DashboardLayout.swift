import TerminalUI

/// Where each pane goes for a terminal size. Update (mouse, paging) and view use the same one.
///
///   header                                     (1 row)
///   environments            | details          (the list's height, at least 8 rows)
///   logs                    | action           (side by side from 120 columns, else stacked)
///   status bar                                 (1 row)
public struct DashboardLayout: Sendable {
    public var header: Rect
    public var environments: Rect
    public var details: Rect
    public var logs: Rect
    public var action: Rect
    public var status: Rect

    public init(size: Size, environmentCount: Int) {
        let whole = Rect(x: 0, y: 0, width: size.width, height: size.height)
        // The status bar (where errors are said) and the header come first: in a short
        // terminal the panes get what is left, never their rows.
        let headerHeight = min(1, max(0, size.height - 1))
        let upperHeight = min(max(10, environmentCount + 3, size.height / 3), max(6, size.height / 2),
                              max(0, size.height - headerHeight - 1))
        let rows = Layout.split(whole, .vertical, [.fixed(headerHeight), .fixed(upperHeight), .fill(1), .fixed(1)])
        header = rows[0]
        status = rows[3]
        let upper = Layout.split(rows[1], .horizontal, size.width >= 100 ? [.fill(11), .fill(9)] : [.fill(9), .fill(8)])
        environments = upper[0]
        details = upper[1]
        if size.width >= 120 {
            let lower = Layout.split(rows[2], .horizontal, [.fill(3), .fill(2)])
            logs = lower[0]
            action = lower[1]
        } else {
            let lower = Layout.split(rows[2], .vertical, [.fill(1), .fill(1)])
            logs = lower[0]
            action = lower[1]
        }
    }
}
