/// The one rule for a container's GPU options (`docker run --gpus`), from the two places a
/// configuration asks for GPUs: devcontainer.json's `hostRequirements.gpu` (`GPURequest`) and
/// the profile's `run_args` (devcontainer.json `runArgs`) `--gpus` options.
///
/// - The engine has a GPU runtime (`EngineFacts.hasGPURuntime`), or it was not asked (a dry
///   run; the container fingerprint, which counts the configuration, not the engine's answer):
///   run_args' own `--gpus` options are passed as written, and `hostRequirements.gpu` adds
///   `--gpus all` only when run_args names none. run_args is the more precise of the two
///   (`--gpus device=1`; the spec's `hostRequirements.gpu` only says "a GPU", its `cores` and
///   `memory` are not checked): the docker CLI takes `--gpus` more than once and makes one device
///   request of each, so `--gpus all` beside it would hand over every GPU, and `--gpus all` twice
///   asks twice for the same.
/// - It has none: no `--gpus` at all (docker would refuse to start the container, "could not
///   select device driver"); `shortfall` says what was asked for, for the one warning.
public struct GPUArguments: Sendable, Hashable {
    /// What devenv adds before run_args: `["--gpus", "all"]`, or nothing.
    public var added: [String]
    /// The profile's run_args as passed to docker.
    public var runArgs: [String]
    /// What the engine cannot give that the configuration asked for; nil when nothing was left out.
    public var shortfall: Shortfall?

    public struct Shortfall: Sendable, Hashable {
        /// `hostRequirements.gpu` was `true` (or an object): warn. An optional GPU is left out silently.
        public var requiredGPU: Bool
        /// run_args' `--gpus` options as written (`--gpus all`, `--gpus=device=1`).
        public var runArgsOptions: [String]
    }

    /// `engineHasGPURuntime`: nil when the engine was not asked (planned as configured).
    public init(request: GPURequest?, runArgs: [String], engineHasGPURuntime: Bool?) {
        let options = RunOptions.gpuOptions(runArgs)
        if engineHasGPURuntime ?? true {
            added = request != nil && options.isEmpty ? ["--gpus", "all"] : []
            self.runArgs = runArgs
            shortfall = nil
            return
        }
        added = []
        self.runArgs = options.isEmpty ? runArgs : RunOptions.withoutGPUs(runArgs)
        let shortfall = Shortfall(requiredGPU: request == .required, runArgsOptions: options)
        self.shortfall = shortfall.requiredGPU || !options.isEmpty ? shortfall : nil
    }
}
