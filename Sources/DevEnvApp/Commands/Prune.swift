import DevEnvCore

/// `devenv prune`: removes the images devenv built for this project folder that no profile
/// uses any more: every profile's current image (and its built services' images), computed
/// from the configuration as `up` computes them, is kept; the other images labelled for this
/// project folder go, by ID, unless a container still uses one (left, saying so).
/// `--dry-run` lists them and removes nothing.
struct Prune {
    let environments: [Environment]
    let session: DockerSession
    let context: AppContext
    let progress: Progress
    /// --dry-run prints the `docker image rm` lines (not with --json: stdout is one object).
    var printsCommands = true

    struct Result: Sendable {
        /// With --dry-run: what would go (nothing went).
        var candidates: [ImageSelection.Verdict]
        var outcome: ImageSet.Outcome
        /// This project's containers, volumes and images in folders that are gone (moved, renamed
        /// or deleted): listed with how to remove them, never removed (`LeftBehind`).
        var leftBehind: [LeftBehind] = []
        /// The docker CLI, for the removal commands shown.
        var cli = "docker"
    }

    func run() throws -> Result {
        guard let first = environments.first else { return Result(candidates: [], outcome: .init()) }
        let current = try currentImages()
        let images = ImageSet(session: session, environment: first)
        // The listing is a question: --dry-run asks it for real, to list what would go.
        let listing = try images.projectImages(evenInDryRun: true)
        let verdicts = ImageSelection.forPrune(listing.images, names: first.names, current: current, built: listing.built,
                                               unreadRecords: listing.unreadRecords)
        let leftBehind = try self.leftBehind(first, images: listing)
        if session.dryRun {
            // The removals are printed as the commands they would be, and none runs; with
            // --json only the JSON object goes to stdout.
            for verdict in verdicts where printsCommands {
                for call in ImageSet.calls(verdict, cli: first.planner.cli) { _ = try session.attempt(call) }
            }
            return Result(candidates: verdicts, outcome: .init(), leftBehind: leftBehind, cli: first.planner.cli)
        }
        return Result(candidates: verdicts, outcome: try images.remove(verdicts, progress: progress), leftBehind: leftBehind,
                      cli: first.planner.cli)
    }

    /// The project's containers, volumes and images labelled for a folder that no longer exists,
    /// and this folder's containers and volumes labelled for another project name
    /// (`LeftBehind`): four listings, by the project label and by the folder label (questions,
    /// asked in a dry run too); the images from the image listing.
    func leftBehind(_ environment: Environment, images: ImageSet.Listing) throws -> [LeftBehind] {
        let (cli, names, engine) = (environment.planner.cli, environment.names, environment.planner.engine)
        let listings = [DockerPlanner.listProjectContainers(cli: cli, project: names.project, engine: engine),
                        DockerPlanner.listFolderContainers(cli: cli, root: names.projectRoot, engine: engine),
                        DockerPlanner.listProjectVolumesByLabel(cli: cli, project: names.project, engine: engine),
                        DockerPlanner.listFolderVolumes(cli: cli, root: names.projectRoot, engine: engine)]
        var answers: [ProcessResult] = []
        for listing in listings {
            let answer = try session.attempt(listing, evenInDryRun: true)
            try session.checkInterruption()
            guard answer.succeeded else { return [] }
            answers.append(answer)
        }
        let fileSystem = context.fileSystem
        return LeftBehind.find(containers: try answers[0 ..< 2].flatMap { try ContainerSnapshot.parseList($0.stdoutText) },
                               volumes: try answers[2 ..< 4].flatMap { try VolumeSnapshot.parseList($0.stdoutText) },
                               images: images.images, built: images.built, names: names,
                               folderExists: { fileSystem.isDirectory($0) || fileSystem.fileExists($0) })
    }

    /// The names `up` would run now, for every profile and its built services.
    func currentImages() throws -> Set<String> {
        var names: Set<String> = []
        for environment in environments {
            // A profile whose Dockerfile is missing has no current image: nothing to keep for it.
            if let image = try? environment.image(fileSystem: context.fileSystem) { names.insert(image) }
            let planner = ServicePlanner(planner: environment.planner)
            for service in planner.services where service.build != nil {
                let dockerfile = try service.build.flatMap { build in try context.fileSystem.readFile(build.dockerfile ?? "") }
                names.insert(planner.image(service, dockerfile: dockerfile))
            }
        }
        return names
    }

    /// The `--json` fields of `prune` (README, "JSON output"): `ImageSet.json`'s, `dryRun`,
    /// `wouldRemove` and `wouldUntag` (what a `--dry-run` would remove or untag; empty otherwise).
    static func fields(_ result: Result, dryRun: Bool) -> [(String, JSONValue)] {
        ImageSet.json(result.outcome) + [("dryRun", .bool(dryRun)),
            ("wouldRemove", .strings(dryRun ? result.candidates.filter(\.removesImage).map(\.image.display) : [])),
            ("wouldUntag", .strings(dryRun ? result.candidates.flatMap(\.namesOnly).map(ImageSnapshot.plain) : [])),
            ("leftBehind", .array(result.leftBehind.map { LeftBehindReport($0, cli: result.cli).json }))]
    }

    /// One object `prune` found left behind, as it reports it: the text's line and the JSON
    /// object are both written from this, so they carry the same facts (every name the removal
    /// names, and the removal itself).
    struct LeftBehindReport {
        let object: LeftBehind
        /// The command that removes it (`LeftBehind.removal`), as argv.
        let command: [String]

        init(_ object: LeftBehind, cli: String) {
            self.object = object
            self.command = object.removal(cli: cli)
        }

        /// The names it goes by: an image's left-behind names as the engine lists them (none
        /// when untagged), a container's or volume's one name.
        var names: [String] { object.kind == .image ? object.imageNames : [object.name] }

        var json: JSONValue {
            .object([("kind", .string(object.kind.rawValue)), ("name", .string(object.name)), ("names", .strings(names)),
                     ("id", .string(object.id)), ("profile", .string(object.profile)), ("root", .string(object.root)),
                     ("project", .string(object.project)), ("reason", .string(object.reason.rawValue)),
                     ("command", .strings(command))])
        }

        /// "  image NAME (profile dev, /old/shop): remove it with docker image rm A B", escaped.
        var line: String {
            let safe = { (text: String) in TerminalSafeText.escaping(text, keepingLineBreaks: false) }
            let about = object.reason == .renamed ? "project \(safe(object.project)), profile \(safe(object.profile))"
                : "profile \(safe(object.profile)), \(safe(object.root))"
            return "  \(object.kind.rawValue) \(safe(object.name)) (\(about)): remove it with "
                + command.map(ShellQuoting.quote).joined(separator: " ") + "\n"
        }
    }

    /// What `prune` says of `leftBehind` after its images: each object, its folder and the
    /// command that removes it.
    static func leftBehindText(_ result: Result) -> String {
        var text = ""
        for reason in [LeftBehind.Reason.folderGone, .renamed] {
            let left = result.leftBehind.filter { $0.reason == reason }
            guard !left.isEmpty else { continue }
            switch reason {
            case .folderGone:
                text += "found \(Plural.count(left.count, "object")) of this project made in a folder that no longer exists "
                    + "(moved, renamed or deleted; devenv here does not manage them, and prune leaves them):\n"
            case .renamed:
                text += "found \(Plural.count(left.count, "object")) made in this folder for another project name "
                    + "(the project was renamed; devenv here does not manage them, and prune leaves them):\n"
            }
            for object in left { text += LeftBehindReport(object, cli: result.cli).line }
        }
        return text
    }

    static func text(_ result: Result, dryRun: Bool, profiles: [String]) -> String {
        let safe = { (text: String) in TerminalSafeText.escaping(text, keepingLineBreaks: false) }
        if dryRun {
            let going = result.candidates.filter(\.removesImage)
            var text = going.map { "would remove image \(safe($0.image.display)) (\(ImageSelection.sizeText($0.image.size)))\n" }.joined()
            text += result.candidates.flatMap { verdict in
                verdict.namesOnly.map { name in
                    "would remove the name \(safe(ImageSnapshot.plain(name))) (the image stays: also named \(safe(ImageSet.keptNames(verdict.image, removing: verdict.namesOnly))))\n"
                }
            }.joined()
            text += result.candidates.compactMap { verdict in verdict.leftBecause.map { "would leave image \(safe(verdict.image.display)): \(safe($0))\n" } }.joined()
            let names = result.candidates.reduce(0) { $0 + $1.namesOnly.count }
            if going.isEmpty && names == 0 { return text + "prune: no unused images\n" + leftBehindText(result) }
            return text + "prune would remove \(Plural.count(going.count, "image")), \(ImageSelection.sizeText(going.reduce(0) { $0 + $1.image.size }))"
                + (names == 0 ? "" : ", and \(Plural.count(names, "name")) from images that stay") + "\n" + leftBehindText(result)
        }
        let outcome = result.outcome
        let names = outcome.untagged.reduce(0) { $0 + $1.names.count }
        let untagged = names == 0 ? "" : ", and \(Plural.count(names, "name")) from images that stay"
        let summary: String
        if outcome.removed.isEmpty {
            summary = names == 0 ? "prune: no unused images (the current images of \(profiles.joined(separator: ", ")) are kept)\n"
                : "prune: no image removed; removed \(Plural.count(names, "name")) from images that stay\n"
        } else {
            summary = "prune: removed \(Plural.count(outcome.removed.count, "image")), up to \(ImageSelection.sizeText(outcome.bytes)) freed"
                + " (layers that other images still use stay)" + untagged + "\n"
        }
        return ImageSet.text(outcome) + summary + leftBehindText(result)
    }
}
