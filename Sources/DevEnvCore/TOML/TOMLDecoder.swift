/// Reads a TOML 1.0.0 document into a `TOMLTable` whose every node knows where it was written.
///
///     let table = try TOMLDecoder.decode(bytes, file: "devenv.toml")
///
/// Invalid input throws `DecodeError` (`devenv.toml:7:12: expected '=' after key "ports"`),
/// never anything else; nesting deeper than `maximumNestingDepth` is rejected rather than
/// risking the stack.
public enum TOMLDecoder {
    /// Arrays, inline tables and key segments nested deeper than this are an error. Real
    /// configuration needs a handful; the bound keeps hostile input from exhausting the stack.
    public static let maximumNestingDepth = 100

    public static func decode(_ bytes: [UInt8], file: String) throws(DecodeError) -> TOMLTable {
        var parser = TOMLParser(bytes: bytes, file: file)
        return try parser.parseDocument()
    }

    public static func decode(_ text: String, file: String) throws(DecodeError) -> TOMLTable {
        try decode(Array(text.utf8), file: file)
    }
}
