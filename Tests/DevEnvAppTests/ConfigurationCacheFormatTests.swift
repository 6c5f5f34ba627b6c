@testable import DevEnvApp
import DevEnvCore
import Foundation
import Testing
import TestSupport

/// The cache's stored form (`CacheCoding`, written by hand field by field): a value comes back
/// equal with every field of every stored type set (checked by reflection, so a field added and
/// not written fails here), and bytes that are not a whole value are an error, never a crash.
@Suite("Configuration cache format")
struct ConfigurationCacheFormatTests {
    /// Every stored property of `filled` differs from `plain`'s: a field added to the type and
    /// not filled here fails this, so the round trip covers it too.
    static func everyFieldSet<T>(_ filled: T, unlike plain: T, _ sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let plainFields = Dictionary(Mirror(reflecting: plain).children.compactMap { child in child.label.map { ($0, "\(child.value)") } },
                                     uniquingKeysWith: { a, _ in a })
        for child in Mirror(reflecting: filled).children {
            guard let label = child.label else { continue }
            #expect("\(child.value)" != plainFields[label], "\(T.self).\(label) is left at its default", sourceLocation: sourceLocation)
        }
    }

    static let location = DevEnvCore.SourceLocation(file: "devenv.toml", line: 3, column: 7)

    static var service: ServiceSpec {
        var service = ServiceSpec(name: "db", origin: .builtIn)
        service.image = "postgres:16"
        service.build = .init(dockerfile: "/p/db.Dockerfile", context: "/p/db", target: "db",
                              args: [NamedSetting(name: "A", value: "1", origin: .file(location))])
        service.env = [NamedSetting(name: "PGUSER", value: "app", origin: .file(location))]
        service.envFile = "/p/.env.db"
        service.ports = [PortMapping(hostIP: "127.0.0.1", hostPort: 5433, containerPort: 5432, transport: .udp)]
        service.volumes = [NamedSetting(name: "data", value: "/var/lib/postgresql", origin: .builtIn)]
        service.command = ["postgres", "-c", "fsync=off"]
        service.healthcheck = .init(test: .argv(["pg_isready"]), intervalSeconds: 2, retries: 5)
        service.user = .ids(uid: 70, gid: 70)
        service.origin = .file(location)
        return service
    }

    static var spec: EnvironmentSpec {
        var spec = EnvironmentSpec(project: "shop", profile: "p0", projectRoot: "/p", dockerfile: "/p/Dockerfile", context: "/p")
        spec.defaultProfile = "ci"
        spec.target = "dev"
        spec.targetOrigin = "devenv.toml:2:1"
        spec.buildArgs = ["PY": "3.12", "EMPTY": ""]
        spec.buildSecrets = [.init(id: "npm", source: .environment("NPM_TOKEN"), origin: "devenv.toml:4:1"),
                             .init(id: "pip", source: .file("/p/pip.conf"))]
        spec.network = "shopnet"
        spec.ssh = true
        spec.caBundle = "/etc/ssl/ca.pem"
        spec.user = .fixed(uid: 1001, gid: 1002)
        spec.ports = [PortMapping(hostIP: nil, hostPort: 8000, containerPort: 8000, transport: .tcp)]
        spec.portOverrides = [PortOverride(containerPort: 8000, hostPort: 9000)]
        spec.configuredPorts = [PortMapping(hostIP: "0.0.0.0", hostPort: 8001, containerPort: 8000, transport: .tcp)]
        spec.environment = ["A": "1", "ÜNICODE": "ü ✓", "NEWLINE": "a\nb"]
        spec.environmentResolvedAtCreate = ["A"]
        spec.envFile = "/p/.env.dev"
        spec.volumes = ["venv": "/venv"]
        spec.mounts = [.init(source: "/home/u/.aws", target: "/root/.aws", readOnly: true, origin: "devenv.toml:9:1")]
        spec.command = ["sleep", "infinity"]
        spec.readOnly = true
        spec.tmpfs = ["/tmp:rw"]
        spec.capDrop = ["ALL"]
        spec.capAdd = ["NET_BIND_SERVICE"]
        spec.noNewPrivileges = true
        spec.restart = "unless-stopped"
        spec.mountWorkspace = false
        spec.workspace = "/work"
        spec.syncCommand = ["uv", "sync"]
        spec.testCommand = ["pytest", "-x"]
        spec.cleanCacheCommand = ["find", "."]
        spec.image = "python:3.12"
        spec.cacheFrom = ["shop:cache"]
        spec.runArgs = ["--init"]
        spec.runArgsKey = "runArgs"
        spec.lifecycle = [.postCreate: .shell("make setup"),
                          .postStart: .parallel([.init(name: "a", command: .argv(["echo", "a"]))])]
        spec.waitFor = .postStart
        spec.portLabels = ["8000": "web"]
        spec.devcontainerFile = "/p/.devcontainer/devcontainer.json"
        spec.gpu = .optional
        spec.services = [service]
        spec.serviceNetwork = "shop-net"
        return spec
    }

    static var entry: ConfigurationCache.Entry {
        let stamp = FileStamp(device: 2049, inode: 1 << 40, size: 123, modified: 1_700_000_000_123_456_789, changed: -5)
        let key = ConfigurationCache.Key(format: 9, version: "9.9", executable: "/usr/bin/devenv", executableStamp: stamp,
                                         undecodable: ["BAD"], argumentLimit: 4096, credentials: [1000, 1000, 27], cli: "podman",
                                         projectDirectory: "/p", slot: "all\np0")
        let resolved = ConfigurationCache.Resolved(
            spec: spec, warnings: [Diagnostic(.warning, "odd", at: location), Diagnostic(.note, "no place", at: nil)],
            profileNames: ["p0", "dev"], consideredFiles: ["/p/devenv.toml"],
            expected: .init(image: "devenv-shop-p0:0123abcd", fingerprint: "89abcdef", lock: "0f1e", services: ["db": "76543210"]))
        return .init(key: key,
                     inputs: [FileObservation(kind: .listing, path: "/p/.devenv/profiles", stamp: nil, answer: ["a.toml", "b"]),
                              FileObservation(kind: .read, path: "/p/devenv.toml", stamp: stamp),
                              FileObservation(kind: .canonical, path: "/p/./x", stamp: stamp, answer: ["/p/x"])],
                     variables: [.variable("HOME", "/home/ü"), .variable("XDG_CONFIG_HOME", nil), .fits(2_000_000, true),
                                 .fits(10, false)],
                     resolution: .init(environments: [resolved, resolved], engine: .podman, projectDirectory: "/p/",
                                       expectedFor: HostIdentity(uid: 1000, gid: 1001, userName: "ü", home: "/home/ü", source: .sudo)))
    }

    static func encode(_ entry: ConfigurationCache.Entry) -> [UInt8] {
        var writer = CacheWriter()
        writer.put(entry)
        return writer.bytes
    }

    /// The entry, or an error when the bytes are not exactly one entry.
    static func decode(_ bytes: [UInt8]) throws -> ConfigurationCache.Entry {
        var reader = CacheReader(bytes)
        let entry = try reader.get(ConfigurationCache.Entry.self)
        guard reader.isAtEnd else { throw CacheReader.Corrupt() }
        return entry
    }

    @Test("every field of the stored types is set in this test, and comes back equal")
    func roundTrip() throws {
        let entry = Self.entry
        Self.everyFieldSet(Self.spec, unlike: EnvironmentSpec(project: "", profile: "", projectRoot: "", dockerfile: "", context: ""))
        Self.everyFieldSet(Self.service, unlike: ServiceSpec(name: "", origin: .builtIn))
        Self.everyFieldSet(entry.key, unlike: ConfigurationCache.Key(executable: "", executableStamp: FileStamp(device: 0, inode: 0, size: 0, modified: 0, changed: 0),
                                                                     undecodable: [], argumentLimit: 0, credentials: [], cli: "",
                                                                     projectDirectory: "", slot: ""))
        let plainStamp = FileStamp(device: 0, inode: 0, size: 0, modified: 0, changed: 0)
        let plainSpec = EnvironmentSpec(project: "", profile: "", projectRoot: "", dockerfile: "", context: "")
        let service = Self.service, spec = Self.spec
        if let build = service.build { Self.everyFieldSet(build, unlike: .init(dockerfile: nil, context: "", target: nil, args: [])) }
        if let check = service.healthcheck { Self.everyFieldSet(check, unlike: .init(test: .argv([]), intervalSeconds: 0, retries: 0)) }
        Self.everyFieldSet(spec.buildSecrets[0], unlike: .init(id: "", source: .environment("")))
        Self.everyFieldSet(spec.mounts[0], unlike: .init(source: "", target: ""))
        Self.everyFieldSet(service.ports[0], unlike: PortMapping(hostPort: 0, containerPort: 0))
        Self.everyFieldSet(spec.portOverrides[0], unlike: PortOverride(containerPort: 0, hostPort: 0))
        Self.everyFieldSet(LifecycleCommand.Named(name: "a", command: .argv(["echo"])), unlike: .init(name: "", command: .argv([])))
        Self.everyFieldSet(service.env[0], unlike: NamedSetting(name: "", value: "", origin: .builtIn))
        Self.everyFieldSet(Self.location, unlike: DevEnvCore.SourceLocation(file: "", line: 0, column: 0))
        Self.everyFieldSet(entry.resolution.environments[0].warnings[0], unlike: Diagnostic(.note, "", at: nil))
        Self.everyFieldSet(entry.key.executableStamp, unlike: plainStamp)
        if let identity = entry.resolution.expectedFor {
            Self.everyFieldSet(identity, unlike: HostIdentity(uid: 0, gid: 0, userName: "", home: "", source: .host))
        }
        if let expected = entry.resolution.environments[0].expected { Self.everyFieldSet(expected, unlike: .init(image: "", fingerprint: "")) }
        Self.everyFieldSet(entry.inputs[2], unlike: FileObservation(kind: .read, path: "", stamp: nil))
        Self.everyFieldSet(entry.resolution.environments[0], unlike: .init(spec: plainSpec, warnings: [], profileNames: [], consideredFiles: []))
        Self.everyFieldSet(entry.resolution, unlike: .init(environments: [], engine: .docker, projectDirectory: ""))
        Self.everyFieldSet(entry, unlike: .init(key: ConfigurationCache.Key(executable: "", executableStamp: plainStamp,
                                                                           undecodable: [], argumentLimit: 0, credentials: [], cli: "",
                                                                           projectDirectory: "", slot: ""),
                                                inputs: [], variables: [], resolution: .init(environments: [], engine: .docker, projectDirectory: "")))
        #expect(try Self.decode(Self.encode(entry)) == entry)
    }

    @Test("every cut-short prefix and every single-byte change either fails to decode or decodes to a whole value")
    func damagedBytes() throws {
        let bytes = Self.encode(Self.entry)
        for length in 0..<bytes.count {
            #expect(throws: (any Error).self) { try Self.decode(Array(bytes.prefix(length))) }
        }
        for index in stride(from: 0, to: bytes.count, by: 7) {
            var changed = bytes
            changed[index] ^= 0xff
            // Either an error or some value: never a crash.
            _ = try? Self.decode(changed)
        }
    }
}
