/// A TOML local time (RFC 3339 `partial-time`, `07:32:00.999`): hour 0-23, minute 0-59, second
/// 0-60 (a leap second is allowed).
public struct TOMLTime: Sendable, Hashable {
    public var hour: Int, minute: Int, second: Int
    /// Fractional seconds, in nanoseconds (TOML allows more digits; the rest are truncated).
    public var nanosecond: Int
    public init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0) {
        self.hour = hour; self.minute = minute; self.second = second; self.nanosecond = nanosecond
    }
}

extension TOMLTime: CustomStringConvertible {
    /// `07:32:00` or `07:32:00.999` (fraction without trailing zeros).
    public var description: String {
        var text = "\(TOMLDate.padded(hour, 2)):\(TOMLDate.padded(minute, 2)):\(TOMLDate.padded(second, 2))"
        if nanosecond > 0 {
            var fraction = TOMLDate.padded(nanosecond, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text
    }
}
