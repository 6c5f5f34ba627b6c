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

    /// One object this run made that its clean-up could not take away: what it is (`container`,
    /// `network`, `volume`), its name, its ID when devenv knows it (a volume's ID is its name;
    /// nil: the engine did not say), why it stays, and the docker command that removes it.
    struct Left: Equatable {
        var kind: String
        var name: String
        var id: String?
        var why: String
        var removal: ProcessInvocation

        /// A container devenv made (by `docker create`'s ID) that it could not remove.
        static func container(_ name: String, id: String, planner: DockerPlanner, why: String) -> Left {
            Left(kind: "container", name: name, id: id, why: why, removal: planner.remove(id: id))
        }

        /// `volume devenv-p-dev-venv (ID devenv-p-dev-venv): the engine did not answer`
        var said: String {
            // An engine ID (64 hex digits) as docker shows it, cut to 12; a volume's name in full.
            let shown = id.map { $0.count == 64 && $0.allSatisfy(\.isHexDigit) ? String($0.prefix(12)) : $0 }
            return "\(kind) \(name) (ID \(shown ?? "not known")): \(why)"
        }
    }

    /// Removes what this run made that nothing uses, after `error` ended the run, and returns
    /// the error to throw: `error` itself when nothing of the run's is left, else an exit-1
    /// failure that keeps its message and says each object left (kind, name, ID, why) and the
    /// commands that remove them. Why exit 1 even after a signal: exit 130 promises that nothing
    /// half-made was left (README, exit codes), and a script must not read this as clean.
    /// Order: interrupted, the services' first containers (by ID); the network once no container
    /// is on it (`ServiceSet.removeNetwork`, by ID, labels checked), then each recorded volume
    /// that carries this environment's labels (one at a time: the engine refuses one a container
    /// mounts, stopped ones included, and that one stays: it is not left over, a kept container
    /// uses it). Clean-up calls: they run after an interruption, bounded by DEVENV_TIMEOUT.
    /// Nothing under --dry-run.
    func takeBack(after error: any Error, session: DockerSession, environment: Environment, progress: Progress) -> any Error {
        Self.incomplete(error, left: takeBack(session: session, environment: environment, progress: progress))
    }

    /// `error` as it is when `left` is empty; else the exit-1 failure `takeBack(after:...)`
    /// describes, which keeps its message and names what was left and how to remove it.
    static func incomplete(_ error: any Error, left: [Left]) -> any Error {
        guard !left.isEmpty else { return error }
        let failure = ErrorReport.devEnvError(error)
        let removals = left.map { $0.removal.shellQuoted }.joined(separator: "; ")
        return DevEnvError(.failure, failure.message + "; clean-up incomplete, left: " + left.map(\.said).joined(separator: ", "),
                           hint: "remove what was left: \(removals)" + (failure.hint.map { "; \($0)" } ?? ""), detail: failure.detail)
    }

    /// What `takeBack(after:...)` removes; returns what it could not.
    func takeBack(session: DockerSession, environment: Environment, progress: Progress) -> [Left] {
        let (network, volumes, containers) = lock.withLock { (self.network, self.volumes, self.containers) }
        guard !session.dryRun else { return [] }
        let planner = environment.planner
        let names = environment.names
        var left: [Left] = []
        /// The engine's refusal or silence, in a few words, for `Left.why`.
        func reason(_ result: ProcessResult?) -> String {
            guard let result else { return "the engine did not answer" }
            let said = result.stderrText.split(whereSeparator: \.isNewline).first.map(String.init) ?? "exit \(result.exitCode)"
            return "the engine refused: " + TerminalSafeText.escaping(said, keepingLineBreaks: false)
        }
        // Interrupted: the services' first containers go too, healthy or not (the user asked
        // for the run to stop), unless another container on the project network stays (the
        // app's, started before the signal: it needs them). Failed: a healthy service stays
        // for the next try, one that failed its check stays stopped for `devenv logs`.
        if session.context.interruption() != nil, !containers.isEmpty {
            let users = try? session.attempt(ServicePlanner(planner: planner).networkUsers(), cleanup: true)
            if let users, users.succeeded {
                let onNetwork = users.stdoutText.split(whereSeparator: \.isNewline)
                if onNetwork.allSatisfy({ user in containers.contains { $0.name == user } }) {
                    for container in containers {
                        let removed = try? session.attempt(planner.remove(id: container.id), cleanup: true)
                        if removed?.succeeded == true {
                            progress.step("removed \(container.name) (made by this run)")
                        } else if let removed, removed.stderrText.contains("No such container") {
                            continue // gone already (`PendingServiceHealth.abandon`)
                        } else {
                            left.append(.container(container.name, id: container.id, planner: planner, why: reason(removed)))
                        }
                    }
                }
            } else {
                // Not known whether the app's container is on the network: they are left, and said.
                for container in containers {
                    left.append(.container(container.name, id: container.id, planner: planner, why: "not removed: " + reason(users)))
                }
            }
        }
        if network {
            let services = ServiceSet(environment: environment, session: session, progress: progress)
            var id: String?
            do {
                id = try services.ownNetworkID(cleanup: true)
                if let id { try services.removeNetwork(id: id, cleanup: true, why: "made by this run, no container is on it") }
            } catch {
                let removal = id.map { ServicePlanner(planner: planner).removeNetwork(id: $0) }
                    ?? ServicePlanner(planner: planner).removeNetwork(id: names.network)
                left.append(Left(kind: "network", name: names.network, id: id,
                                 why: session.engineStoppedAnswering ? "the engine did not answer" : ErrorReport.devEnvError(error).message,
                                 removal: removal))
            }
        }
        guard !volumes.isEmpty else { return left }
        let list = DockerPlanner.listProjectVolumes(cli: planner.cli, project: names.project, engine: planner.engine)
        let listed = try? session.attempt(list, cleanup: true)
        guard let listed, listed.succeeded, let present = try? VolumeSnapshot.parseList(listed.stdoutText) else {
            // Which of them the engine made is not known: each is named, as made (its create
            // may have run) and not removed.
            return left + volumes.map { Left(kind: "volume", name: $0, id: $0, why: "not removed, if it was made: " + reason(listed),
                                             removal: planner.removeVolumes([$0])) }
        }
        for volume in present where volumes.contains(volume.name) && names.owns(volume.labels) {
            let removed = try? session.attempt(planner.removeVolumes([volume.name]), cleanup: true)
            if removed?.succeeded == true {
                progress.step("removed volume \(volume.name) (made by this run, no container uses it)")
            } else if let removed, removed.stderrText.contains("volume is in use") || removed.stderrText.contains("is being used") {
                continue // a container it leaves behind mounts it (a service stopped for its logs)
            } else {
                left.append(Left(kind: "volume", name: volume.name, id: volume.name, why: reason(removed),
                                 removal: planner.removeVolumes([volume.name])))
            }
        }
        return left
    }
}
