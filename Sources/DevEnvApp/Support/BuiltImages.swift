#if canImport(Glibc)
import Glibc
#endif
import DevEnvCore

/// The IDs of the images devenv built, per engine, kept in the user's private state folder
/// (`UserStateFolder`, beside `ContainerMemory`'s records): `down --images` and `prune` remove an
/// image that has no name only when its ID is recorded here (`ImageSelection`, rule 3). Labels do
/// not prove it: an image the user built FROM devenv's inherits devenv.project, devenv.profile
/// and devenv.root, and once it has no name nothing else tells the two apart.
///
/// Layout: `STATE/built-images/ENGINE/ID`, one empty file per image (ID: 64 hex digits, no
/// "sha256:"); ENGINE is `engineKey`, so that one engine's record (rootful or rootless, another
/// context or DOCKER_HOST) never vouches for another's image. A record is made by one atomic
/// write and never rewritten: concurrent builds (other folders, other projects, the dashboard)
/// each add their own file, with no read-modify-write that could drop one.
///
/// The build names the ID with `--iidfile` (the classic builder, BuildKit, buildx and Podman
/// all write "sha256:HEX" there once the image is committed) into a file of this process and
/// engine in STATE (`imageIDFile`), read and removed as soon as the build returns (`record`).
/// When devenv is killed (SIGKILL, a crash, a closed machine) while `docker build` runs, the CLI
/// goes on, names the image and writes the file, and nobody reads it: the next reading of the
/// records (`recorded`) records what such files of this engine hold, so that image is not lost
/// to `down --images` once a rebuild takes its name (break26).
///
/// Records of images the engine no longer has go whenever `down --images` or `prune` have listed
/// every devenv image of the engine (`forget`): only entries read before that listing, so a
/// build that finished meanwhile keeps its record. An entry that is no record (a name that is
/// no ID: corrupt or planted) vouches for nothing, stays, and is reported.
struct BuiltImages {
    let context: AppContext
    /// The engine the CLI talks to (its family; where is read from the environment).
    let engine: EngineKind

    /// What the folder held when read.
    struct Recorded: Sendable, Equatable {
        /// The recorded IDs (`ImageSnapshot.bareID` form).
        var ids: Set<String> = []
        /// Entries that are no record, by name.
        var strays: [String] = []
        /// The folder and why it cannot be read (`FileSystem.listingFailure`), when it cannot:
        /// then no ID is known to be devenv's, and none is (`ImageSelection`'s `unreadRecords`).
        var unreadable: String?
    }

    /// The recorded IDs; empty (and no error) when there is no state folder or no record yet.
    /// Strays are reported on stderr, once per call. First the IDs of this engine's builds whose
    /// devenv ended before it recorded them (`leftBuilds`) are recorded and their files removed;
    /// `dryRun`: only counted, nothing written.
    func recorded(dryRun: Bool = false) -> Recorded {
        guard let folder = folder() else { return Recorded() }
        var recorded = Recorded()
        for (file, id) in leftBuilds() {
            recorded.ids.insert(id)
            if !dryRun, store(id, in: folder, image: nil) { try? context.fileSystem.removeFile(file) }
        }
        if !dryRun {
            sweepEndedBuilds(into: folder)
            if let started = context.processStart, let state = try? context.stateFolder?() { sweepTemporaryFiles(in: state, depth: 2, started: started) }
        }
        // Read as empty, an unreadable folder made devenv say "no record" of its own images.
        if let reason = context.fileSystem.listingFailure(folder) {
            recorded.unreadable = "\(folder) (\(reason))"
            context.console.writeError(ErrorReport.note(
                "devenv cannot read its records of the images it built, \(folder) (\(reason)): down --images and prune remove no image "
                    + "without a name while it cannot, since only a record proves devenv built one"))
        }
        for name in context.fileSystem.listDirectory(folder) {
            if EngineID.isFull(name[...]) { recorded.ids.insert(name) } else { recorded.strays.append(name) }
        }
        if !recorded.strays.isEmpty {
            let shown = recorded.strays.prefix(3).map { TerminalSafeText.escaping($0, keepingLineBreaks: false) }.joined(separator: ", ")
            context.console.writeError(ErrorReport.note(
                "ignored \(Plural.count(recorded.strays.count, "entry", "entries")) of \(folder) that are no image IDs (\(shown)"
                    + (recorded.strays.count > 3 ? ", ..." : "") + "); they vouch for no image"))
        }
        return recorded
    }

    /// Drops the records of `recorded` (read before the listing) whose image is not among
    /// `listed` (every devenv-labelled image of this engine, any ID form): the engine removed it.
    /// Best effort: a record left only costs the next listing a check.
    func forget(_ recorded: Recorded, keeping listed: [String]) {
        guard let folder = folder() else { return }
        let present = Set(listed.map(ImageSnapshot.bareID))
        for id in recorded.ids.subtracting(present).sorted() { try? context.fileSystem.removeFile("\(folder)/\(id)") }
    }

    /// The `--iidfile` of a build of `image` by this process: in STATE itself, which exists
    /// (the CLI does not make folders for it); nil without a state folder (the build is then not
    /// recorded, and `down --images` leaves the image once it has no name).
    /// Its name, `building-PID-DIGEST-ENGINE.image-id`, says which engine builds (`engineKey`), so
    /// that the file of a build whose devenv was killed is recorded for that engine (`leftBuilds`).
    /// Made here, empty, before the build: the CLI writes it only once the image is made and
    /// fails the whole build when it cannot ("cannot write image ID file: ... permission
    /// denied": a read-only state folder or file system), after building it all. When this
    /// write fails the build goes without `--iidfile` (nil), and says that its image is not
    /// recorded.
    func imageIDFile(image: String) -> String? {
        guard let state = try? context.stateFolder?() else { return nil }
        var digest = Fingerprint()
        digest.add(image)
        let file = "\(state)/\(Self.buildingPrefix)\(FileOwner.name(getpid(), started: context.processStart?(getpid())))-\(digest.short)-\(key)\(Self.buildingSuffix)"
        do {
            try context.fileSystem.writeFile(file, [], mode: 0o600)
        } catch {
            context.console.writeError(ErrorReport.note("\(image) is built without recording its ID: devenv cannot write in its state folder \(state) "
                + "(\(error)); down --images and prune will leave that image once it has no name"))
            return nil
        }
        return file
    }

    private static let buildingPrefix = "building-"
    private static let buildingSuffix = ".image-id"
    /// Added to an ended build's `--iidfile` as the sweep renames it aside (`sweepEndedBuilds`).
    private static let endedSuffix = ".ended"

    /// Removes this engine's `--iidfile`s whose devenv no longer runs and that hold no ID (a build
    /// that failed, or was killed with devenv: `imageIDFile` makes each file empty before its
    /// build), which nothing would ever remove. Gone: no process has its PID, or one that started
    /// at another time has it (PID reuse; a file named with only a PID, by a devenv that could not
    /// tell its start, stays while its PID runs). Each is first renamed aside and read again: an ID
    /// a CLI that built on wrote meanwhile is recorded, not lost. Nothing without `processStart`.
    /// A file already aside (`.ended`: a sweep that a signal ended between the rename and the
    /// removal, or whose record could not be written) is its devenv's too, judged gone then: it
    /// is read and recorded now, never left for good with its ID unrecorded.
    private func sweepEndedBuilds(into folder: String) {
        guard let started = context.processStart, let state = try? context.stateFolder?() else { return }
        let ending = "-\(key)\(Self.buildingSuffix)"
        for name in context.fileSystem.listDirectory(state) where name.hasPrefix(Self.buildingPrefix) {
            let aside: String
            if name.hasSuffix(ending + Self.endedSuffix) {
                aside = "\(state)/\(name)"
            } else if name.hasSuffix(ending) {
                let owner = name.dropFirst(Self.buildingPrefix.count).prefix { $0 != "-" }
                guard FileOwner.isGone(owner, started: started) == true else { continue }
                aside = "\(state)/\(name)\(Self.endedSuffix)"
                guard (try? context.fileSystem.moveFile("\(state)/\(name)", to: aside)) != nil else { continue }
            } else {
                continue
            }
            if let bytes = try? context.fileSystem.readFile(aside), let id = Self.imageID(written: bytes) {
                guard store(id, in: folder, image: nil) else { continue }
            }
            try? context.fileSystem.removeFile(aside)
        }
    }

    /// Removes the temporary files of atomic writes (`FileOwner.temporaryFile`) whose devenv no
    /// longer runs (`FileOwner.isGone`: killed mid-write, they stay for good otherwise) from
    /// `folder` and its folders `depth` levels down (STATE, its `lifecycle` and `built-images`,
    /// and each engine's records). A name that names no maker is left.
    private func sweepTemporaryFiles(in folder: String, depth: Int, started: (Int32) -> UInt64?) {
        for name in context.fileSystem.listDirectory(folder) {
            let path = "\(folder)/\(name)"
            if let owner = FileOwner.temporaryOwner(name) {
                if FileOwner.isGone(owner, started: started) == true { try? context.fileSystem.removeFile(path) }
            } else if depth > 0, context.fileSystem.isDirectory(path) {
                sweepTemporaryFiles(in: path, depth: depth - 1, started: started)
            }
        }
    }

    /// The `--iidfile`s of this engine's builds in STATE that hold an image ID, with that ID:
    /// normally none (each build's devenv reads and removes its own as the build returns); one
    /// is there when devenv ended while the CLI built on. A file being written, or holding no
    /// ID, is not one: it stays (its build may still run).
    private func leftBuilds() -> [(file: String, id: String)] {
        guard let state = try? context.stateFolder?() else { return [] }
        let ending = "-\(key)\(Self.buildingSuffix)"
        return context.fileSystem.listDirectory(state).compactMap { name in
            guard name.hasPrefix(Self.buildingPrefix), name.hasSuffix(ending),
                  let bytes = try? context.fileSystem.readFile("\(state)/\(name)"), let id = Self.imageID(written: bytes) else { return nil }
            return ("\(state)/\(name)", id)
        }
    }

    /// After the build that named `file` with `--iidfile`: records the ID written there (only a
    /// build that succeeded writes one) and removes the file. Called before the interruption
    /// check, so an image that was made is recorded even when the user pressed Ctrl-C meanwhile.
    /// A record that cannot be written is said on stderr: that image will be left.
    func record(from file: String?, image: String) {
        guard let file else { return }
        defer { try? context.fileSystem.removeFile(file) }
        // A failed build: none, or the empty file `imageIDFile` made (Podman leaves it).
        guard let bytes = try? context.fileSystem.readFile(file), !bytes.isEmpty else { return }
        guard let id = Self.imageID(written: bytes), let folder = folder() else {
            context.console.writeError(ErrorReport.note("the build of \(image) wrote no image ID devenv can read to \(file); "
                + "down --images and prune will leave that image once it has no name"))
            return
        }
        store(id, in: folder, image: image)
    }

    /// Records the images a Podman build's own output named for its steps (`BuildStepImages`:
    /// the proof devenv built them), so that `down --images` and `prune` remove them once they
    /// are leaves; `ids`: bare, full.
    func record(stepImages ids: [String]) {
        guard !ids.isEmpty, let folder = folder() else { return }
        for id in ids where EngineID.isFull(id[...]) && !context.fileSystem.fileExists("\(folder)/\(id)") {
            _ = store(id, in: folder, image: nil)
        }
    }

    /// Writes the record of `id` into `folder`; says on stderr when it cannot (that image will be
    /// left). `image`: its name, when known.
    @discardableResult
    private func store(_ id: String, in folder: String, image: String?) -> Bool {
        do {
            try context.fileSystem.writeFile("\(folder)/\(id)", [], mode: 0o600)
            return true
        } catch {
            context.console.writeError(ErrorReport.note("cannot record the ID of the image \(image ?? ImageSnapshot.shortID(id)) devenv built (\(error)); "
                + "down --images and prune will leave it once it has no name"))
            return false
        }
    }

    /// Before a build that gives the name `image` to its new image: records the image the name
    /// names now when `down --images` would remove it by ID (`ImageSelection.forDown`: devenv's
    /// labels for this environment, no name devenv did not give) and it is not recorded yet.
    /// Once the build takes its name, only a record vouches for it: an image built before devenv
    /// kept records, or by a devenv that was killed while the CLI built on and died itself
    /// before writing the --iidfile (its output went to devenv: SIGPIPE) as the engine named
    /// the image (break26). No image under the name, or no answer: nothing to keep.
    func keepRecord(ofNamed image: String, environment: Environment, session: DockerSession) throws {
        guard let folder = folder() else { return }
        let described = try session.attempt(DockerPlanner.inspectImages(cli: environment.planner.cli, ids: [image]))
        try session.checkInterruption()
        guard described.succeeded, let named = try? ImageSnapshot.parseList(described.stdoutText).first,
              ImageSelection.forDown([named], names: environment.names, built: []).first?.action == .removeImage else { return }
        let id = ImageSnapshot.bareID(named.id)
        guard EngineID.isFull(id[...]), !context.fileSystem.fileExists("\(folder)/\(id)") else { return }
        store(id, in: folder, image: image)
    }

    /// `STATE/built-images/ENGINE`; nil without a state folder.
    func folder() -> String? {
        guard let state = try? context.stateFolder?() else { return nil }
        return "\(state)/built-images/\(key)"
    }

    /// This engine's `engineKey`.
    private var key: String { Self.engineKey(engine, environment: context.environment, endpoint: context.engineEndpoint()) }

    /// Which engine's store: its family and where its CLI sends calls, as the CLI chooses
    /// (Docker: DOCKER_CONTEXT, DOCKER_HOST, the current context: `EngineEndpoint`; Podman:
    /// CONTAINER_HOST, CONTAINER_CONNECTION, CONTAINERS_STORAGE_CONF). The user (rootless or
    /// rootful Podman, rootless Docker's own socket aside) is the state folder's own. The CLI's
    /// spelling (docker or /usr/bin/docker) is not part of it: both reach one engine; nor is how
    /// the default engine was named (nothing, DOCKER_CONTEXT=default, DOCKER_HOST at the default
    /// socket), while DOCKER_CONTEXT=default with DOCKER_HOST elsewhere is that host's engine, as
    /// the CLI goes there.
    static func engineKey(_ engine: EngineKind, environment: [String: String], endpoint: EngineEndpoint) -> String {
        var digest = Fingerprint()
        switch engine {
        case .docker:
            // The default context is DOCKER_HOST when set (also under DOCKER_CONTEXT=default),
            // else the CLI's default socket, which DOCKER_HOST may name too: one engine, one key.
            var place = endpoint.label
            if endpoint.context == "default" {
                let host = environment["DOCKER_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
                place = ["unix:///var/run/docker.sock", "unix:///run/docker.sock"].contains(host) ? "default" : host
            }
            digest.add("docker\n\(place)\n")
        case .podman:
            digest.add("podman\n")
            for variable in ["CONTAINER_HOST", "CONTAINER_CONNECTION", "CONTAINERS_STORAGE_CONF"] {
                digest.add("\(environment[variable] ?? "")\n")
            }
        }
        return digest.short
    }

    /// What `--iidfile` wrote: "sha256:HEX" (Docker, BuildKit, buildx, Podman), with or
    /// without a line break; the bare 64 hex digits, nil for anything else.
    static func imageID(written bytes: [UInt8]) -> String? {
        guard bytes.count < 256 else { return nil }
        var text = String(decoding: bytes, as: UTF8.self)
        while text.last == "\n" || text.last == "\r" || text.last == " " { text.removeLast() }
        let id = ImageSnapshot.bareID(text)
        return EngineID.isFull(id[...]) ? id : nil
    }
}
