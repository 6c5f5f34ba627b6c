/// Who the container runs as (profile key `user`).
public enum UserSpec: Sendable, Hashable, CustomStringConvertible {
    /// The host user's UID:GID (detected at run time), so bind-mounted files belong to them.
    case host
    /// The image's own USER (no `--user` flag).
    case image
    /// A fixed `UID:GID`, e.g. CI's 1001:1001.
    case ids(uid: UInt32, gid: UInt32)

    /// Parses `host`, `image` or `UID:GID` (decimal); nil for anything else.
    public init?(parsing text: String) {
        switch text {
        case "host": self = .host
        case "image": self = .image
        default:
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2,
                  parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                  let uid = UInt32(parts[0]), let gid = UInt32(parts[1])
            else { return nil }
            self = .ids(uid: uid, gid: gid)
        }
    }

    public var description: String {
        switch self {
        case .host: return "host"
        case .image: return "image"
        case .ids(let uid, let gid): return "\(uid):\(gid)"
        }
    }
}
