import DevEnvCore

/// The environment's named volumes (virtualenv, caches): created with devenv's labels and
/// handed to the synced user before the first start.
struct VolumeSet {
    let session: DockerSession
    let environment: Environment

    /// Makes sure every volume exists and is devenv's; returns the names it created. New
    /// volumes get one chown container, unless `volumeOwner` (asked only when a volume is new)
    /// says the image already gives their paths to the user the container runs as.
    func ensure(image: String, volumeOwner: () throws -> ImageVolumeOwner? = { nil }, progress: Progress) throws -> [String] {
        let roles = environment.spec.volumes.keys.sorted()
        guard !roles.isEmpty else { return [] }
        let names = environment.names
        let listing = try session.run(DockerPlanner.listProjectVolumes(cli: environment.planner.cli, project: names.project),
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
        do {
            for role in missing {
                let name = names.volume(role: role)
                progress.step("creating volume \(name) for \(environment.spec.volumes[role] ?? role)")
                try session.run(environment.planner.createVolume(role: role), "creating volume \(name)")
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
            // A new volume left root-owned would never be fixed by a later `up` (it exists
            // then): they are empty and ours, so they go.
            if !created.isEmpty { _ = try? session.attempt(environment.planner.removeVolumes(created), cleanup: true) }
            throw error
        }
        return created
    }

    /// The volumes of this environment that devenv made (labels checked), for `down --volumes`.
    func owned() throws -> [VolumeSnapshot] {
        let names = environment.names
        let wanted = Set(environment.spec.volumes.keys.map { names.volume(role: $0) })
        let listing = try session.run(DockerPlanner.listProjectVolumes(cli: environment.planner.cli, project: names.project),
                                      "listing volumes").stdoutText
        return try VolumeSnapshot.parseList(listing).filter { wanted.contains($0.name) || names.owns($0.labels) }
    }
}
