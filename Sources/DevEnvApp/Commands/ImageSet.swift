import DevEnvCore

/// The images devenv built for a project (`down --images`, `prune`): every image devenv built
/// is listed (`DockerPlanner.listDevenvImageIDs`, one call), inspected for every label and
/// name, then removed one by one as `ImageSelection` decides: by ID, or name by name, never
/// forced.
struct ImageSet {
    /// What a removal did.
    struct Outcome: Sendable {
        /// The images that went (by ID, or with their last name).
        var removed: [ImageSnapshot] = []
        /// Names removed from images that stay (they carry other devenv names).
        var untagged: [(image: ImageSnapshot, names: [String])] = []
        /// Images left, with why (a name devenv did not give, or the engine's refusal: a
        /// container still uses it).
        var left: [(image: ImageSnapshot, reason: String)] = []
        /// The sizes of the removed images added up (layers they shared with images that
        /// stay are not freed).
        var bytes: Int { removed.reduce(0) { $0 + $1.size } }
        var isEmpty: Bool { removed.isEmpty && untagged.isEmpty && left.isEmpty }
    }

    let session: DockerSession
    let environment: Environment

    /// What `projectImages` found.
    struct Listing: Sendable {
        var images: [ImageSnapshot] = []
        /// The IDs devenv recorded building on this engine (`BuiltImages`), for `ImageSelection`.
        var built: Set<String> = []
        /// The records folder and why devenv cannot read it (`BuiltImages.Recorded.unreadable`).
        var unreadRecords: String?
    }

    /// The images devenv built, for any project, folder or profile: the caller's
    /// `ImageSelection` keeps those labelled for this project or carrying a name devenv gives
    /// its images. `evenInDryRun`: `prune --dry-run` lists for real. With the listing, the
    /// records of built images the engine no longer has go (not in a dry run).
    func projectImages(evenInDryRun: Bool = false) throws -> Listing {
        let records = BuiltImages(context: session.context, engine: environment.planner.engine)
        // Read before the listing: a record made after it is of an image the listing may miss.
        let recorded = records.recorded(dryRun: session.dryRun)
        let listed = try listedImages(evenInDryRun: evenInDryRun)
        if !session.dryRun { records.forget(recorded, keeping: listed.ids) }
        return Listing(images: listed.images, built: recorded.ids, unreadRecords: recorded.unreadable)
    }

    /// Every devenv-labelled image of the engine: its IDs as listed, and described.
    private func listedImages(evenInDryRun: Bool) throws -> (ids: [String], images: [ImageSnapshot]) {
        let cli = environment.planner.cli
        let list = DockerPlanner.listDevenvImageIDs(cli: cli)
        // Podman fails a whole `image ls`, and a whole `image inspect` of several IDs (exit 125,
        // nothing on stdout), when an image goes while it reads them (another project's removal,
        // the user's `podman rmi`): list and inspect again, a bounded number of times
        // (`DockerPlanner.imageListingRaced`). Docker describes the images still there.
        for attempt in 1...DockerPlanner.imageListingAttempts {
            let isLast = attempt == DockerPlanner.imageListingAttempts
            let listed = try session.attempt(list, evenInDryRun: evenInDryRun)
            try session.checkInterruption()
            if DockerPlanner.imageListingRaced(listed), !isLast { continue }
            guard listed.succeeded else { throw DockerFailure.error("listing images", invocation: list, result: listed) }
            // One line per name: an image with two names is listed twice.
            var seen: Set<String> = []
            let ids = listed.stdoutText.split(whereSeparator: \.isNewline).map(String.init).filter { seen.insert($0).inserted }
            guard !ids.isEmpty else { return ([], []) }
            let inspect = DockerPlanner.inspectImages(cli: cli, ids: ids)
            let described = try session.attempt(inspect, evenInDryRun: evenInDryRun)
            try session.checkInterruption()
            // Docker: an image removed since the listing makes inspect fail for it alone, and
            // the others are still described.
            if described.succeeded || !described.stdoutText.isEmpty { return (ids, try ImageSnapshot.parseList(described.stdoutText)) }
            if DockerPlanner.imageListingRaced(described), !isLast { continue }
            throw DockerFailure.error("inspecting images", invocation: inspect, result: described)
        }
        preconditionFailure("the last attempt returns or throws")
    }

    /// The docker calls that carry out `verdict`: `image rm ID`, or one `image rm NAME` a name
    /// (in `removeNames`' order); none to leave it. One mapping for `remove` and for what
    /// `prune --dry-run` prints.
    static func calls(_ verdict: ImageSelection.Verdict, cli: String) -> [ProcessInvocation] {
        switch verdict.action {
        case .leave: []
        case .removeImage: [DockerPlanner.removeImage(cli: cli, id: verdict.image.id)]
        case .removeNames(let names): names.map { DockerPlanner.removeImageName(cli: cli, name: $0) }
        }
    }

    /// Carries out `verdicts`: by ID, or name by name; what the engine refuses (a container
    /// uses the image) is left with the engine's reason, and the others still go.
    func remove(_ verdicts: [ImageSelection.Verdict], progress: Progress) throws -> Outcome {
        var outcome = Outcome()
        let cli = environment.planner.cli
        for verdict in verdicts {
            let image = verdict.image
            switch verdict.action {
            case .leave(let reason):
                outcome.left.append((image, reason))
            case .removeImage:
                progress.step("removing image \(image.display)")
                for call in Self.calls(verdict, cli: cli) {
                    let result = try session.attempt(call)
                    try session.checkInterruption()
                    if result.succeeded { outcome.removed.append(image) } else { outcome.left.append((image, Self.refusal(result))) }
                }
            case .removeNames(let names):
                var gone: [String] = []
                for (name, call) in zip(names, Self.calls(verdict, cli: cli)) {
                    progress.step("removing image name \(ImageSnapshot.plain(name))")
                    switch try named(name, isStill: image) {
                    case .yes: break
                    case .gone:
                        gone.append(name)
                        continue
                    case .moved(let other):
                        outcome.left.append((ImageSnapshot(id: image.id, labels: image.labels, tags: [name], size: image.size),
                                             "since it was listed, the name was given to another image (ID \(ImageSnapshot.shortID(other))), which devenv leaves"))
                        continue
                    }
                    let result = try session.attempt(call)
                    try session.checkInterruption()
                    guard result.succeeded else {
                        outcome.left.append((ImageSnapshot(id: image.id, labels: image.labels, tags: [name], size: image.size),
                                             Self.refusal(result)))
                        continue
                    }
                    gone.append(name)
                }
                // Every name it had went: so did the image (the engine removes an image with its last name).
                if verdict.removesImage && gone.count == names.count {
                    outcome.removed.append(image)
                } else if !gone.isEmpty {
                    outcome.untagged.append((image, gone))
                }
            }
        }
        return outcome
    }

    /// What a name names now, asked just before `image rm NAME` (that call removes whatever
    /// the name names then).
    private enum NameNow { case yes, gone, moved(String) }

    /// Whether `name` still names `image`. A build elsewhere between the listing and the
    /// removal (another project's, a same-named project's in another folder, the user's) may
    /// have given the name to another image; `image rm NAME` would then have untagged it, or
    /// removed it with its last name (break24). The window left is this call's. Throws as a
    /// query does (an engine that stopped answering).
    private func named(_ name: String, isStill image: ImageSnapshot) throws -> NameNow {
        guard !session.dryRun else { return .yes }   // the plan shows the removal
        let inspect = DockerPlanner.inspectImages(cli: environment.planner.cli, ids: [name])
        let described = try session.attempt(inspect)
        try session.checkInterruption()
        guard described.succeeded, let now = try ImageSnapshot.parseList(described.stdoutText).first else { return .gone }
        return now.id == image.id ? .yes : .moved(now.id)
    }

    /// The engine's last line of refusal, safe for a terminal.
    private static func refusal(_ result: ProcessResult) -> String {
        let last = result.stderrText.split(whereSeparator: \.isNewline).last.map(String.init) ?? "exit \(result.exitCode)"
        return "the engine refused: " + TerminalSafeText.escaping(last, keepingLineBreaks: false)
    }

    /// What stays on an image once `names` are removed from it, for the report.
    static func keptNames(_ image: ImageSnapshot, removing names: [String]) -> String {
        image.tags.filter { !names.contains($0) }.map(ImageSnapshot.plain).joined(separator: ", ")
    }

    /// The report's lines: "removed image NAME", "removed the name NAME (the image stays: also
    /// named OTHER)" and "left image NAME: WHY".
    static func text(_ outcome: Outcome) -> String {
        // Names and the engine's words come from the engine: made safe for a terminal.
        let safe = { (text: String) in TerminalSafeText.escaping(text, keepingLineBreaks: false) }
        return outcome.removed.map { "removed image \(safe($0.display))\n" }.joined()
            + outcome.untagged.flatMap { entry in
                entry.names.map { "removed the name \(safe(ImageSnapshot.plain($0))) (the image stays: also named \(safe(keptNames(entry.image, removing: entry.names))))\n" }
            }.joined()
            + outcome.left.map { "left image \(safe($0.image.display)): \(safe($0.reason))\n" }.joined()
    }

    static func json(_ outcome: Outcome) -> [(String, JSONValue)] {
        [("removedImages", .strings(outcome.removed.map(\.display))),
         ("untaggedImages", .strings(outcome.untagged.flatMap { $0.names.map(ImageSnapshot.plain) })),
         ("leftImages", .array(outcome.left.map { .object([("image", .string($0.image.display)), ("id", .string($0.image.id)),
                                                            ("reason", .string($0.reason))]) })),
         ("freedBytes", .number(outcome.bytes))]
    }
}
