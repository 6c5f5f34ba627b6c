import DevEnvCore

/// The environment's named volumes (virtualenv, caches): created with devenv's labels and
/// handed to the synced user before the first start.
struct VolumeSet {
    let session: DockerSession
    let environment: Environment
    /// Where `ensure` records the volumes it creates (`up`'s, which takes them back when it fails
    /// or is interrupted); nil: `ensure` takes back its own when it fails (`devenv test`).
    var made: MadeObjects? = nil

    /// What `ensure` found and made.
    struct Ensured {
        /// The names of the volumes it created.
        var created: [String] = []
        /// An earlier devenv's volumes the environment uses (role -> name): for the planner's
        /// `adoptedVolumes`, so the container mounts them.
        var adopted: [String: String] = [:]
    }

    /// Makes sure every volume exists and is devenv's. A role whose volume is missing takes
    /// over the volume an earlier devenv made for this folder under its untagged name
    /// (`ResourceNames.volumeInUse`: labels checked, as `status` and the dashboard show it), so the first `up` after an
    /// upgrade keeps the venv and caches instead of starting empty. New volumes get one chown
    /// container, unless `volumeOwner` (asked only when a volume is new) says the image
    /// already gives their paths to the user the container runs as.
    func ensure(image: String, volumeOwner: () throws -> ImageVolumeOwner? = { nil }, progress: Progress) throws -> Ensured {
        let roles = environment.spec.volumes.keys.sorted()
        guard !roles.isEmpty else { return Ensured() }
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
        var ensured = Ensured()
        for role in roles {
            guard let earlier = names.volumeInUse(role: role, labelsOf: { existing[$0]?.labels }),
                  earlier != names.volume(role: role) else { continue }
            ensured.adopted[role] = earlier
            progress.step("using volume \(earlier) for \(environment.spec.volumes[role] ?? role): an earlier devenv made it for this folder "
                          + "(names now end in the folder's tag \(names.folderTag))")
        }
        let missing = roles.filter { existing[names.volume(role: $0)] == nil && ensured.adopted[$0] == nil }
        let ledger = made ?? MadeObjects()
        do {
            for role in missing {
                let name = names.volume(role: role)
                progress.step("creating volume \(name) for \(environment.spec.volumes[role] ?? role)", phase: .starting)
                // Recorded first, and let finish: a create cut short may have made it all the same.
                ledger.creatingVolume(name)
                try session.run(environment.planner.createVolume(role: role).toItsEnd, "creating volume \(name)")
                ensured.created.append(name)
            }
            let planner = environment.planner
            // Asked only when a chown would otherwise run (not under rootless Docker, not for none).
            let declared = planner.chownVolumes(roles: missing, image: image) == nil ? nil : try volumeOwner()
            let needChown = missing.filter { role in
                guard let declared, let user = planner.userArgument, let path = environment.spec.volumes[role] else { return true }
                return !declared.covers(path: path, user: user)
            }
            let run = session.context.randomToken()
            if let chown = planner.chownVolumes(roles: needChown, image: image, run: run) {
                let given = needChown.map { names.volume(role: $0) }.joined(separator: ", ")
                // Cut short between its create and its start, it would hold the new volumes for
                // good (break27: the take-back below then failed, "volume is in use").
                try OneOffContainers(session: session, planner: planner)
                    .run(chown, "giving \(given) to \(planner.userArgument ?? "the image user")", run: run, image: image, said: .chown(of: given))
            }
        } catch {
            // New volumes are empty and ours: with no caller's record they go now, else with
            // whatever else the caller made (`MadeObjects.takeBack`).
            guard made == nil else { throw error }
            throw ledger.takeBack(after: error, session: session, environment: environment, progress: progress)
        }
        return ensured
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
        let roles = environment.spec.volumes.keys.sorted().filter { !created.contains(planner.volume(role: $0)) }
        guard !session.dryRun, planner.repairVolumeOwners(roles: roles, image: image) != nil else { return [] }
        let declared = try volumeOwner()
        let probed = roles.filter { role in
            guard let declared, let user = planner.userArgument, let path = environment.spec.volumes[role] else { return true }
            return !declared.covers(path: path, user: user)
        }
        let run = session.context.randomToken()
        guard let probe = planner.repairVolumeOwners(roles: probed, image: image, run: run) else { return [] }
        let user = planner.userArgument ?? "the image user"
        let checked = probed.map { planner.volume(role: $0) }.joined(separator: ", ")
        // A root container that mounts the volumes, as the chown: one cut short before its start goes.
        let output = try OneOffContainers(session: session, planner: planner)
            .run(probe, "checking who owns \(checked)", run: run, image: image, said: .ownerCheck(of: checked))
        let given = output.stdoutText.split(whereSeparator: \.isNewline)
            .compactMap { line in probed.first { "/volumes/\($0)" == line } }
            .map { planner.volume(role: $0) }
        if !given.isEmpty {
            progress.step("gave \(given.joined(separator: ", ")) to \(user): an earlier run was interrupted before it did")
        }
        return given
    }

    /// The volumes of this environment that devenv made, for `down --volumes`: those under the
    /// names of its configured roles (whose labels `Down` then checks) and every other that is
    /// devenv's by `ResourceNames.madeVolume` (labels and name: an earlier devenv's, a service's,
    /// a role no longer configured), never one that only carries copied labels.
    func owned() throws -> [VolumeSnapshot] {
        let names = environment.names
        let wanted = Set(environment.spec.volumes.keys.map { names.volume(role: $0) })
        let listing = try session.run(DockerPlanner.listProjectVolumes(cli: environment.planner.cli, project: names.project, engine: environment.planner.engine),
                                      "listing volumes").stdoutText
        return try VolumeSnapshot.parseList(listing).filter { wanted.contains($0.name) || names.madeVolume($0.name, labels: $0.labels) }
    }
}
