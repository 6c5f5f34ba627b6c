import DevEnvCore

/// `devenv build [--no-cache]`, and the build step of `up`: `docker build` with the profile's
/// target, the synced user's build args and `--secret`s, with BuildKit when the client has it.
struct Build {
    let environment: Environment
    let session: DockerSession
    let context: AppContext
    let progress: Progress

    private var spec: EnvironmentSpec { environment.spec }

    /// A ready image (devcontainer.json `image`) is pulled, not built.
    private func pull(_ image: String) throws {
        let invocation = environment.planner.pull(image)
        progress.begin("pulling \(image)")
        let result = try session.attempt(invocation, onOutput: { _, bytes in progress.output(bytes) })
        progress.end(succeeded: result.succeeded)
        try session.checkInterruption()
        guard result.succeeded else { throw DockerFailure.error("pulling \(image)", invocation: invocation, result: result, outputShown: progress.showsOutput) }
    }

    func run(noCache: Bool) throws -> String {
        let image = try environment.image(fileSystem: context.fileSystem)
        try build(image: image, noCache: noCache)
        return image
    }

    /// `nameIsFree`: the caller just found no image under `image` (`up`); otherwise the image
    /// the name names now is recorded first when it is devenv's (`BuiltImages.keepRecord`).
    func build(image: String, noCache: Bool, nameIsFree: Bool = false) throws {
        if spec.image != nil { return try pull(image) }
        try Self.checkBuildInputs(spec, environment: context.environment, fileSystem: context.fileSystem)
        let dockerfile = try context.fileSystem.readFile(environment.spec.dockerfile)
        if let dockerfile { try environment.checkTarget(dockerfile: dockerfile) }
        // The engine probe's judgement, one a command (a docker CLI on Podman's API is Podman's
        // build); none in a dry run, which plans with BuildKit.
        let engine = session.dryRun ? nil : try EngineProbe(session: session, context: context).facts()
        let buildKit = try BuildKitSupport(session: session, cli: context.dockerCLI).available(on: engine)
        // Podman's own build (Buildah) takes RUN --mount without BuildKit.
        if !buildKit, engine?.server != .podman, let dockerfile,
           BuildKitSupport.requiresBuildKit(dockerfile: String(decoding: dockerfile, as: UTF8.self)) {
            throw DevEnvError(.failure,
                              "\(RelativePath.display(environment.spec.dockerfile, under: environment.spec.projectRoot)) needs BuildKit (RUN --mount or a # syntax line) and the docker CLI \"\(context.dockerCLI)\" has none",
                              hint: DockerFailure.buildKitHint)
        }
        // Recorded as devenv's (`BuiltImages`); not in a dry run, which builds nothing.
        let built = BuiltImages(context: context, engine: environment.planner.engine)
        if !nameIsFree && !session.dryRun { try built.keepRecord(ofNamed: image, environment: environment, session: session) }
        let imageIDFile = session.dryRun ? nil : built.imageIDFile(image: image)
        let invocation = environment.planner.build(image: image, buildKit: buildKit, noCache: noCache, imageIDFile: imageIDFile)
        progress.begin("building \(image) (target \(environment.spec.target ?? "last stage"))", waitingFor: "`docker build`", phase: .building)
        // Podman keeps the steps of the other stages as untagged images: named by its output,
        // and counted only when not among the folder's images before the build (a RUN can print
        // a step's line itself). No listing, no record of steps.
        let before = environment.planner.engine == .podman && imageIDFile != nil ? try folderImageIDs() : nil
        let steps = before == nil ? nil : BuildStepImages()
        let result = try session.attempt(invocation, onOutput: { _, bytes in
            progress.output(bytes)
            steps?.read(bytes)
        })
        progress.end(succeeded: result.succeeded)
        built.record(from: imageIDFile, image: image)
        if let steps, let before { recordSteps(steps, madeSince: before, built: built) }
        try session.checkInterruption()
        guard result.succeeded else {
            throw DockerFailure.error("building \(image)", invocation: invocation, result: result, outputShown: progress.showsOutput)
        }
    }
}

extension Build {
    /// Records the step images `steps` named (`BuildStepImages`) that are labelled for this
    /// folder (one `image ls --all`; a step taken from the cache of another folder's build keeps
    /// that folder's labels and is not this folder's to remove) and that this build made (not
    /// in `before`), also after a failed build, whose finished steps stay too. A listing that
    /// fails records nothing: those images are then left and reported, as before.
    private func recordSteps(_ steps: BuildStepImages, madeSince before: [String], built: BuiltImages) {
        guard !steps.isEmpty, let listed = try? session.attempt(folderImagesListing, cleanup: true), listed.succeeded else { return }
        built.record(stepImages: steps.ids(among: Self.lines(listed), madeSince: before))
    }

    /// The IDs of the images labelled for this folder now (`DockerPlanner.listFolderImageIDs`);
    /// nil when the engine does not say.
    private func folderImageIDs() throws -> [String]? {
        let listed = try session.attempt(folderImagesListing)
        try session.checkInterruption()
        return listed.succeeded ? Self.lines(listed) : nil
    }

    private var folderImagesListing: ProcessInvocation {
        DockerPlanner.listFolderImageIDs(cli: environment.planner.cli, root: environment.spec.projectRoot)
    }

    private static func lines(_ result: ProcessResult) -> [String] {
        result.stdoutText.split(whereSeparator: \.isNewline).map(String.init)
    }
}

extension Build {
    /// What the build reads from the host, checked before `docker build` runs (exit 2): a
    /// secret from an unset environment variable would otherwise build without it (docker
    /// passes an empty secret and the RUN that needs it fails later, or worse, succeeds), and
    /// `ssh = true` needs an agent for `--ssh default`. The host files the docker CLI reads for
    /// the build (the ignore files, file secrets, the CA bundle) are checked here first, so that
    /// one that is no regular file is refused as every file devenv reads is (`FileSystem
    /// .readFile`): a `.dockerignore` that was a FIFO held `docker build` for ever, and a secret
    /// that is one would once a RUN mounts it (regress26). Secrets and the bundle are only opened
    /// and their kind checked (`checkRegularFile`): devenv never reads them, and a large one (a
    /// model's token file, a 100 MiB archive) is the docker CLI's to pass, not over devenv's limit.
    static func checkBuildInputs(_ spec: EnvironmentSpec, environment: [String: String], fileSystem: any FileSystem) throws {
        for path in DockerignoreMatcher.ignoreFilePaths(dockerfile: spec.dockerfile, context: spec.context) {
            _ = try fileSystem.readFile(path)
        }
        for secret in spec.buildSecrets {
            guard case .file(let path) = secret.source else { continue }
            _ = try fileSystem.checkRegularFile(path)
        }
        if let bundle = spec.caBundle { _ = try fileSystem.checkRegularFile(bundle) }
        for secret in spec.buildSecrets {
            guard case .environment(let variable) = secret.source, environment[variable] == nil else { continue }
            let place = secret.origin.map { "\($0): " } ?? ""
            throw DevEnvError(.usage, "\(place)build secret \"\(secret.id)\" reads the environment variable \(variable), which is not set",
                              hint: "export \(variable) before building, or remove the secret from [project.build_secrets]; nothing was built")
        }
        if spec.ssh, (environment["SSH_AUTH_SOCK"] ?? "").isEmpty {
            throw DevEnvError(.usage, "profile \(spec.profile) sets ssh = true (docker build --ssh default) but SSH_AUTH_SOCK is not set",
                              hint: "start an agent and add your key: eval \"$(ssh-agent)\" && ssh-add; nothing was built")
        }
    }
}

extension Build {
    /// What `build` prints: "built IMAGE"; `--json`: `image`.
    static func text(image: String) -> String { "built \(image)\n" }
    static func fields(image: String) -> [(String, JSONValue)] { [("image", .string(image))] }
}
