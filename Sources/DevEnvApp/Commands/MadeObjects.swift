import DevEnvCore

/// The engine objects one `up` made: the project network, named volumes (the app's and its
/// services'), and the services' first containers. An `up` that fails or is interrupted takes
/// away again whichever of the network and volumes no container it leaves behind uses
/// (`takeBack`: by name and labels, the network by ID), and, interrupted, the services'
/// containers it made; so an interrupted first `up` leaves nothing it made, and a failed one
/// only what a kept container uses (a service stopped for its logs, an app container that
/// started). The app's container goes where it is made (`ContainerReplacement`), before this runs.
///
/// Why these count as half-made: a network no container is on, and an empty volume no
/// container mounts, are of no use to anyone; kept, they were what an interrupted first `up`
/// left behind (the network until a `down`, a volume until `down --volumes`). Volumes and a
/// network that were there before the run are never recorded, so never taken back: a venv
/// volume a later `up` reuses stays.
///
/// A name is recorded before its create call, so one whose call a second signal cut short
/// (the engine may have made it after all) is looked for too. Under the project lock nothing
/// else makes objects with these names and labels meanwhile.
final class MadeObjects: @unchecked Sendable {
    private let lock = Lock()
    private var network = false
    private var volumes: [String] = []
    private var containers: [(id: String, name: String)] = []

    /// This run is about to create the project network (it was not there).
    func creatingNetwork() { lock.withLock { network = true } }

    /// This run is about to create volume `name` (it was not there).
    func creatingVolume(_ name: String) { lock.withLock { if !volumes.contains(name) { volumes.append(name) } } }

    /// This run created a service's first container (`id`, devenv's by `docker create`).
    func createdContainer(id: String, name: String) { lock.withLock { containers.append((id, name)) } }

    /// Removes what this run made that nothing uses: the network once no container is on it
    /// (`ServiceSet.removeNetwork`, by ID, labels checked), then each recorded volume that
    /// carries this environment's labels (one at a time: the engine refuses one a container
    /// mounts, stopped ones included, and that one stays). Clean-up calls: they run after an
    /// interruption; what fails is left for the next `up` (which reuses it) or `down`.
    /// Nothing under --dry-run.
    func takeBack(session: DockerSession, environment: Environment, progress: Progress) {
        let (network, volumes, containers) = lock.withLock { (self.network, self.volumes, self.containers) }
        guard !session.dryRun else { return }
        // Interrupted: the services' first containers go too, healthy or not (the user asked
        // for the run to stop), unless another container on the project network stays (the
        // app's, started before the signal: it needs them). Failed: a healthy service stays
        // for the next try, one that failed its check stays stopped for `devenv logs`.
        if session.context.interruption() != nil, !containers.isEmpty,
           let users = try? session.attempt(ServicePlanner(planner: environment.planner).networkUsers(), cleanup: true), users.succeeded,
           users.stdoutText.split(whereSeparator: \.isNewline).allSatisfy({ user in containers.contains { $0.name == user } }) {
            for container in containers {
                guard let removed = try? session.attempt(environment.planner.remove(id: container.id), cleanup: true),
                      removed.succeeded else { continue } // gone already (`PendingServiceHealth.abandon`)
                progress.step("removed \(container.name) (made by this run)")
            }
        }
        if network {
            try? ServiceSet(environment: environment, session: session, progress: progress)
                .removeNetwork(cleanup: true, why: "made by this run, no container is on it")
        }
        guard !volumes.isEmpty else { return }
        let planner = environment.planner
        let list = DockerPlanner.listProjectVolumes(cli: planner.cli, project: environment.names.project, engine: planner.engine)
        guard let listed = try? session.attempt(list, cleanup: true), listed.succeeded,
              let present = try? VolumeSnapshot.parseList(listed.stdoutText) else { return }
        for volume in present where volumes.contains(volume.name) && environment.names.owns(volume.labels) {
            guard let removed = try? session.attempt(planner.removeVolumes([volume.name]), cleanup: true), removed.succeeded else { continue }
            progress.step("removed volume \(volume.name) (made by this run, no container uses it)")
        }
    }
}
