import DevEnvCore

/// The images devenv built for a project (`down --images`, `prune`): listed by the project
/// label, inspected for every label and name, removed one by one by ID (never forced).
struct ImageSet {
    /// What a removal did.
    struct Outcome: Sendable {
        var removed: [ImageSnapshot] = []
        /// Images left, with why (a name devenv did not give, or the engine's refusal: a
        /// container still uses it).
        var left: [(image: ImageSnapshot, reason: String)] = []
        /// The sizes of the removed images added up (layers they shared with images that
        /// stay are not freed).
        var bytes: Int { removed.reduce(0) { $0 + $1.size } }
    }

    let session: DockerSession
    let environment: Environment

    /// The images labelled for this project name (any folder, any profile; the caller's
    /// `ImageSelection` checks the rest). `evenInDryRun`: `prune --dry-run` lists for real.
    func projectImages(evenInDryRun: Bool = false) throws -> [ImageSnapshot] {
        let cli = environment.planner.cli
        let list = DockerPlanner.listProjectImageIDs(cli: cli, project: environment.names.project)
        let listed = try session.attempt(list, evenInDryRun: evenInDryRun)
        try session.checkInterruption()
        guard listed.succeeded else { throw DockerFailure.error("listing images", invocation: list, result: listed) }
        var seen: Set<String> = []
        // One line per name: an image with two names is listed twice.
        let ids = listed.stdoutText.split(whereSeparator: \.isNewline).map(String.init).filter { seen.insert($0).inserted }
        guard !ids.isEmpty else { return [] }
        let inspect = DockerPlanner.inspectImages(cli: cli, ids: ids)
        let described = try session.attempt(inspect, evenInDryRun: evenInDryRun)
        try session.checkInterruption()
        // An image removed since the listing makes inspect fail for it alone: the others are
        // still described.
        guard described.succeeded || !described.stdoutText.isEmpty else {
            throw DockerFailure.error("inspecting images", invocation: inspect, result: described)
        }
        return try ImageSnapshot.parseList(described.stdoutText)
    }

    /// Removes the images `verdicts` allow, each by ID; one the engine refuses (a container
    /// uses it) is left with the engine's reason, and the others still go.
    func remove(_ verdicts: [ImageSelection.Verdict], progress: Progress) throws -> Outcome {
        var outcome = Outcome()
        for verdict in verdicts {
            if let reason = verdict.leftBecause {
                outcome.left.append((verdict.image, reason))
                continue
            }
            progress.step("removing image \(verdict.image.display)")
            let result = try session.attempt(DockerPlanner.removeImage(cli: environment.planner.cli, id: verdict.image.id))
            try session.checkInterruption()
            if result.succeeded {
                outcome.removed.append(verdict.image)
            } else {
                let last = result.stderrText.split(whereSeparator: \.isNewline).last.map(String.init) ?? "exit \(result.exitCode)"
                outcome.left.append((verdict.image, "the engine refused: " + TerminalSafeText.escaping(last, keepingLineBreaks: false)))
            }
        }
        return outcome
    }

    /// The report's lines: "removed image NAME" and "left image NAME: WHY".
    static func text(_ outcome: Outcome) -> String {
        // Names and the engine's words come from the engine: made safe for a terminal.
        let safe = { (text: String) in TerminalSafeText.escaping(text, keepingLineBreaks: false) }
        return outcome.removed.map { "removed image \(safe($0.display))\n" }.joined()
            + outcome.left.map { "left image \(safe($0.image.display)): \(safe($0.reason))\n" }.joined()
    }

    static func json(_ outcome: Outcome) -> [(String, JSONValue)] {
        [("removedImages", .strings(outcome.removed.map(\.display))),
         ("leftImages", .array(outcome.left.map { .object([("image", .string($0.image.display)), ("id", .string($0.image.id)),
                                                            ("reason", .string($0.reason))]) })),
         ("freedBytes", .number(outcome.bytes))]
    }
}
