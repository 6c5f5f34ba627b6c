/// devcontainer.json's `hostRequirements.gpu`: whether the environment wants the host's GPUs.
/// devenv passes `docker run --gpus all` when the engine has a GPU runtime (`docker info`
/// lists an `nvidia` runtime: the NVIDIA Container Toolkit registers it); otherwise a required
/// GPU is a warning and the container runs without, an optional one is silent.
public enum GPURequest: String, Sendable, Hashable {
    /// `true` (or an object with `cores`/`memory`): warn when the engine cannot give one.
    case required
    /// `"optional"`: use one when there is one, silently otherwise.
    case optional

    /// Whether `docker info --format '{{json .Runtimes}}'` output names an nvidia runtime.
    public static func engineHasGPURuntime(runtimesJSON: String) -> Bool {
        runtimesJSON.contains("\"nvidia\"")
    }
}
