/// A CA bundle for networks whose TLS is inspected by a proxy with its own CA (issue 10, item
/// 11): key `ca_bundle` in [project] or a profile. The bundle reaches builds as the BuildKit
/// secret `ca_bundle` (mounted only in the Dockerfile's fetching RUN steps, so it is never in a
/// layer, and a change of it does not change the image) and containers as a read-only bind
/// mount at `containerPath` with the variables Python's tools read (`containerEnvironment`); a
/// change of it makes the container stale (its `docker create` arguments change).
public enum CABundle {
    /// The value that means "the host's own bundle" (`hostCandidates`).
    public static let host = "host"
    /// A profile's value for "no bundle in this profile's container" (the shipped prod).
    public static let none = "none"
    /// The BuildKit secret's id; the generated Dockerfile mounts it at /run/secrets/ca_bundle.
    public static let secretID = "ca_bundle"
    public static let buildPath = "/run/secrets/" + secretID
    /// Where a container sees the bundle (read-only).
    public static let containerPath = "/etc/devenv/ca-bundle.pem"
    /// The host's bundle, by distribution: Debian/Ubuntu/Alpine, Fedora/RHEL, macOS and the BSDs.
    /// The first that exists is used.
    public static let hostCandidates = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
                                        "/etc/ssl/cert.pem"]
    /// Where administrators put extra CAs that `update-ca-certificates` (Debian) or
    /// `update-ca-trust` (Fedora) add to the host's bundle: files here mean the host trusts a
    /// CA that a container's stock bundle does not (doctor's `ca-bundle` check).
    public static let extraAnchorFolders = ["/usr/local/share/ca-certificates", "/etc/pki/ca-trust/source/anchors"]

    /// The files under `extraAnchorFolders` (and one level of sub-folders, which
    /// update-ca-certificates also reads), as absolute paths in order.
    public static func extraAnchors(listDirectory: (String) -> [String], isDirectory: (String) -> Bool) -> [String] {
        var found: [String] = []
        for folder in extraAnchorFolders {
            for name in listDirectory(folder).sorted() {
                let path = ConfigPath.join(folder, name)
                if isDirectory(path) {
                    found += listDirectory(path).sorted().map { ConfigPath.join(path, $0) }.filter { !isDirectory($0) }
                } else {
                    found.append(path)
                }
            }
        }
        return found
    }

    /// What a container with the bundle gets: OpenSSL and httpx (SSL_CERT_FILE), requests
    /// (REQUESTS_CA_BUNDLE, which ignores SSL_CERT_FILE), pip (PIP_CERT), and uv (which reads
    /// SSL_CERT_FILE through its native TLS roots, UV_NATIVE_TLS).
    public static let containerEnvironment: [(String, String)] = [
        ("SSL_CERT_FILE", containerPath), ("REQUESTS_CA_BUNDLE", containerPath), ("PIP_CERT", containerPath),
        ("UV_NATIVE_TLS", "true"),
    ]

    /// The settings that apply to one profile, each with where it was set: builds use the
    /// profile's own value, else [project]'s (`"none"` in a profile keeps its container bare,
    /// not its build, whose dependency fetches need the bundle all the same); the container uses
    /// the profile's own value, else [project]'s, and none for `"none"`.
    public static func settings(project: Sourced<String?>, profile: Sourced<String?>)
        -> (build: Sourced<String>?, container: Sourced<String>?) {
        let projectValue = project.value.map { Sourced($0, project.origin) }
        guard let own = profile.value else { return (projectValue, projectValue) }
        if own == none { return (projectValue, nil) }
        let ownValue = Sourced(own, profile.origin)
        return (ownValue, ownValue)
    }

    /// The host file a value names: `"host"` is the first of `hostCandidates` that exists; a
    /// path is relative to the project folder, absolute, or under `~/`. Failure (the caller
    /// adds the key's place; exit 2): no such file, or no bundle on the host.
    public static func resolve(_ value: String, projectDirectory: String, home: String?,
                               fileExists: (String) -> Bool) -> Result<String, CABundleError> {
        if value == host {
            if let found = hostCandidates.first(where: fileExists) { return .success(found) }
            return .failure(CABundleError("ca_bundle = \"host\": this host has no CA bundle at \(hostCandidates.joined(separator: ", "))",
                                          hint: "set ca_bundle to the path of a PEM file that holds your CA certificates"))
        }
        let path: String
        if value == "~" || value.hasPrefix("~/") {
            guard let home, home.hasPrefix("/") else {
                return .failure(CABundleError("ca_bundle \"\(value)\": HOME is not set", hint: "write an absolute path"))
            }
            path = ConfigPath.join(home, String(value.dropFirst(value == "~" ? 1 : 2)))
        } else {
            path = ConfigPath.join(projectDirectory, value)
        }
        guard fileExists(path) else {
            return .failure(CABundleError("ca_bundle \"\(value)\": \(path) does not exist",
                                          hint: "point ca_bundle at a PEM file, or write ca_bundle = \"host\" for this host's own bundle"))
        }
        return .success(path)
    }

    /// Puts resolved host files into a spec: `build` becomes the build secret, `container` a
    /// read-only mount at `containerPath` with `containerEnvironment` (a variable the profile
    /// sets itself is kept). `origin` is the key's place, for errors about the mount.
    public static func apply(to spec: inout EnvironmentSpec, build: String?, container: String?, origin: String?) {
        spec.caBundle = build
        guard let container else { return }
        spec.mounts.append(.init(source: container, target: containerPath, readOnly: true, origin: origin))
        for (name, value) in containerEnvironment where spec.environment[name] == nil { spec.environment[name] = value }
    }
}

public struct CABundleError: Error, Sendable, Hashable {
    public var reason: String
    public var hint: String
    public init(_ reason: String, hint: String) { self.reason = reason; self.hint = hint }
}
