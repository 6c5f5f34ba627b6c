import DevEnvCore

/// `devenv down [--volumes] [--images]`: stop and remove the container and its services'
/// containers, also those of services the profile no longer runs (orphans: devenv's by their
/// labels, always removed, as `docker compose down --remove-orphans` would: README, "Services"),
/// then the project network devenv made for it once no container is on it, also when the
/// profile runs no service any more (`ServiceSet.remove`); with --volumes also its named volumes; with --images also every image devenv built for this
/// profile (the app's and its services', `ImageSelection.forDown`). Only objects carrying this
/// project's labels are touched.
struct Down {
    struct Result: Sendable {
        var removedContainer: String?
        var removedVolumes: [String]
        /// The services' containers removed (ServiceSet).
        var removedServices: [String] = []
        /// With --images: what went and what was left (and why).
        var images = ImageSet.Outcome()
    }

    let environment: Environment
    let session: DockerSession
    let progress: Progress

    func run(volumes removeVolumes: Bool, images removeImages: Bool = false) throws -> Result {
        let planner = environment.planner
        let lookup = ContainerLookup(session: session, planner: planner)
        // One `docker ps`: the app's container and the orphaned services' (by name prefix).
        let found = try lookup.look()
        let existing = try ContainerLookup.ours(found.container, name: planner.names.container, names: planner.names, cli: planner.cli)
        let services = ServiceSet(environment: environment, session: session, progress: progress)
        let serviceContainers = try services.found()
        var doomedVolumes: [String] = []
        if removeVolumes {
            // Check every volume before removing anything: a foreign one stops the whole command.
            for volume in try VolumeSet(session: session, environment: environment).owned() {
                guard environment.names.owns(volume.labels) else {
                    throw DevEnvError(.conflict, "the volume \(volume.name) was not created by devenv for this project; nothing was removed",
                                      hint: "remove it yourself if it is not needed")
                }
                doomedVolumes.append(volume.name)
            }
        }
        // Each step runs to its end; an interruption stops `down` between steps and says what
        // it did (a second `down` removes the rest: it looks everything up again).
        let again = environment.spec.command("down" + (removeVolumes ? " --volumes" : "") + (removeImages ? " --images" : ""))
        let steps = DoneSteps(session: session, finish: "run `\(again)` again to remove the rest")
        if let existing {
            progress.step("stopping and removing \(existing.name)" + (existing.hasProcess ? " (\(planner.stopWait))" : ""))
            // A paused one too: `rm --force` alone would kill it without its SIGTERM.
            if existing.hasProcess {
                try steps.run(planner.stop(id: existing.id), "stopping \(existing.name)", done: "stopped \(existing.name)")
            }
            try steps.run(planner.remove(id: existing.id), "removing \(existing.name)", done: "removed \(existing.name)")
            lookup.memory.forget()
        }
        // After the app (which uses them), before the volumes (which they use).
        // An earlier devenv's container (no folder tag) had that devenv's network, if any.
        let earlier = existing.map { ContainerIndex.holds($0, name: planner.names.legacy.container) } ?? false
        let removedServices = try services.remove(serviceContainers, orphans: found.orphans, earlierNames: earlier, steps: steps)
        if !doomedVolumes.isEmpty {
            progress.step("removing volumes \(doomedVolumes.joined(separator: ", "))")
            try steps.run(planner.removeVolumes(doomedVolumes), "removing volumes", done: "removed volumes \(doomedVolumes.joined(separator: ", "))")
        }
        if removeVolumes {
            // A reset environment runs its create stages again at the next up (LifecycleRecord),
            // also when it has no volumes of its own.
            try LifecycleHooks(environment: environment, session: session, context: session.context, progress: progress).forgetCreateStages()
        }
        var result = Result(removedContainer: existing.map { ContainerSnapshot.plainName($0.name) }, removedVolumes: doomedVolumes,
                            removedServices: removedServices)
        // Last: the containers that used them are gone now. One another container still uses
        // is refused by the engine and left, saying so.
        if removeImages {
            result.images = try steps.part("removing images") {
                let images = ImageSet(session: session, environment: environment)
                let listing = try images.projectImages()
                return try images.remove(ImageSelection.forDown(listing.images, names: environment.names, built: listing.built,
                                                                unreadRecords: listing.unreadRecords),
                                         progress: progress)
            }
        }
        return result
    }
}

extension Down {
    /// What `down` prints: each container removed (or that there was none), the volumes, and
    /// with `--images` each image removed or left (`ImageSet.text`).
    static func text(_ result: Result, profile: String, images: Bool) -> String {
        var text = result.removedContainer.map { "removed \($0)\n" } ?? "\(profile): no container to remove\n"
        text += result.removedServices.map { "removed \($0)\n" }.joined()
        if !result.removedVolumes.isEmpty { text += "removed volumes \(result.removedVolumes.joined(separator: ", "))\n" }
        if images {
            text += ImageSet.text(result.images)
            if result.images.isEmpty { text += "no images devenv built for \(profile)\n" }
        }
        return text
    }

    /// The `--json` fields of `down` (README, "JSON output"): removedContainer, removedVolumes,
    /// removedServices, and with `--images` `ImageSet.json`'s.
    static func fields(_ result: Result, images: Bool) -> [(String, JSONValue)] {
        [("removedContainer", .optional(result.removedContainer)),
         ("removedVolumes", .strings(result.removedVolumes)),
         ("removedServices", .strings(result.removedServices))] + (images ? ImageSet.json(result.images) : [])
    }
}
