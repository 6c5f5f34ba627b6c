/// The images a Podman build committed or took from its layer cache for its steps, as its own
/// output names them: "--> 33ac4a083a3" (the first hex digits of the ID) after a step it ran,
/// "--> Using cache FULLID" for one it reused (`podman build` keeps layers by default). A
/// multi-stage build leaves the steps of the stages other than the target's as untagged images
/// with the build's labels, shown only by `image ls --all` until the last of them is a leaf
/// (podman#9562, "can leave stray images behind"; buildah#6105: only `--layers=false` leaks
/// none, which would give up the layer cache). Removing the final image removes its own stage's
/// chain with it, not the other stages'. The output alone proves nothing: a RUN's own output
/// comes on the same stream, unprefixed (Podman 4.3), and `RUN echo "--> ID"` prints such a
/// line for any image, a user's untagged one FROM devenv's (same labels) too (mend27a). So a
/// named image counts only when the engine confirms this build made it: it was not among the
/// folder's images listed before the build began (`ids(among:madeSince:)`). A step taken from
/// the cache ("Using cache") was made before and is not recorded again: the build that made
/// it recorded it. `Build` records these (`BuiltImages`), so `down --images` and `prune`
/// remove them as they do an untagged image recorded by its --iidfile. Docker's BuildKit keeps
/// its steps in its build cache, not as images: nothing is named there.
/// Fed from the build's output thread (`read`), read once the build ended (`ids(among:madeSince:)`).
public final class BuildStepImages: @unchecked Sendable {
    private let lock = Lock()
    private var partial: [UInt8] = []
    private var named: [String] = []

    public init() {}

    /// A chunk of the build's output (stdout or stderr), cut anywhere.
    public func read(_ bytes: [UInt8]) {
        lock.withLock {
            var start = bytes.startIndex
            while let newline = bytes[start...].firstIndex(of: 0x0A) {
                partial += bytes[start..<newline]
                take(partial)
                partial.removeAll(keepingCapacity: true)
                start = newline + 1
            }
            partial += bytes[start...]
        }
    }

    private func take(_ line: [UInt8]) {
        if let id = Self.stepID(String(decoding: line, as: UTF8.self)[...]) { named.append(id) }
    }

    /// "--> 33ac4a083a3" or "--> Using cache HEX" (a carriage return before the newline
    /// allowed) -> the hex digits; nil for any other line. At least ten digits: fewer could
    /// match more than one image.
    public static func stepID(_ line: Substring) -> String? {
        var text = line.hasSuffix("\r") ? line.dropLast() : line
        guard text.hasPrefix("--> ") else { return nil }
        text = text.dropFirst(4)
        if text.hasPrefix("Using cache ") { text = text.dropFirst("Using cache ".count) }
        guard (10...64).contains(text.utf8.count),
              text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return String(text)
    }

    /// The IDs among `listed` (full, "sha256:" or not; as `BuiltImages` keeps them: bare) that
    /// the output named, each by a prefix that one listed ID alone starts with, and that
    /// `before` (the same listing, taken before the build began) does not hold: the images this
    /// build made. An ID that was there before is no proof of anything, whatever named it.
    public func ids(among listed: [String], madeSince before: [String]) -> [String] {
        let existing = Set(before.map(ImageSnapshot.bareID))
        return ids(among: listed).filter { !existing.contains($0) }
    }

    /// `ids(among:madeSince:)` without the check of what was there before.
    func ids(among listed: [String]) -> [String] {
        let named = lock.withLock { partial.isEmpty ? self.named : self.named + [Self.stepID(String(decoding: partial, as: UTF8.self)[...])].compactMap { $0 } }
        let bare = Set(listed.map(ImageSnapshot.bareID)).filter { EngineID.isFull($0[...]) }
        var found: Set<String> = []
        for prefix in Set(named) {
            let matching = bare.filter { $0.hasPrefix(prefix) }
            if matching.count == 1, let id = matching.first { found.insert(id) }
        }
        return found.sorted()
    }

    /// Whether the output named any step image.
    public var isEmpty: Bool { lock.withLock { named.isEmpty && Self.stepID(String(decoding: partial, as: UTF8.self)[...]) == nil } }
}
