/// A decoded TOML document keeps where every key and value stood, so that configuration errors
/// can say `file:line:col`.
///
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
