/// The keys devenv understands, per table. Scripts rely on these names: never rename.
enum ConfigKeys {
    static let root = ["project", "profiles", "devcontainer", "services"]
    static let project = ["name", "dockerfile", "context", "workspace", "default_profile", "base_image",
                          "clean_cache", "build_args", "build_secrets", "mounts", "ca_bundle"]
    static let profile = ["extends", "description", "target", "user", "home", "network", "host", "ports", "env",
                          "env_file", "volumes", "ssh", "ca_bundle", "command", "read_only", "tmpfs", "cap_drop", "cap_add",
                          "no_new_privileges", "restart", "mount_workspace", "sync_command", "test_command",
                          "run_args", "post_create", "post_start", "post_attach", "services"]
    static let buildSecret = ["src", "env"]
    static let service = ["image", "build", "env", "env_file", "ports", "volumes", "command", "healthcheck", "user"]
    static let serviceBuild = ["dockerfile", "context", "target", "args"]
    static let serviceHealthcheck = ["test", "interval", "retries"]
}
