/// A TOML local date (RFC 3339 `full-date`, `1979-05-27`): year, month 1-12, day 1-31.
public struct TOMLDate: Sendable, Hashable {
    public var year: Int, month: Int, day: Int
    public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }
}

extension TOMLDate: CustomStringConvertible {
    /// `1979-05-27`.
    public var description: String {
        "\(Self.padded(year, 4))-\(Self.padded(month, 2))-\(Self.padded(day, 2))"
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
