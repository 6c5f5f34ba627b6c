/// A stable fingerprint of the settings that shape the image and the container, for staleness
/// detection (a container whose `devenv.config-hash` label differs must be recreated).
/// FNV-1a 64 over a canonical text, never Swift's per-process seeded `Hasher`.
/// Left out on purpose: origins, description, extends, default_profile and the sync/test/clean
/// commands (none of them changes what runs). The project folder counts: it is the source of
/// the workspace bind mount.
public enum ConfigHash {
    public static func hash(project: ProjectSettings, profile: Profile) -> String {
        fnv1a64(canonicalText(project: project, profile: profile))
    }

    /// One `key=value` line per setting in a fixed order; strings JSON-escaped so that no value
    /// can imitate a line break or another key.
    public static func canonicalText(project: ProjectSettings, profile: Profile) -> String {
        var lines: [String] = []
        func add(_ key: String, _ value: String?) { lines.append("\(key)=\(value.map(JSONText.quote) ?? "null")") }
        func add(_ key: String, _ values: [String]?) {
            lines.append("\(key)=\(values.map { "[" + $0.map(JSONText.quote).joined(separator: ",") + "]" } ?? "null")")
        }
        add("project.directory", project.directory)
        add("project.name", project.name.value)
        add("project.dockerfile", project.dockerfile.value)
        add("project.context", project.context.value)
        add("project.workspace", project.workspace.value)
        add("project.base_image", project.baseImage.value)
        for arg in project.buildArgs { add("project.build_args.\(arg.name)", arg.value) }
        for secret in project.buildSecrets { add("project.build_secrets.\(secret.id)", secret.buildArgument) }
        add("project.mounts", project.mounts.value.map(\.volumeArgument))
        add("profile.name", profile.name)
        add("profile.target", profile.target.value)
        add("profile.user", profile.user.value.description)
        add("profile.home", profile.home.value)
        add("profile.network", profile.network.value)
        add("profile.ports", profile.ports.value.map(\.description))
        for entry in profile.env { add("profile.env.\(entry.name)", entry.value) }
        add("profile.env_file", profile.envFile.value)
        for entry in profile.volumes { add("profile.volumes.\(entry.name)", entry.value) }
        add("profile.command", profile.command.value)
        add("profile.read_only", String(profile.readOnly.value))
        add("profile.tmpfs", profile.tmpfs.value)
        add("profile.cap_drop", profile.capDrop.value)
        add("profile.cap_add", profile.capAdd.value)
        add("profile.no_new_privileges", String(profile.noNewPrivileges.value))
        add("profile.restart", profile.restart.value)
        add("profile.mount_workspace", String(profile.mountWorkspace.value))
        return lines.joined(separator: "\n") + "\n"
    }

    /// FNV-1a, 64 bits, over the UTF-8 bytes; 16 lowercase hex digits.
    public static func fnv1a64(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
