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
