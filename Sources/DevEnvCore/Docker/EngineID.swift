/// An ID the engine gives a container or an image, whoever asks: a full one is 64 lowercase hex
/// digits, as `docker create` prints a container's and `ImageSnapshot.bareID` leaves of an
/// image's ("sha256:" dropped). Neutral, so a container's check does not go through images.
public enum EngineID {
    /// Whether `text` is a full engine ID.
    public static func isFull(_ text: Substring) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// `reference` (a container's full ID or its name) as devenv names it in a message: a full ID
    /// cut to the 12 digits `docker ps` shows, anything else as it is.
    public static func shown(_ reference: String) -> String {
        isFull(reference[...]) ? String(reference.prefix(12)) : reference
    }
}
