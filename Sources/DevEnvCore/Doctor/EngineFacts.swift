#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `docker version --format '{{json .}}'` and `docker info --format '{{json .}}'` say,
/// read leniently: Podman's shim and old clients leave fields out.
public struct EngineFacts: Sendable, Hashable {
    public var clientVersion: String?
    /// Nil when no engine answered.
    public var serverVersion: String?
    public var context: String?
    /// `docker info` SecurityOptions, e.g. "name=seccomp,profile=default", "name=rootless".
    public var securityOptions: [String] = []
    public var dockerRootDir: String?
    /// The client's CLI plugins (buildx, compose), from `docker info`'s ClientInfo.
    public var clientPlugins: [String] = []
    /// The CLI is Podman (its name, or its shim's "Emulate Docker CLI using podman" notice).
    public var isPodman = false
    /// Why the engine did not answer (docker's stderr, last line).
    public var serverError: String?

    public init() {}

    private struct VersionJSON: Decodable {
        struct Part: Decodable {
            var Version: String?
            var Context: String?
        }
        var Client: Part?
        var Server: Part?
    }

    private struct InfoJSON: Decodable {
        struct Plugin: Decodable { var Name: String? }
        struct ClientInfo: Decodable { var Plugins: [Plugin]? }
        var SecurityOptions: [String]?
        var DockerRootDir: String?
        var ServerVersion: String?
        var ClientInfo: ClientInfo?
        var ServerErrors: [String]?
    }

    /// Reads `docker version --format '{{json .}}'` (stdout may be partial JSON or empty when the
    /// engine does not answer; stderr says why).
    public mutating func readVersion(stdout: String, stderr: String, cli: String) {
        if stderr.contains("Emulate Docker CLI using podman") || ConfigPathName.last(cli).contains("podman") {
            isPodman = true
        }
        let line = stdout.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        if let parsed = try? JSONDecoder().decode(VersionJSON.self, from: Data(line.utf8)) {
            clientVersion = parsed.Client?.Version
            serverVersion = parsed.Server?.Version
            context = parsed.Client?.Context
        }
        if serverVersion == nil {
            let lines = stderr.split(whereSeparator: \.isNewline).map(String.init)
                .filter { !$0.contains("Emulate Docker CLI") }
            serverError = lines.last
        }
    }

    public mutating func readInfo(stdout: String) {
        let line = stdout.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard let parsed = try? JSONDecoder().decode(InfoJSON.self, from: Data(line.utf8)) else { return }
        securityOptions = parsed.SecurityOptions ?? []
        dockerRootDir = parsed.DockerRootDir
        clientPlugins = (parsed.ClientInfo?.Plugins ?? []).compactMap(\.Name)
        if serverVersion == nil { serverVersion = parsed.ServerVersion }
        if let error = parsed.ServerErrors?.first, serverError == nil { serverError = error }
    }

    public var isRootless: Bool { securityOptions.contains { $0.contains("name=rootless") } }

    /// The client's major version (20 for "20.10.24+dfsg1").
    public var clientMajor: Int? { clientVersion.flatMap { Int($0.prefix { $0.isNumber }) } }
}

/// The last component of a path (`/usr/bin/podman` -> `podman`).
enum ConfigPathName {
    static func last(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
