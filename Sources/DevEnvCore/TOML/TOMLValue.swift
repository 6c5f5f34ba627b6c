/// Only the date and time cases are boxed (`indirect`): they are the large ones, and boxing
/// every case would cost an allocation per scalar. The rest fit in 16 bytes and a tag, which
/// keeps every `TOMLNode` small.
public enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// `1979-05-27T07:32:00-07:00`; the offset in minutes east of UTC (`Z` is 0).
    indirect case offsetDateTime(TOMLDate, TOMLTime, offsetMinutes: Int)
    indirect case localDateTime(TOMLDate, TOMLTime)
    indirect case localDate(TOMLDate)
    indirect case localTime(TOMLTime)
    case array([TOMLNode])
    case table(TOMLTable)

    /// The name used in error messages: "a string", "an integer", "a table" ...
    public var typeDescription: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .offsetDateTime: return "an offset date-time"
        case .localDateTime: return "a local date-time"
        case .localDate: return "a local date"
        case .localTime: return "a local time"
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}

extension TOMLValue {
    /// An offset as RFC 3339 writes it: `Z`, `+05:30`, `-07:00`.
    public static func offsetDescription(minutes: Int) -> String {
        if minutes == 0 { return "Z" }
        let magnitude = abs(minutes)
        return (minutes < 0 ? "-" : "+") + TOMLDate.padded(magnitude / 60, 2) + ":" + TOMLDate.padded(magnitude % 60, 2)
    }
}
