import DevEnvCore

/// The environment's named volumes (virtualenv, caches): created with devenv's labels and
/// handed to the synced user before the first start.
struct VolumeSet {
    let session: DockerSession
    let environment: Environment

    /// Makes sure every volume exists and is devenv's; returns the names it created.
    func ensure(image: String, progress: Progress) throws -> [String] {
        let roles = environment.spec.volumes.keys.sorted()
        guard !roles.isEmpty else { return [] }
        let names = environment.names
        let listing = try session.run(DockerPlanner.listProjectVolumes(cli: environment.planner.cli, project: names.project),
                                      "listing volumes").stdoutText
        let existing = Dictionary(try VolumeSnapshot.parseList(listing).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var created: [String] = []
        for role in roles {
            let name = names.volume(role: role)
            if let volume = existing[name] {
                guard names.owns(volume.labels) else {
                    throw DevEnvError(.conflict, "a volume named \(name) exists that devenv did not create for this project; it was not touched",
                                      hint: "remove or rename it yourself, or set a different `name` under [project] in devenv.toml")
                }
                continue
            }
            progress.step("creating volume \(name) for \(environment.spec.volumes[role] ?? role)")
            try session.run(environment.planner.createVolume(role: role), "creating volume \(name)")
            created.append(name)
            if let chown = environment.planner.chownVolume(role: role, image: image) {
                try session.run(chown, "giving volume \(name) to \(environment.planner.userArgument ?? "the image user")")
            }
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
