/// The user's consent to run a devcontainer.json's `initializeCommand`: it runs on the host,
/// as the user, outside any container, and it comes with the repository, so devenv runs it
/// only for a file whose exact content the user allowed (`devenv up --allow-initialize`).
/// A changed file asks again.
///
/// Stored in the user's state folder (`UserStateFolder`), never in the project, under
/// `initialize-allowed/NAME`, NAME a digest of the file's path and content. The stored file
/// holds the path and the whole content, and the allowance holds only when they are equal
/// byte for byte: the digest (FNV-1a, not a cryptographic hash) only finds the record, so a
/// crafted collision allows nothing.
public enum InitializeAllowance {
    public static let folder = "initialize-allowed"

    /// The record's name under `folder`: 16 hex digits.
    public static func fileName(path: String, content: [UInt8]) -> String {
        var print = Fingerprint()
        print.add(path)
        print.add(content)
        return print.hex
    }

    /// What is stored: the path, a newline, then the file's bytes.
    public static func record(path: String, content: [UInt8]) -> [UInt8] {
        Array(path.utf8) + [0x0A] + content
    }

    /// Whether `stored` (the record found under `fileName`, nil when none) allows this content.
    public static func isAllowed(stored: [UInt8]?, path: String, content: [UInt8]) -> Bool {
        stored == record(path: path, content: content)
    }
}
