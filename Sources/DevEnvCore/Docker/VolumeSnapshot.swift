/// One volume as `docker volume ls --format '{{json .}}'` describes it.
public struct VolumeSnapshot: Sendable, Hashable {
    public var name: String
    public var labels: [String: String]
    public var mountpoint: String

    public init(name: String, labels: [String: String], mountpoint: String) {
        self.name = name
        self.labels = labels
        self.mountpoint = mountpoint
    }

    /// `docker volume ls --format` lines: Name, Labels (Docker: "a=1,b=2"; Podman's labels
    /// follow the tab), Mountpoint. Throws `DevEnvError.failure` (exit 1) "cannot read docker's
    /// volume list" with the first unreadable line as its detail.
    public static func parseList(_ output: String) throws -> [VolumeSnapshot] {
        try ContainerSnapshot.eachLine(output) { line in
            do {
                let (object, own) = try ContainerSnapshot.splitLine(line)
                let raw = try JSONScanner.parse(bytes: object)
                guard case .object = raw else { throw JSONScanner.Failure(offset: 0, reason: "not an object") }
                let labels = try ContainerSnapshot.optional(raw, "Labels") ?? ""
                return VolumeSnapshot(name: try ContainerSnapshot.required(raw, "Name"),
                                      labels: ContainerSnapshot.labels(joined: labels, exact: own),
                                      mountpoint: try ContainerSnapshot.optional(raw, "Mountpoint") ?? "")
            } catch {
                throw DevEnvError.failure("cannot read docker's volume list",
                                          detail: "unexpected line: \(String(decoding: line, as: UTF8.self).prefix(200))")
            }
        }
    }
}
