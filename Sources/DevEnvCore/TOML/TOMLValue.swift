/// A decoded TOML document keeps where every key and value stood, so that configuration errors
/// can say `file:line:col`.

public struct TOMLDate: Sendable, Hashable {
    public var year: Int, month: Int, day: Int
    public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }
}

public struct TOMLTime: Sendable, Hashable {
    public var hour: Int, minute: Int, second: Int
    /// Fractional seconds, in nanoseconds (TOML allows more digits; the rest are truncated).
    public var nanosecond: Int
    public init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0) {
        self.hour = hour; self.minute = minute; self.second = second; self.nanosecond = nanosecond
    }
}

public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// `1979-05-27T07:32:00-07:00`; the offset in minutes east of UTC (`Z` is 0).
    case offsetDateTime(TOMLDate, TOMLTime, offsetMinutes: Int)
    case localDateTime(TOMLDate, TOMLTime)
    case localDate(TOMLDate)
    case localTime(TOMLTime)
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

/// A value and where it stood. `keyLocation` is where its key was written (the header for a
/// `[table]`), nil for array elements and the root.
public struct TOMLNode: Sendable, Equatable {
    public var value: TOMLValue
    public var location: SourceLocation
    public var keyLocation: SourceLocation?

    public init(_ value: TOMLValue, at location: SourceLocation, keyLocation: SourceLocation? = nil) {
        self.value = value
        self.location = location
        self.keyLocation = keyLocation
    }
}

/// A table with its keys in the order they were first defined.
public struct TOMLTable: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var nodes: [String: TOMLNode] = [:]

    public init() {}

    public subscript(key: String) -> TOMLNode? {
        get { nodes[key] }
        set {
            if let newValue {
                if nodes.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if nodes.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var isEmpty: Bool { keys.isEmpty }
    public var count: Int { keys.count }

    /// The entries in definition order.
    public var entries: [(key: String, node: TOMLNode)] { keys.compactMap { k in nodes[k].map { (k, $0) } } }
}

/// A document that is not valid TOML, with the place and what was expected there:
/// `devenv.toml:7:12: expected '=' after key "ports"`.
public struct TOMLDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): \(message)" }
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

extension TOMLValue {
    /// An offset as RFC 3339 writes it: `Z`, `+05:30`, `-07:00`.
    public static func offsetDescription(minutes: Int) -> String {
        if minutes == 0 { return "Z" }
        let magnitude = abs(minutes)
        return (minutes < 0 ? "-" : "+") + TOMLDate.padded(magnitude / 60, 2) + ":" + TOMLDate.padded(magnitude % 60, 2)
    }
}
