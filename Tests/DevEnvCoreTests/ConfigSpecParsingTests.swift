import DevEnvCore
import Testing

@Suite struct ConfigSpecParsingTests {
    @Test func portSpecs() throws {
        #expect(try PortMapping.parse("8000:8000").get() == PortMapping(hostPort: 8000, containerPort: 8000))
        #expect(try PortMapping.parse("127.0.0.1:5678:5678").get() == PortMapping(hostIP: "127.0.0.1", hostPort: 5678, containerPort: 5678))
        #expect(try PortMapping.parse("53:53/udp").get() == PortMapping(hostPort: 53, containerPort: 53, transport: .udp))
        #expect(try PortMapping.parse("[::1]:80:8080/tcp").get() == PortMapping(hostIP: "::1", hostPort: 80, containerPort: 8080))
        #expect(try PortMapping.parse("[::1]:80:8080/udp").get().description == "[::1]:80:8080/udp")
        #expect(try PortMapping.parse("65535:1").get().description == "65535:1")
        for bad in ["", ":", "80:", "65536:80", "1:2:3", "0.0.0.0:1", "x:80:80", "80:80/", "+80:80", "-1:80"] {
            if case .success(let mapping) = PortMapping.parse(bad) { Issue.record("\"\(bad)\" parsed as \(mapping)") }
        }
    }

    @Test func mountSpecs() throws {
        let m = try MountSpec.parse("data/../data2:/data:ro", projectDirectory: "/p", home: "/h").get()
        #expect(m == MountSpec(hostPath: "data/../data2", resolvedHostPath: "/p/data2", containerPath: "/data", readOnly: true))
        #expect(m.volumeArgument == "/p/data2:/data:ro")
        #expect(try MountSpec.parse("~/.aws:/aws", projectDirectory: "/p", home: "/h").get().resolvedHostPath == "/h/.aws")
        #expect(try MountSpec.parse("/abs:/x:rw", projectDirectory: "/p", home: nil).get().volumeArgument == "/abs:/x")
        if case .success = MountSpec.parse("~/x:/x", projectDirectory: "/p", home: nil) { Issue.record("~ without HOME") }
        if case .success = MountSpec.parse(":/x", projectDirectory: "/p", home: nil) { Issue.record("empty host") }
    }

    @Test func userSpecs() {
        #expect(UserSpec(parsing: "host") == .host)
        #expect(UserSpec(parsing: "image") == .image)
        #expect(UserSpec(parsing: "1001:1001") == .ids(uid: 1001, gid: 1001))
        #expect(UserSpec(parsing: "0:0") == .ids(uid: 0, gid: 0))
        for bad in ["", "root", "1000", "1000:", ":1000", "a:b", "1:2:3", "-1:0", "99999999999:0", "１:２"] {
            #expect(UserSpec(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func projectNames() {
        #expect(ProjectName.sanitized("My App") == "my-app")
        #expect(ProjectName.sanitized("__init__.py") == "init_py")
        #expect(ProjectName.sanitized("über  Projekt!!") == "ber-projekt")
        #expect(ProjectName.sanitized("api.v2") == "api.v2")
        #expect(ProjectName.isValid("shop"))
        #expect(!ProjectName.isValid("Shop"))
        #expect(!ProjectName.isValid("a--b"))
    }

    /// Folders whose names leave nothing usable (all non-ASCII, all punctuation) were all
    /// `project`, so two of them shared containers, volumes and networks. Each now gets
    /// `project-` and 8 hex digits of its name's FNV-1a digest: distinct, pinned here (a stored
    /// identity: a new value would orphan the folder's containers), within Docker's
    /// `[a-zA-Z0-9][a-zA-Z0-9_.-]*` and the image rule (`isValid`), and never equal to a name
    /// that had something usable left (those are unchanged).
    @Test func namesWithNothingUsableLeftAreDistinctAndStable() {
        let cases: [(String, String)] = [("\u{DC}\u{DC}", "project-c6284093"), ("日本", "project-9bebe32a"),
                                         ("...", "project-713768a6")]
        for (folder, name) in cases {
            #expect(ProjectName.sanitized(folder) == name, "\(folder)")
            #expect(ProjectName.sanitized(folder) == ProjectName.sanitized(folder))
            #expect(ProjectName.isValid(name))
            #expect(name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0)) })
        }
        #expect(Set(cases.map { ProjectName.sanitized($0.0) }).count == cases.count)
        // The default of a folder with no devenv.toml, as `up` names its container and volumes.
        #expect(ProjectSettings.defaults(directory: "/home/ada/src/\u{DC}\u{DC}").name.value == "project-c6284093")
        #expect(ProjectSettings.defaults(directory: "/home/ada/src/日本").name.value == "project-9bebe32a")
        #expect(ProjectSettings.defaults(directory: "/home/ada/src/My App").name.value == "my-app")
        // Ordinary names keep their existing form, a folder named `project` included.
        for (folder, name) in [("project", "project"), ("Shop", "shop"), ("über-app", "ber-app"), ("日本-api", "api")] {
            #expect(ProjectName.sanitized(folder) == name, "\(folder)")
        }
    }
}
