import DevEnvCore

/// `devenv test`: builds the profile's image and runs its test command (the ci profile:
/// pytest) in a fresh container, removed afterwards; the test command's exit code is devenv's.
struct TestRun {
    let environment: Environment
    let session: DockerSession
    let context: AppContext
    let progress: Progress

    /// `arguments`: added to the profile's test command (`devenv test -k name`).
    func run(arguments: [String] = []) throws -> Int32 {
        let spec = environment.spec
        guard !spec.testCommand.isEmpty else {
            throw DevEnvError.usage("profile \(spec.profile) has no test_command",
                                    hint: "set test_command under [profiles.\(spec.profile)] in devenv.toml, or use --profile ci")
        }
        // Always built: profiles like ci copy the code into the image instead of mounting it,
        // and a test run must see the code as it is now. Docker's layer cache keeps it quick.
        let image = try environment.image(fileSystem: context.fileSystem)
        try Build(environment: environment, session: session, context: context, progress: progress)
            .build(image: image, noCache: false)
        _ = try VolumeSet(session: session, environment: environment).ensure(image: image, progress: progress)
        let command = spec.testCommand + arguments
        progress.step("running \(command.joined(separator: " ")) in \(image)")
        return try session.attempt(environment.planner.runToCompletion(image: image, command: command)).exitCode
    }
}
