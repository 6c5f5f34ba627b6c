import DevEnvCore

/// Whether the container gets GPUs: devcontainer.json's `hostRequirements.gpu` (`--gpus all`)
/// and a profile's `run_args` `--gpus` options are used only when the engine has a GPU runtime
/// (`EngineFacts.hasGPURuntime`, read from the engine description's one `docker info`, which
/// `up` asks anyway for the synced user: no call of its own then). Nothing is asked when the
/// environment wants no GPUs. Without a runtime docker would refuse to start the container
/// ("could not select device driver"), so they are left out: a required GPU and `run_args`'
/// `--gpus` each get one warning naming the property, an optional GPU is silent. A dry run
/// plans with the GPUs.
struct GPUProbe {
    let session: DockerSession
    let context: AppContext

    func apply(to planner: inout DockerPlanner) throws {
        let spec = planner.spec
        let runArgs = RunOptions.gpuOptions(spec.runArgs)
        planner.gpus = false
        planner.dropsGPURunArgs = false
        guard spec.gpu != nil || !runArgs.isEmpty else { return }
        if session.dryRun {
            planner.gpus = spec.gpu != nil
            return
        }
        let facts = try EngineProbe(session: session, context: context).facts()
        if facts.hasGPURuntime {
            planner.gpus = spec.gpu != nil
            return
        }
        planner.dropsGPURunArgs = true
        let why = facts.kind == .podman
            ? "devenv gives GPUs only through Docker's nvidia runtime, which this Podman engine does not report"
            : "this engine has no GPU runtime (`docker info` lists no nvidia runtime)"
        let fix = "install the NVIDIA Container Toolkit and register its runtime"
        if spec.gpu == .required {
            context.console.writeError("devenv: warning: hostRequirements.gpu: \(why), so \(planner.names.container) runs without GPUs "
                                       + "(no --gpus all); \(fix), or set hostRequirements.gpu to \"optional\" to silence this\n")
        }
        if !runArgs.isEmpty {
            let key = spec.runArgsKey
            context.console.writeError("devenv: warning: \(key): \(runArgs.joined(separator: ", ")) left out: \(why), so "
                                       + "\(planner.names.container) runs without GPUs; \(fix), or remove it from \(key)\n")
        }
    }
}
