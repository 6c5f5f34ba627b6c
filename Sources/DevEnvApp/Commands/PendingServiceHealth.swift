import DevEnvCore

/// A started service whose health `up` has not waited for yet (`ServiceSet.up` returns the last
/// service's this way): `up` makes the app's container meanwhile (lookup, image, volumes,
/// `docker create`) while the engine runs the service's health check, and resolves the wait
/// just before it starts the app, as Compose starts a `condition: service_healthy` dependant
/// only once the dependency is healthy, having made its network and volumes first (issue 14:
/// services `up` against compose).
///
/// Rules kept: the app starts only after `resolve` returned; a service container this run
/// created that is interrupted before it was seen healthy goes again by its ID (`abandon`, or
/// `resolve` when the interruption comes during the wait); one that fails its check is stopped
/// and kept (`ServiceSet.waitHealthy`). Resolved once: later calls give the same answer.
final class PendingServiceHealth {
    let service: ServiceSpec
    /// The container's ID (devenv's: created by this run or looked up and label-checked).
    let id: String
    /// Whether this run created the container (it then goes again when interrupted).
    let createdNow: Bool
    /// When this run started it, on the session's clock; nil when it was running already.
    let startedAt: Double?
    /// This run removed the service's previous container to recreate it (a service publishes
    /// fixed host ports and a DNS alias, so it is not swapped like the app's).
    let replacedPrevious: Bool
    private let set: ServiceSet
    private var answer: Result<String, any Error>?
    private var removed = false
    /// `abandon` tried to remove the container and the engine refused or did not answer.
    private var removalFailed = false

    init(service: ServiceSpec, id: String, createdNow: Bool, startedAt: Double?, replacedPrevious: Bool = false, set: ServiceSet) {
        self.service = service
        self.id = id
        self.createdNow = createdNow
        self.startedAt = startedAt
        self.replacedPrevious = replacedPrevious
        self.set = set
    }

    /// Waits until the service is healthy (`ServiceSet.waitHealthy`); returns `healthy`, or
    /// `running` for a service without a health check. Throws as that wait does (exit 1 with the
    /// service's last lines), and 128+N when interrupted by signal N, after removing a container
    /// this run created (exit 1 when a recreated service's could not be removed: `noted`).
    @discardableResult
    func resolve() throws -> String {
        if let answer { return try answer.get() }
        do {
            let health = try set.waitHealthy(service, id: id, startedAt: startedAt, createdNow: createdNow)
            answer = .success(health)
            return health
        } catch {
            answer = .failure(error)
            if let error = error as? DevEnvError, error.exitCode == .interrupted {
                abandon()
                throw noted(error)
            }
            throw error
        }
    }

    /// `up` stopped before the wait ended (interrupted): a container this run created and never
    /// saw healthy goes, by its ID; one that was there before stays. Harmless twice.
    func abandon() {
        guard createdNow, !removed, !set.session.dryRun else { return }
        if case .success = answer { return }
        // Not said here when it fails: a first container is in `MadeObjects`, whose clean-up
        // tries again and names it as left; a recreated service's is named by `noted`.
        removed = set.removeCreated(id: id)
        removalFailed = !removed
    }

    /// `error` (an interruption) with what it left of a recreated service: its previous
    /// container went for the recreate and the new one with the interruption, so the service
    /// does not run. It said only "stopped cleanly" (break21). Said once. When the new one could
    /// not be removed, it is named as left, with how to remove it (exit 1, as `MadeObjects` says
    /// of what it could not take back): a recreated service's container is in no `MadeObjects`
    /// (it is kept once healthy), so nothing else would say it, and exit 130 would promise that
    /// nothing half-made was left.
    func noted(_ error: DevEnvError) -> any Error {
        guard replacedPrevious else { return error }
        if removalFailed {
            return MadeObjects.incomplete(error, left: [.container(set.environment.names.serviceContainer(service.name), id: id,
                                                                   planner: set.environment.planner, why: "the engine did not remove it")])
        }
        guard removed else { return error }
        return Self.noted(error, recreating: service.name, up: set.environment.spec.command("up"),
                          left: "its previous container had been removed and the new one was removed before it was healthy")
    }

    /// `error` with the note that service `name`'s recreate did not finish (`left`: what
    /// became of its containers), so the service does not run; `up`: the command that makes it
    /// again (`EnvironmentSpec.command`).
    static func noted(_ error: DevEnvError, recreating name: String, up: String, left: String) -> DevEnvError {
        let note = "; service \(name) was being recreated: \(left), "
            + "so it does not run (`\(up)` makes it again; its volumes are kept)"
        guard !error.message.contains(note) else { return error }
        var noted = error
        noted.message += note
        return noted
    }
}
