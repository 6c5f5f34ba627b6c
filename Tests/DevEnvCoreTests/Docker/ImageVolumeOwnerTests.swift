import DevEnvCore
import Testing

/// `DockerPlanner.imageExists`'s output, `ID LABELS<TAB>USER`: the labels and the image's USER.
@Suite struct ImageVolumeOwnerTests {
    @Test func labelsAndUserAreReadFromOneLine() {
        let line = #"sha256:1 {"devenv.volume-owner":"1500:1500 /venv /home/dev/.cache"}"# + "\t\"\"\n"
        #expect(ImageVolumeOwner.parse(inspectOutput: line) == ImageVolumeOwner(owner: "1500:1500", paths: ["/venv", "/home/dev/.cache"]))
        #expect(ImageVolumeOwner.configUser(inspectOutput: line) == "")
        #expect(ImageVolumeOwner.configUser(inspectOutput: "sha256:1 null\t\"app:app\"\n") == "app:app")
        #expect(ImageVolumeOwner.parse(inspectOutput: "sha256:1 null\t\"app\"\n") == nil)
        // An older format without the user: unknown, not root.
        #expect(ImageVolumeOwner.configUser(inspectOutput: "sha256:1 null\n") == nil)
    }
}
