/// What devenv remembers about one environment's lifecycle commands (one small file in the
/// user's state folder, `UserStateFolder`, per project folder and profile): the container whose
/// create stages (onCreate, updateContent, postCreate) all finished, and the container start
/// whose postStart finished. A container is named by its full ID and a start by the engine's
/// `.State.StartedAt`, so a recreated container runs the create stages again and a container
/// started by any means (`up`, `restart`, the engine) runs postStart on the next `up`.
///
/// Text form, one fact a line: `created ID` and `started ID STARTEDAT`.
public struct LifecycleRecord: Sendable, Hashable {
    /// The container ID whose create stages finished.
    public var created: String?
    /// `ID STARTEDAT` of the start whose postStart finished.
    public var started: String?

    public init(created: String? = nil, started: String? = nil) {
        self.created = created
        self.started = started
    }

    /// The stages run once per container, in this order.
    public static let createStages: [LifecycleStage] = [.onCreate, .updateContent, .postCreate]

    /// Reads the text form; unknown lines (a later devenv's) are ignored.
    public static func parse(_ bytes: [UInt8]) -> LifecycleRecord {
        var record = LifecycleRecord()
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard words.count == 2 else { continue }
            switch words[0] {
            case "created": record.created = words[1]
            case "started": record.started = words[1]
            default: continue
            }
        }
        return record
    }

    public var rendered: String {
        (created.map { "created \($0)\n" } ?? "") + (started.map { "started \($0)\n" } ?? "")
    }

    /// The container stages to run now, in the spec's order, for container `id` started at
    /// `startedAt`: the configured create stages when `id` has not finished them, and postStart
    /// when this start has not run it or create stages run now (postStart follows them). A
    /// create stage added to the configuration later runs once in the existing container.
    public func pending(container id: String, startedAt: String,
                        lifecycle: [LifecycleStage: LifecycleCommand]) -> [LifecycleStage] {
        var stages = created == id ? [] : Self.createStages.filter { lifecycle[$0] != nil }
        if lifecycle[.postStart] != nil && (!stages.isEmpty || started != "\(id) \(startedAt)") { stages.append(.postStart) }
        return stages
    }

    /// The record's file name under the state folder's `lifecycle/`: one per project folder and
    /// profile (16 hex digits), so it is overwritten, never piled up, as containers come and go.
    public static func fileName(projectRoot: String, profile: String) -> String {
        var print = Fingerprint()
        print.add(projectRoot)
        print.add(profile)
        return print.hex
    }
}
