import DevEnvCore

/// Whether the container gets GPUs: asks the engine whether it has a GPU runtime
/// (`EngineFacts.hasGPURuntime`, read from the engine description's one `docker info`, which
/// `up` asks anyway for the synced user: no call of its own then) and leaves the arguments to
/// the one rule, `GPUArguments` (devcontainer.json's `hostRequirements.gpu` and `run_args`'
/// `--gpus`). Nothing is asked when the environment wants no GPUs; a dry run plans with the
/// GPUs. What the engine cannot give is one warning naming the properties: a required GPU and
/// run_args' `--gpus` options; an optional GPU is silent.
struct GPUProbe {
    let session: DockerSession
    let context: AppContext

    func apply(to planner: inout DockerPlanner) throws {
        let spec = planner.spec
        planner.engineHasGPURuntime = nil
        guard spec.gpu != nil || !RunOptions.gpuOptions(spec.runArgs).isEmpty, !session.dryRun else { return }
        let facts = try EngineProbe(session: session, context: context).facts()
        planner.engineHasGPURuntime = facts.hasGPURuntime
        guard let shortfall = planner.gpuArguments.shortfall else { return }
        let why = facts.server == .podman
            ? "devenv gives GPUs only through Docker's nvidia runtime, which this Podman engine does not report"
            : "this engine has no GPU runtime (`docker info` lists no nvidia runtime)"
        let fix = "install the NVIDIA Container Toolkit and register its runtime"
        let container = planner.names.container
        let key = spec.runArgsKey
        let options = shortfall.runArgsOptions.joined(separator: ", ")
        switch (shortfall.requiredGPU, shortfall.runArgsOptions.isEmpty) {
        case (true, true):
            context.console.writeError(ErrorReport.warning("hostRequirements.gpu: \(why), so \(container) runs without GPUs "
                                       + "(no --gpus all); \(fix), or set hostRequirements.gpu to \"optional\" to silence this"))
        case (false, false):
            context.console.writeError(ErrorReport.warning("\(key): \(options) left out: \(why), so "
                                       + "\(container) runs without GPUs; \(fix), or remove it from \(key)"))
        case (true, false):
            // Both ask for GPUs: one warning, naming both.
            context.console.writeError(ErrorReport.warning("hostRequirements.gpu and \(key) (\(options)): \(why), so \(container) "
                                       + "runs without GPUs (no --gpus at all); \(fix), or set hostRequirements.gpu to \"optional\" "
                                       + "and remove \(options) from \(key) to silence this"))
        case (false, true):
            break
        }
    }
}
