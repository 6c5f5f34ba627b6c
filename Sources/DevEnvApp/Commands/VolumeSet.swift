import DevEnvCore

/// The environment's named volumes (virtualenv, caches): created with devenv's labels and
/// handed to the synced user before the first start.
struct VolumeSet {
    let session: DockerSession
    let environment: Environment
    /// Where `ensure` records the volumes it creates (`up`'s, which takes them back when it fails
    /// or is interrupted); nil: `ensure` takes back its own when it fails (`devenv test`).
    var made: MadeObjects? = nil

    /// Makes sure every volume exists and is devenv's; returns the names it created. New
    /// volumes get one chown container, unless `volumeOwner` (asked only when a volume is new)
    /// says the image already gives their paths to the user the container runs as.
    func ensure(image: String, volumeOwner: () throws -> ImageVolumeOwner? = { nil }, progress: Progress) throws -> [String] {
        let roles = environment.spec.volumes.keys.sorted()
        guard !roles.isEmpty else { return [] }
        let names = environment.names
        let listing = try session.run(DockerPlanner.listProjectVolumes(cli: environment.planner.cli, project: names.project, engine: environment.planner.engine),
                                      "listing volumes").stdoutText
        let existing = Dictionary(try VolumeSnapshot.parseList(listing).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Every name is checked before anything is made: a conflict leaves nothing half-done.
        for role in roles {
            let name = names.volume(role: role)
            if let volume = existing[name], !names.owns(volume.labels) {
                throw DevEnvError(.conflict, "a volume named \(name) exists that devenv did not create for this project; it was not touched",
                                  hint: "remove or rename it yourself, or set a different `name` under [project] in devenv.toml")
            }
        }
        var created: [String] = []
        let missing = roles.filter { existing[names.volume(role: $0)] == nil }
        // An earlier devenv's volumes of this folder (names without its tag, labels this
        // folder's) are not reused: the new ones start from the image. Said, not silent.
        let earlier = missing.map { names.legacy.volume(role: $0) }.filter { existing[$0].map { names.owns($0.labels) } == true }
        if !earlier.isEmpty {
            session.context.console.writeError(ErrorReport.warning(
                "\(earlier.joined(separator: ", ")) (made for this folder by an earlier devenv, whose names did not carry the folder's tag "
                + "\(names.folderTag)) \(earlier.count == 1 ? "is" : "are") not used any more: the new volumes start from the image, "
                + "so anything installed into the old ones by hand is not in them; "
                + "`\(environment.spec.command("down --volumes"))` removes the old and the new ones"))
        }
        let ledger = made ?? MadeObjects()
        do {
            for role in missing {
                let name = names.volume(role: role)
                progress.step("creating volume \(name) for \(environment.spec.volumes[role] ?? role)", phase: .starting)
                // Recorded first, and let finish: a create cut short may have made it all the same.
                ledger.creatingVolume(name)
                try session.run(environment.planner.createVolume(role: role).toItsEnd, "creating volume \(name)")
                created.append(name)
            }
            let planner = environment.planner
            // Asked only when a chown would otherwise run (not under rootless Docker, not for none).
            let declared = planner.chownVolumes(roles: missing, image: image) == nil ? nil : try volumeOwner()
            let needChown = missing.filter { role in
                guard let declared, let user = planner.userArgument, let path = environment.spec.volumes[role] else { return true }
                return !declared.covers(path: path, user: user)
            }
            if let chown = planner.chownVolumes(roles: needChown, image: image) {
                let given = needChown.map { names.volume(role: $0) }.joined(separator: ", ")
                try session.run(chown, "giving \(given) to \(planner.userArgument ?? "the image user")")
            }
        } catch {
            // New volumes are empty and ours: with no caller's record they go now, else with
            // whatever else the caller made (`MadeObjects.takeBack`).
            guard made == nil else { throw error }
            throw ledger.takeBack(after: error, session: session, environment: environment, progress: progress)
        }
        return created
    }

    /// Gives back to the synced user the existing volumes an interrupted earlier run left
    /// root-owned (killed between creating them and their chown; issue 9 section 4). Probed:
    /// the volumes not in `skipping` (those `ensure` just created and gave, and those a started
    /// container of ours mounts: they were given before it was made), and not those on paths
    /// the image's `devenv.volume-owner` label covers (Docker gives such a volume its path's
    /// owner when it is first mounted, so it never needed the chown). Returns the names of the
    /// volumes it gave.
    func repairOwners(skipping created: [String], image: String, volumeOwner: () throws -> ImageVolumeOwner?,
                      progress: Progress) throws -> [String] {
        let planner = environment.planner
        let names = environment.names
        let roles = environment.spec.volumes.keys.sorted().filter { !created.contains(names.volume(role: $0)) }
        guard !session.dryRun, planner.repairVolumeOwners(roles: roles, image: image) != nil else { return [] }
        let declared = try volumeOwner()
        let probed = roles.filter { role in
            guard let declared, let user = planner.userArgument, let path = environment.spec.volumes[role] else { return true }
            return !declared.covers(path: path, user: user)
        }
        guard let probe = planner.repairVolumeOwners(roles: probed, image: image) else { return [] }
        let user = planner.userArgument ?? "the image user"
        let output = try session.run(probe, "checking who owns \(probed.map { names.volume(role: $0) }.joined(separator: ", "))")
        let given = output.stdoutText.split(whereSeparator: \.isNewline)
            .compactMap { line in probed.first { "/volumes/\($0)" == line } }
            .map { names.volume(role: $0) }
        if !given.isEmpty {
            progress.step("gave \(given.joined(separator: ", ")) to \(user): an earlier run was interrupted before it did")
        }
        return given
    }

    /// The volumes of this environment that devenv made (labels checked), for `down --volumes`.
    func owned() throws -> [VolumeSnapshot] {
        let names = environment.names
        let wanted = Set(environment.spec.volumes.keys.map { names.volume(role: $0) })
        let listing = try session.run(DockerPlanner.listProjectVolumes(cli: environment.planner.cli, project: names.project, engine: environment.planner.engine),
                                      "listing volumes").stdoutText
        return try VolumeSnapshot.parseList(listing).filter { wanted.contains($0.name) || names.owns($0.labels) }
    }
}
