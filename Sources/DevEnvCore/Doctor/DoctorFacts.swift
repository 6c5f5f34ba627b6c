/// Everything `devenv doctor` gathered (by a handful of docker calls, git, df and the file
/// system port) for `DoctorChecks.evaluate` to judge. Nil means "could not be found out".
public struct DoctorFacts: Sendable {
    /// A profile's settings that matter to the checks.
    public struct ProfileFacts: Sendable, Hashable {
        public var name: String
        public var target: String?
        public var user: UserSpec
        public var readOnly: Bool
        public var capAdd: [String]
        public var capDrop: [String]
        public var noNewPrivileges: Bool

        public init(name: String, target: String?, user: UserSpec, readOnly: Bool = false, capAdd: [String] = [],
                    capDrop: [String] = [], noNewPrivileges: Bool = false) {
            self.name = name
            self.target = target
            self.user = user
            self.readOnly = readOnly
            self.capAdd = capAdd
            self.capDrop = capDrop
            self.noNewPrivileges = noNewPrivileges
        }

        public init(_ profile: Profile) {
            self.init(name: profile.name, target: profile.target.value, user: profile.user.value,
                      readOnly: profile.readOnly.value, capAdd: profile.capAdd.value, capDrop: profile.capDrop.value,
                      noNewPrivileges: profile.noNewPrivileges.value)
        }
    }

    public struct EnvFile: Sendable, Hashable {
        /// Relative to the project folder.
        public var path: String
        public var permissions: UInt32?
        /// Nil when git could not tell (no repository, no git).
        public var tracked: Bool?

        public init(path: String, permissions: UInt32?, tracked: Bool?) {
            self.path = path
            self.permissions = permissions
            self.tracked = tracked
        }
    }

    public struct VolumeOwner: Sendable, Hashable {
        public var name: String
        public var uid: UInt32
        public var gid: UInt32

        public init(name: String, uid: UInt32, gid: UInt32) {
            self.name = name
            self.uid = uid
            self.gid = gid
        }
    }

    /// The image whose users were read: the dev image devenv built, else the base image.
    public struct ImageAccounts: Sendable, Hashable {
        public var image: String
        /// True for the image devenv built for the synced user; false for the base image.
        public var isBuilt: Bool
        public var accounts: AccountDatabase

        public init(image: String, isBuilt: Bool, accounts: AccountDatabase) {
            self.image = image
            self.isBuilt = isBuilt
            self.accounts = accounts
        }
    }

    public var cli: String
    /// False when the docker CLI could not be started at all.
    public var cliFound = true
    /// Why not, when a file of its name was there but may not be executed (`ProgramSearch`
    /// passed it over): the runner's detail. Nil otherwise.
    public var cliPassedOver: String?
    public var engine = EngineFacts()

    /// Who runs devenv, the folder's owner and whom the container runs as.
    public var hostUID: UInt32 = 0
    public var hostGID: UInt32 = 0
    public var folderOwner: (uid: UInt32, gid: UInt32)?
    public var identity: HostIdentity?

    /// Nil when devenv.toml (or a profile) does not load; `configError` says why.
    public var configError: String?
    public var profiles: [ProfileFacts] = []
    /// The project's build args (devenv.toml), name -> value.
    public var buildArgs: [(name: String, value: String)] = []

    /// Relative path as shown; nil text when there is no Dockerfile.
    public var dockerfilePath = "Dockerfile"
    public var dockerfile: String?

    public var envFiles: [EnvFile] = []
    /// `ca_bundle` as set in [project] or a profile (the first found), nil when unset.
    public var caBundle: String?
    /// The extra CA files in the host's trust store (`CABundle.extraAnchors`).
    public var hostExtraCAs: [String] = []
    /// The build context as shown (relative to the project folder, `.` for the folder itself).
    public var contextPath = "."
    /// The ignore file that applies (`Dockerfile.dockerignore` beside the Dockerfile, else the
    /// context's `.dockerignore`) as shown, and its text; nil text when there is none.
    public var dockerignorePath = ".dockerignore"
    public var dockerignore: String?
    /// Secret-like files in the build context (`BuildContextScan.candidates`), relative to it,
    /// whether or not the ignore file excludes them.
    public var contextSecrets: [(path: String, kind: BuildContextScan.Kind)] = []
    public var imageAccounts: ImageAccounts?
    /// Why the image's users were not read (no image built, the container failed).
    public var imageAccountsSkipped: String?
    /// Ids the dev volumes should belong to, and what they do.
    public var volumeOwnerExpected: (uid: UInt32, gid: UInt32)?
    public var volumes: [VolumeOwner] = []
    public var volumesSkipped: String?

    /// Free bytes where the engine keeps images; nil when unknown.
    public var freeBytes: UInt64?
    public var diskPath: String?

    public init(cli: String) { self.cli = cli }
}
