/// devcontainer.json's `hostRequirements.gpu`: whether the environment wants the host's GPUs.
/// devenv passes `docker run --gpus all` when the engine has a GPU runtime
/// (`EngineFacts.hasGPURuntime`); otherwise a required GPU is a warning and the container runs
/// without, an optional one is silent. A profile's own `run_args = ["--gpus", ...]` follows the
/// same rule (left out with a warning naming `run_args`: `RunOptions.withoutGPUs`), and when it
/// names `--gpus` no `--gpus all` is added: one rule for both, `GPUArguments`.
public enum GPURequest: String, Sendable, Hashable {
    /// `true` (or an object with `cores`/`memory`): warn when the engine cannot give one.
    case required
    /// `"optional"`: use one when there is one, silently otherwise.
    case optional
}
