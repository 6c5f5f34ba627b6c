import DevEnvCore
import Foundation

/// The names devenv gives a test project's docker objects (`ResourceNames`: they end in the
/// folder's tag), from the project's name and folder, canonicalised as devenv does (symbolic
/// links resolved), so a test asks the engine about exactly the objects devenv made.
public enum DevenvNames {
    /// The names of project `name` in `folder`, profile `profile`.
    public static func of(_ name: String, in folder: String, profile: String = "dev") -> ResourceNames {
        ResourceNames(project: name, profile: profile, projectRoot: URL(fileURLWithPath: folder).resolvingSymlinksInPath().path)
    }

    /// The app's container (and, with services, the project network).
    public static func container(_ name: String, in folder: String, profile: String = "dev") -> String {
        of(name, in: folder, profile: profile).container
    }

    /// The repository of the app's images (`devenv-NAME-TAG`).
    public static func imageRepository(_ name: String, in folder: String) -> String {
        of(name, in: folder).imageRepository
    }
}
