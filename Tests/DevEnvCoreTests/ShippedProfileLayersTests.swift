@testable import DevEnvCore
import Foundation
import Testing
import TestSupport

/// ShippedProfileLayers.swift holds the shipped profiles as `ConfigTableReader.profileLayer`
/// reads them, so that a command does not decode them again on every run (issue 14). These
/// tests prove it equals what the decoder makes of each compiled-in text (which
/// ShippedProfilesTests and `generate-shipped-profiles.sh --check` prove equal to Profiles/),
/// and write it: `Tests/Scripts/generate-shipped-profiles.sh` runs `writeWhenAsked` with
/// DEVENV_SHIPPED_LAYERS_OUT set.
@Suite struct ShippedProfileLayersTests {
    private static let generatedFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/DevEnvCore/Config/ShippedProfileLayers.swift")

    /// The decoder's layer of a compiled-in text, its locations naming `shown`.
    private static func decoded(_ text: String, shown: String) throws -> ProfileLayer {
        let table = try TOMLDecoder.decode(Array(text.utf8), file: shown)
        var reader = ConfigTableReader(projectDirectory: "/p", home: "/home/u")
        let layer = reader.profileLayer(table, context: "profile \(shown)")
        #expect(reader.diagnostics.isEmpty, "\(shown): \(reader.diagnostics)")
        return layer
    }

    /// Equal to the decoder's layer for every shipped file, with the locations naming whatever
    /// file the caller shows (the installed path, or `<built-in>/NAME`).
    @Test(arguments: ["<built-in>/", "/usr/local/share/devenv/profiles/", "Profiles/"])
    func generatedLayersEqualDecodedProfiles(folder: String) throws {
        for file in ShippedProfiles.files {
            let shown = folder + file.name
            let generated = try #require(ShippedProfileLayers.layer(file.name, file: shown))
            #expect(generated == (try Self.decoded(file.text, shown: shown)), "\(file.name)")
        }
        #expect(ShippedProfileLayers.layer("other.toml", file: "x") == nil)
    }

    /// An installed shipped folder whose files are the compiled-in texts gives the same
    /// configuration as one whose files differ only by a trailing comment (so they are
    /// decoded): every value and every location the same.
    @Test func installedProfilesAsShippedEqualDecodedOnes() throws {
        func evaluate(_ suffix: String, profile: String) -> ConfigLoader.Evaluation {
            var files = ["/p/devenv.toml": "[project]\nname = \"demo\"\n"]
            for file in ShippedProfiles.files { files["/usr/local/share/devenv/profiles/" + file.name] = file.text + suffix }
            return ConfigLoader.evaluate(projectDirectory: "/p", profile: profile, executablePath: "/usr/local/bin/devenv",
                                         environment: ["HOME": "/home/u"], fileSystem: InMemoryFileSystem(files))
        }
        for profile in ["dev", "ci", "prod"] {
            let shipped = evaluate("", profile: profile)
            let edited = evaluate("# edited\n", profile: profile)
            #expect(shipped.diagnostics.isEmpty)
            let config = try #require(shipped.config)
            #expect(config == (try #require(edited.config)))
            #expect(config.files.contains("/usr/local/share/devenv/profiles/\(profile).toml"))
        }
    }

    /// An installed shipped file someone edited is decoded: its problems are reported at their
    /// place in that file.
    @Test func editedInstalledProfileIsDecodedWithPlaces() throws {
        var files = ["/p/devenv.toml": "[project]\nname = \"demo\"\n"]
        for file in ShippedProfiles.files {
            files["/usr/local/share/devenv/profiles/" + file.name] = file.text + (file.name == "dev.toml" ? "\nport = 8000\n" : "")
        }
        let evaluation = ConfigLoader.evaluate(projectDirectory: "/p", profile: "dev", executablePath: "/usr/local/bin/devenv",
                                               environment: ["HOME": "/home/u"], fileSystem: InMemoryFileSystem(files))
        let lines = try #require(ShippedProfiles.files.first { $0.name == "dev.toml" }).text.filter { $0 == "\n" }.count
        #expect(evaluation.config == nil)
        // The file ends in [env]: the added line is an env entry of the wrong type, reported at its value.
        #expect(evaluation.errors.map(\.description).contains { $0.hasPrefix("/usr/local/share/devenv/profiles/dev.toml:\(lines + 2):8: ") },
                "\(evaluation.errors)")
    }

    /// The file is what `render` writes now (after its two header lines, which the generator
    /// script writes: the notice and the digest of Profiles/ that `--check` compares).
    @Test func generatedFileIsUpToDate() throws {
        let text = try String(contentsOf: Self.generatedFile, encoding: .utf8)
        let body = text.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false).dropFirst(2).joined()
        #expect(body == (try Self.render()), "ShippedProfileLayers.swift is stale: run Tests/Scripts/generate-shipped-profiles.sh")
    }

    /// Writes the rendered body to $DEVENV_SHIPPED_LAYERS_OUT (the generator script's run).
    @Test func writeWhenAsked() throws {
        guard let out = ProcessInfo.processInfo.environment["DEVENV_SHIPPED_LAYERS_OUT"], !out.isEmpty else { return }
        try Data(try Self.render().utf8).write(to: URL(fileURLWithPath: out))
    }

    // MARK: Rendering

    private struct Unsupported: Error, CustomStringConvertible {
        var description: String
    }

    /// The Swift source of `ShippedProfileLayers` for the compiled-in texts.
    static func render() throws -> String {
        var out = """

            /// The shipped profiles (`ShippedProfiles.files`) as `ConfigTableReader.profileLayer` reads
            /// them: a command uses these instead of decoding a shipped file whose bytes equal the
            /// compiled-in text (any other file, such as an edited installed one, is decoded).
            /// ShippedProfileLayersTests proves each equal to the decoder's layer.
            enum ShippedProfileLayers {
                /// The layer of shipped file `name` (`dev.toml`), its locations in `file` (the name
                /// shown for it); nil when devenv ships no such file.
                static func layer(_ name: String, file: String) -> ProfileLayer? {
                    func at(_ line: Int, _ column: Int) -> ConfigOrigin { .file(SourceLocation(file: file, line: line, column: column)) }
                    var layer = ProfileLayer()
                    switch name {

            """
        for file in ShippedProfiles.files {
            let shown = "<built-in>/" + file.name
            var layer = try decoded(file.text, shown: shown)
            out += "        case \(literal(file.name)):\n"
            for line in try lines(&layer, shown: shown) { out += "            " + line + "\n" }
            // Whatever is still set was not rendered: the renderer must learn that key.
            if layer != ProfileLayer() { throw Unsupported(description: "\(file.name): a key the renderer does not know: \(layer)") }
        }
        out += """
                    default:
                        return nil
                    }
                    return layer
                }
            }

            """
        return out
    }

    /// One assignment per key the layer sets, each clearing what it rendered.
    private static func lines(_ layer: inout ProfileLayer, shown: String) throws -> [String] {
        var out: [String] = []
        func origin(_ o: ConfigOrigin) throws -> String {
            guard case .file(let l) = o, l.file == shown else { throw Unsupported(description: "origin \(o)") }
            return "at(\(l.line), \(l.column))"
        }
        func named(_ settings: [NamedSetting]) throws -> String {
            "[" + (try settings.map { "NamedSetting(name: \(literal($0.name)), value: \(literal($0.value)), origin: \(try origin($0.origin)))" })
                .joined(separator: ", ") + "]"
        }
        let strings: [(String, WritableKeyPath<ProfileLayer, Sourced<String>?>)] = [
            ("extends", \.extends), ("description", \.description), ("target", \.target), ("home", \.home),
            ("network", \.network), ("host", \.host), ("envFile", \.envFile), ("caBundle", \.caBundle),
            ("restart", \.restart), ("image", \.image),
        ]
        let bools: [(String, WritableKeyPath<ProfileLayer, Sourced<Bool>?>)] = [
            ("ssh", \.ssh), ("readOnly", \.readOnly), ("noNewPrivileges", \.noNewPrivileges), ("mountWorkspace", \.mountWorkspace),
        ]
        let lists: [(String, WritableKeyPath<ProfileLayer, Sourced<[String]>?>)] = [
            ("command", \.command), ("tmpfs", \.tmpfs), ("capDrop", \.capDrop), ("capAdd", \.capAdd),
            ("syncCommand", \.syncCommand), ("testCommand", \.testCommand), ("runArgs", \.runArgs),
        ]
        for (name, path) in strings {
            if let v = layer[keyPath: path] { out.append("layer.\(name) = Sourced(\(literal(v.value)), \(try origin(v.origin)))") }
            layer[keyPath: path] = nil
        }
        for (name, path) in bools {
            if let v = layer[keyPath: path] { out.append("layer.\(name) = Sourced(\(v.value), \(try origin(v.origin)))") }
            layer[keyPath: path] = nil
        }
        for (name, path) in lists {
            if let v = layer[keyPath: path] {
                out.append("layer.\(name) = Sourced([\(v.value.map(literal).joined(separator: ", "))], \(try origin(v.origin)))")
            }
            layer[keyPath: path] = nil
        }
        if let v = layer.user {
            let spec: String
            switch v.value {
            case .host: spec = ".host"
            case .image: spec = ".image"
            case .ids(let uid, let gid): spec = ".ids(uid: \(uid), gid: \(gid))"
            }
            out.append("layer.user = Sourced(\(spec), \(try origin(v.origin)))")
            layer.user = nil
        }
        if let v = layer.ports {
            let mappings = v.value.map { m in
                "PortMapping(hostIP: \(m.hostIP.map(literal) ?? "nil"), hostPort: \(m.hostPort), containerPort: \(m.containerPort), "
                    + "transport: .\(m.transport.rawValue))"
            }
            out.append("layer.ports = Sourced([\(mappings.joined(separator: ", "))], \(try origin(v.origin)))")
            layer.ports = nil
        }
        if let v = layer.services {
            out.append("layer.services = Sourced(\(try named(v.value)), \(try origin(v.origin)))")
            layer.services = nil
        }
        if !layer.env.isEmpty { out.append("layer.env = \(try named(layer.env))") }
        if !layer.volumes.isEmpty { out.append("layer.volumes = \(try named(layer.volumes))") }
        if !layer.portLabels.isEmpty { out.append("layer.portLabels = \(try named(layer.portLabels))") }
        layer.env = []
        layer.volumes = []
        layer.portLabels = []
        return out
    }

    /// A Swift string literal of `s` (the debug form escapes quotes, backslashes and controls).
    private static func literal(_ s: String) -> String { String(reflecting: s) }
}
