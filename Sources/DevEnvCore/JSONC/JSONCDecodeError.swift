/// Why a document is not JSONC, and where: `.devcontainer/devcontainer.json:3:7: ...`.
public struct JSONCDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): \(message)" }
}
