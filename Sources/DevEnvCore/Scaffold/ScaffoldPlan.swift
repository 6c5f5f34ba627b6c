/// What `devenv init` will do, decided purely from the project and which files exist: the
/// files to write, the ones it refuses to overwrite (without --force), the backups it keeps.
public struct ScaffoldPlan: Sendable, Hashable {
    public struct File: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            /// Written; an existing one is a conflict, or with --force kept as FILE.bak first.
            case generated
            /// Written only when missing (.env.dev from its template); never overwritten.
            case createdIfMissing = "created-if-missing"
            /// Existing text kept, missing lines appended (.gitignore).
            case merged
        }

        /// Relative to the project folder.
        public var path: String
        public var text: String
        /// Permission bits: 0o600 for env files, 0o755 for scripts.
        public var mode: UInt32
        public var kind: Kind

        public init(path: String, text: String, mode: UInt32, kind: Kind) {
            self.path = path
            self.text = text
            self.mode = mode
            self.kind = kind
        }
    }

    public enum Action: String, Sendable, Hashable {
        case write, overwrite, append, skip
    }

    public struct Step: Sendable, Hashable {
        public var file: File
        public var action: Action
        /// FILE.bak, when an existing file is replaced.
        public var backup: String?
    }

    public var steps: [Step]
    /// Existing generated files that block init without --force.
    public var conflicts: [String]

    /// Every file init produces for the project, in the order it reports them.
    public static func files(project: PythonProject, choices: ScaffoldChoices, existingGitignore: String?) -> [File] {
        var files = [
            File(path: "Dockerfile", text: DockerfileTemplate.text(project: project, choices: choices), mode: 0o644, kind: .generated),
            File(path: CreateUserScript.path, text: CreateUserScript.text, mode: 0o755, kind: .generated),
            File(path: ".dockerignore", text: ProjectFileTemplates.dockerignore, mode: 0o644, kind: .generated),
            File(path: ".env.dev.template", text: ProjectFileTemplates.envTemplate(profile: "dev", project: project, services: choices.services),
                 mode: 0o644, kind: .generated),
            File(path: ".env.prod.template", text: ProjectFileTemplates.envTemplate(profile: "prod", project: project),
                 mode: 0o644, kind: .generated),
            File(path: "devenv.toml", text: ProjectFileTemplates.devenvToml(project: project, choices: choices),
                 mode: 0o644, kind: .generated),
            File(path: ".env.dev", text: ProjectFileTemplates.envTemplate(profile: "dev", project: project, services: choices.services),
                 mode: 0o600, kind: .createdIfMissing),
        ]
        if let gitignore = ProjectFileTemplates.gitignore(merging: existingGitignore) {
            files.append(File(path: ".gitignore", text: gitignore, mode: 0o644, kind: .merged))
        }
        return files
    }

    /// `exists` answers for a project-relative path; `unchanged` says a present file already
    /// holds exactly what init would write (no conflict, nothing to back up).
    public static func make(files: [File], exists: (String) -> Bool, force: Bool,
                            unchanged: (File) -> Bool = { _ in false }) -> ScaffoldPlan {
        var steps: [Step] = []
        var conflicts: [String] = []
        for file in files {
            let present = exists(file.path)
            switch file.kind {
            case .generated:
                if !present {
                    steps.append(Step(file: file, action: .write))
                } else if unchanged(file) {
                    steps.append(Step(file: file, action: .skip))
                } else if force {
                    steps.append(Step(file: file, action: .overwrite, backup: backupName(for: file.path, exists: exists)))
                } else {
                    conflicts.append(file.path)
                    steps.append(Step(file: file, action: .skip))
                }
            case .createdIfMissing:
                steps.append(Step(file: file, action: present ? .skip : .write))
            case .merged:
                steps.append(Step(file: file, action: present ? .append : .write))
            }
        }
        return ScaffoldPlan(steps: steps, conflicts: conflicts)
    }

    /// FILE.bak, or FILE.bak.1, .2 ... when that exists: an earlier backup (the user's own
    /// original, after a second --force) is never overwritten.
    static func backupName(for path: String, exists: (String) -> Bool) -> String {
        if !exists(path + ".bak") { return path + ".bak" }
        var number = 1
        while exists("\(path).bak.\(number)") { number += 1 }
        return "\(path).bak.\(number)"
    }
}
