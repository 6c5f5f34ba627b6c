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

    public init(project: ProjectSettings, profile: Profile, profileNames: [String], files: [String],
                diagnostics: [Diagnostic]) {
        self.project = project
        self.profile = profile
        self.profileNames = profileNames
        self.files = files
        self.diagnostics = diagnostics
    }

}
