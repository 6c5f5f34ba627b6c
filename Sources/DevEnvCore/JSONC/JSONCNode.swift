/// A value and where it stood. `keyLocation` is where its member name was written, nil for
/// array elements and the root.
public struct JSONCNode: Sendable, Equatable {
    public var value: JSONCValue
    public var location: SourceLocation
    public var keyLocation: SourceLocation?

    public init(_ value: JSONCValue, at location: SourceLocation, keyLocation: SourceLocation? = nil) {
        self.value = value
        self.location = location
        self.keyLocation = keyLocation
    }

    /// The member's name when there is one, else the value: where a finding about it points.
    public var place: SourceLocation { keyLocation ?? location }

    /// A number that is an integer in Int's range (`8000`, `8e3` is not one), else nil.
    public var int: Int? {
        guard case .number(let text) = value else { return nil }
        return Int(text)
    }

    /// Any number as a Double (`1e400` is infinity), else nil.
    public var double: Double? {
        guard case .number(let text) = value else { return nil }
        return Double(text)
    }
}
