/// What devenv remembers about one environment's lifecycle commands (one small file in the
/// user's state folder, `UserStateFolder`, per project folder and profile).
///
/// The rule (README, "Lifecycle commands"): the create stages (onCreate, updateContent,
/// postCreate) run once per *environment*, not per container. They fill what outlives a
/// container: the environment's volumes (the venv, caches) and the bind-mounted project; so
/// `down` and `up` make a new container without running them again. They run again when
/// - the environment's volumes are new: `up` created one (the first `up`, after
///   `down --volumes`, or after a volume was removed by hand); `up` forgets `created` at once
///   when it creates a volume (`forgettingCreated`), so a run cut short later still re-runs them;
/// - a create stage's command changed (`commandsPrint`), or one was added;
/// - the container runs another image (a rebuild, or a new `image`): the record keeps the
///   image ID the stages ran with.
/// What they write into the container's own filesystem (outside volumes and the workspace) is
/// lost with `down`: such setup belongs in the Dockerfile. postStart runs once per start: a
/// start is named by the container's full ID and the engine's `.State.StartedAt`, so a
/// container started by any means (`up`, `restart`, the engine) runs it on the next `up`.
///
/// Text form, one fact a line: `created IMAGEID COMMANDSPRINT`, `started ID STARTEDAT` and
/// `container ID` (the last container `up` looked at, so that it says once, not at every `up`,
/// that a new container skips the create stages).
/// A `created` line of an earlier devenv (a container ID alone) matches nothing: the create
/// stages run once more.
public struct LifecycleRecord: Sendable, Hashable {
    /// `IMAGEID COMMANDSPRINT` of the environment whose create stages all finished.
    public var created: String?
    /// `ID STARTEDAT` of the start whose postStart finished.
    public var started: String?
    /// The full ID of the last container the lifecycle commands were considered for.
    public var container: String?

    public init(created: String? = nil, started: String? = nil, container: String? = nil) {
        self.created = created
        self.started = started
        self.container = container
    }

    /// The stages run once per environment, in this order.
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
            case "container": record.container = words[1]
            default: continue
            }
        }
        return record
    }

    public var rendered: String {
        (created.map { "created \($0)\n" } ?? "") + (started.map { "started \($0)\n" } ?? "")
            + (container.map { "container \($0)\n" } ?? "")
    }

    /// A short hash of the configured create stages' commands (16 hex digits): a changed,
    /// added or removed command changes it.
    public static func commandsPrint(_ lifecycle: [LifecycleStage: LifecycleCommand]) -> String {
        var print = Fingerprint()
        for stage in createStages {
            print.add(stage.devcontainerProperty)
            print.add(lifecycle[stage]?.description ?? "")
        }
        return print.hex
    }

    /// The value of `created` once the create stages ran in a container of image `image`.
    public static func createdValue(image: String, lifecycle: [LifecycleStage: LifecycleCommand]) -> String {
        "\(image) \(commandsPrint(lifecycle))"
    }

    /// Whether the create stages are done for this environment: they finished with this image
    /// and these commands, and no volume was made since.
    public func createStagesDone(image: String, lifecycle: [LifecycleStage: LifecycleCommand]) -> Bool {
        created == Self.createdValue(image: image, lifecycle: lifecycle)
    }

    /// The container stages to run now, in the spec's order, for container `id` of image
    /// `image` started at `startedAt`: the configured create stages unless
    /// `createStagesDone`, and postStart when this start has not run it or create stages run
    /// now (postStart follows them).
    public func pending(container id: String, image: String, startedAt: String,
                        lifecycle: [LifecycleStage: LifecycleCommand]) -> [LifecycleStage] {
        var stages = createStagesDone(image: image, lifecycle: lifecycle) ? [] : Self.createStages.filter { lifecycle[$0] != nil }
        if lifecycle[.postStart] != nil && (!stages.isEmpty || started != "\(id) \(startedAt)") { stages.append(.postStart) }
        return stages
    }

    /// The record after `up` created a volume of the environment: the create stages run again.
    public var forgettingCreated: LifecycleRecord {
        var record = self
        record.created = nil
        return record
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
