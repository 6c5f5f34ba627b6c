/// Where the log view is: following the end, or parked at a line; wrapping; what to highlight.
public struct LogViewState: Hashable, Sendable {
    /// Show the newest lines as they arrive.
    public var follow: Bool
    public var wrap: Bool
    /// Keep the SGR colours of log lines (false: plain text).
    public var keepColors: Bool
    /// Line number (see `LogBuffer`) of the top row when not following.
    public var topLine: Int
    /// Highlighted wherever it occurs (case-insensitive).
    public var search: String?

    public init(follow: Bool = true, wrap: Bool = false, keepColors: Bool = true, topLine: Int = 0, search: String? = nil) {
        self.follow = follow
        self.wrap = wrap
        self.keepColors = keepColors
        self.topLine = topLine
        self.search = search
    }

    /// Scrolls by whole lines; scrolling up leaves follow mode, reaching the end resumes it.
    public mutating func scroll(by delta: Int, buffer: LogBuffer, visibleRows: Int) {
        let lastTop = max(buffer.firstLineNumber, buffer.totalAppended - max(1, visibleRows))
        let current = follow ? lastTop : min(max(topLine, buffer.firstLineNumber), lastTop)
        let target = min(max(current + delta, buffer.firstLineNumber), lastTop)
        topLine = target
        follow = target >= lastTop
    }

    public mutating func scrollToTop(buffer: LogBuffer) {
        topLine = buffer.firstLineNumber
        follow = false
    }

    /// Parks the view so that line `n` is at the top (e.g. the next search match).
    public mutating func reveal(line n: Int, buffer: LogBuffer, visibleRows: Int) {
        topLine = n
        follow = false
        scroll(by: 0, buffer: buffer, visibleRows: visibleRows)
        follow = false
    }
}
