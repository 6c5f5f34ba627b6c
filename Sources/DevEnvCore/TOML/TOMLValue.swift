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

/// A value and where it stood. `keyLocation` is where its key was written (the header for a
/// `[table]`), nil for array elements and the root.
public struct TOMLNode: Sendable, Equatable {
    public var value: TOMLValue
    // The two places are stored compactly (one file name, 32-bit lines and columns filling the
    // value's padding, the rare second file name boxed: 64 bytes a node instead of 104), because
    // a document holds many nodes and their memory dominates the decoding time. Lines and
    // columns beyond 2^31 are clamped.
    private var line: Int32
    private var column: Int32
    /// 0 when there is no key location.
    private var keyLine: Int32 = 0
    private var keyColumn: Int32 = 0
    private var file: String
    private var keyFileBox: KeyFileName?

    /// Only when the key was written in another file than the value.
    private var keyFile: String? {
        get { keyFileBox?.name }
        set { keyFileBox = newValue.map(KeyFileName.init) }
    }

    private final class KeyFileName: Sendable {
        let name: String
        init(_ name: String) { self.name = name }
    }

    public init(_ value: TOMLValue, at location: SourceLocation, keyLocation: SourceLocation? = nil) {
        self.value = value
        self.file = location.file
        self.line = Int32(clamping: location.line)
        self.column = Int32(clamping: location.column)
        self.keyLocation = keyLocation
    }

    /// What `init(_:at:keyLocation:)` makes when both places are in `file` (the decoder's case,
    /// which then need not compare file names); `keyLine` 0 is no key location.
    init(_ value: TOMLValue, file: String, line: Int, column: Int, keyLine: Int, keyColumn: Int) {
        self.value = value
        self.file = file
        self.line = Int32(clamping: line)
        self.column = Int32(clamping: column)
        if keyLine != 0 { setKeyLocation(line: keyLine, column: keyColumn) }
    }

    /// What setting `keyLocation` to a place in this node's own file does.
    mutating func setKeyLocation(line: Int, column: Int) {
        // Lines start at 1; a 0 or negative line is kept as 1 rather than read as "no key".
        keyLine = max(1, Int32(clamping: line))
        keyColumn = Int32(clamping: column)
        keyFile = nil
    }

    public var location: SourceLocation {
        get { SourceLocation(file: file, line: Int(line), column: Int(column)) }
        set {
            if keyLine != 0, keyFile == nil, newValue.file != file { keyFile = file }
            file = newValue.file
            line = Int32(clamping: newValue.line)
            column = Int32(clamping: newValue.column)
            if keyFile == file { keyFile = nil }
        }
    }

    public var keyLocation: SourceLocation? {
        get {
            guard keyLine != 0 else { return nil }
            return SourceLocation(file: keyFile ?? file, line: Int(keyLine), column: Int(keyColumn))
        }
        set {
            guard let newValue else {
                keyLine = 0
                keyColumn = 0
                keyFile = nil
                return
            }
            // Lines start at 1; a 0 or negative line is kept as 1 rather than read as "no key".
            keyLine = max(1, Int32(clamping: newValue.line))
            keyColumn = Int32(clamping: newValue.column)
            keyFile = newValue.file == file ? nil : newValue.file
        }
    }

    /// Equal when the values and both places are equal.
    public static func == (a: TOMLNode, b: TOMLNode) -> Bool {
        a.value == b.value && a.location == b.location && a.keyLocation == b.keyLocation
    }
}

/// A table with its keys in the order they were first defined.
public struct TOMLTable: Sendable, Equatable {
    private var storage = TOMLOrderedEntries<TOMLNode>()

    public init() {}

    /// A table from entries read in order (the keys are unique).
    init(storage: TOMLOrderedEntries<TOMLNode>) {
        self.storage = storage
    }

    public var keys: [String] { storage.keys }

    public subscript(key: String) -> TOMLNode? {
        get { storage[key] }
        set {
            let position = storage.position(of: key)
            switch (position, newValue) {
            case (let position?, let newValue?): storage.replaceValue(at: position, with: newValue)
            case (nil, let newValue?): storage.append(key, newValue)
            case (let position?, nil): storage.remove(at: position)
            case (nil, nil): break
            }
        }
    }

    public var isEmpty: Bool { storage.count == 0 }
    public var count: Int { storage.count }

    /// The entries in definition order.
    public var entries: [(key: String, node: TOMLNode)] {
        storage.entries.map { (key: $0.key, node: $0.value) }
    }

    /// Equal when the same keys, in the same order, hold equal nodes.
    public static func == (a: TOMLTable, b: TOMLTable) -> Bool {
        TOMLOrderedEntries.sameEntries(a.storage, b.storage, by: ==)
    }
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
