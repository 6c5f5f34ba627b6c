/// A line of text made of styled spans.
public struct StyledText: Hashable, Sendable, ExpressibleByStringLiteral {
    public var spans: [StyledSpan]

    public init(_ spans: [StyledSpan] = []) { self.spans = spans }
    public init(_ text: String, style: Style = .plain) { self.spans = [StyledSpan(text, style: style)] }
    public init(stringLiteral value: String) { self.init(value) }

    public var plainText: String { spans.map(\.text).joined() }
    public var displayWidth: Int { spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }

    public mutating func append(_ text: String, style: Style = .plain) {
        if let last = spans.last, last.style == style {
            spans[spans.count - 1].text += text
        } else {
            spans.append(StyledSpan(text, style: style))
        }
    }
}
