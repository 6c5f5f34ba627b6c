/// A configuration document that is not valid TOML or JSONC, with the place and what was
/// expected there: `devenv.toml:7:12: expected '=' after key "ports"`,
/// `.devcontainer/devcontainer.json:3:7: ...`. One type for both decoders (`TOMLDecoder`,
/// `JSONCDecoder`): the two were the same declaration twice.
public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): \(message)" }
}
