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
/// all write "sha256:HEX" there once the image is committed) into a file of this process in
/// STATE (`imageIDFile`), read and removed as soon as the build returns (`record`).
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
    }

    /// The recorded IDs; empty (and no error) when there is no state folder or no record yet.
    /// Strays are reported on stderr, once per call.
    func recorded() -> Recorded {
        guard let folder = folder() else { return Recorded() }
        var recorded = Recorded()
        for name in context.fileSystem.listDirectory(folder) {
            if ImageSnapshot.isFullID(name[...]) { recorded.ids.insert(name) } else { recorded.strays.append(name) }
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
    func imageIDFile(image: String) -> String? {
        guard let state = try? context.stateFolder?() else { return nil }
        var digest = Fingerprint()
        digest.add(image)
        return "\(state)/building-\(getpid())-\(digest.short).image-id"
    }

    /// After the build that named `file` with `--iidfile`: records the ID written there (only a
    /// build that succeeded writes one) and removes the file. Called before the interruption
    /// check, so an image that was made is recorded even when the user pressed Ctrl-C meanwhile.
    /// A record that cannot be written is said on stderr: that image will be left.
    func record(from file: String?, image: String) {
        guard let file else { return }
        defer { try? context.fileSystem.removeFile(file) }
        guard let bytes = try? context.fileSystem.readFile(file) else { return }   // failed build: none
        guard let id = Self.imageID(written: bytes), let folder = folder() else {
            context.console.writeError(ErrorReport.note("the build of \(image) wrote no image ID devenv can read to \(file); "
                + "down --images and prune will leave that image once it has no name"))
            return
        }
        do {
            try context.fileSystem.writeFile("\(folder)/\(id)", [], mode: 0o600)
        } catch {
            context.console.writeError(ErrorReport.note("cannot record the ID of the image \(image) devenv built (\(error)); "
                + "down --images and prune will leave it once it has no name"))
        }
    }

    /// `STATE/built-images/ENGINE`; nil without a state folder.
    func folder() -> String? {
        guard let state = try? context.stateFolder?() else { return nil }
        return "\(state)/built-images/\(Self.engineKey(engine, environment: context.environment, endpoint: context.engineEndpoint()))"
    }

    /// Which engine's store: its family and where its CLI sends calls, as the CLI chooses
    /// (Docker: DOCKER_CONTEXT, DOCKER_HOST, the current context: `EngineEndpoint`; Podman:
    /// CONTAINER_HOST, CONTAINER_CONNECTION, CONTAINERS_STORAGE_CONF). The user (rootless or
    /// rootful Podman, rootless Docker's own socket aside) is the state folder's own. The CLI's
    /// spelling (docker or /usr/bin/docker) is not part of it: both reach one engine.
    static func engineKey(_ engine: EngineKind, environment: [String: String], endpoint: EngineEndpoint) -> String {
        var digest = Fingerprint()
        switch engine {
        case .docker:
            digest.add("docker\n\(endpoint.label)\n")
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
        return ImageSnapshot.isFullID(id[...]) ? id : nil
    }
}
