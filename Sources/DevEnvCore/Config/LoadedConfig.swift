/// The configuration devenv acts on: the project's settings, the chosen profile's effective
/// settings, the names of every profile that can be chosen, and the warnings found on the way.
public struct LoadedConfig: Sendable, Hashable {
    public var project: ProjectSettings
    public var profile: Profile
    /// Every profile name defined by any layer, sorted.
    public var profileNames: [String]
    /// The files that were read, lowest layer first (paths as shown in locations).
    public var files: [String]
    /// Warnings only: any error makes loading fail.
    public var diagnostics: [Diagnostic]
    /// Every profile's effective settings, by name (all are resolved on every load, so that a
    /// broken `extends` anywhere is reported): `selecting` needs no second read.
    public var profiles: [String: Profile]
    /// Every declared service (`[services.NAME]`), sorted by name; a profile runs those its
    /// `services` names (`services(for:)`).
    public var services: [ServiceSpec] = []

    public init(project: ProjectSettings, profile: Profile, profileNames: [String], files: [String],
                diagnostics: [Diagnostic], profiles: [String: Profile] = [:]) {
        self.project = project
        self.profile = profile
        self.profileNames = profileNames
        self.files = files
        self.diagnostics = diagnostics
        self.profiles = profiles
    }

    /// The same configuration with `name` chosen instead, nil when there is no such profile.
    /// The warnings stay those of the whole configuration.
    public func selecting(_ name: String) -> LoadedConfig? {
        guard let chosen = profiles[name] else { return nil }
        var other = self
        other.profile = chosen
        return other
    }

    /// The declared services `profile` runs, in the order it names them (unknown names left out:
    /// for the chosen profile they were an error already).
    public func services(for profile: Profile) -> [ServiceSpec] {
        profile.services.value.compactMap { named in services.first { $0.name == named.name } }
    }

}
