/// A port an environment wants to publish that something else holds, found before anything
/// is removed or created (`up`, `restart`), so the answer is exit 4 with nothing lost.
public struct PortConflict: Sendable, Hashable {
    /// Who holds the port, as far as devenv can tell. Names and labels are `OneLine`: they go
    /// into the one-line conflict message, and a label or a process name may hold a newline.
    public enum Holder: Sendable, Hashable {
        /// A container devenv made, for some project's profile (its labels).
        case devenv(container: OneLine, project: OneLine, profile: OneLine, root: OneLine?)
        /// Another container.
        case container(name: OneLine)
        /// A process on this machine (from /proc when readable: its `comm`, which the process sets).
        case process(name: OneLine, pid: Int32)
        /// Something on this machine: the port cannot be bound, and devenv cannot tell what holds it.
        case unknown

        public var description: String {
            switch self {
            case .devenv(let container, let project, let profile, let root):
                return "devenv project \(project) (profile \(profile)\(root.map { ", \($0)" } ?? ""); container \(container))"
            case .container(let name): return "the container \(name)"
            case .process(let name, let pid): return "the host process \(name) (pid \(pid))"
            case .unknown: return "something on this machine (devenv cannot tell what)"
            }
        }
    }

    public var wanted: PortMapping
    public var holder: Holder

    public init(wanted: PortMapping, holder: Holder) {
        self.wanted = wanted
        self.holder = holder
    }

    /// The ports of `wanted` that a running container other than `own` publishes (one
    /// conflict per wanted port, the first holder found).
    public static func held(by containers: [ContainerSnapshot], wanted: [PortMapping], own: String) -> [PortConflict] {
        var conflicts: [PortConflict] = []
        for mapping in wanted {
            for container in containers where container.name != own {
                guard PublishedPort.parseList(container.ports).contains(where: { $0.collides(with: mapping) }) else { continue }
                let labels = container.labels
                if let project = labels[ResourceNames.projectLabel], let profile = labels[ResourceNames.profileLabel] {
                    conflicts.append(PortConflict(wanted: mapping, holder: .devenv(container: OneLine(container.name), project: OneLine(project),
                                                                                     profile: OneLine(profile),
                                                                                     root: labels[ResourceNames.rootLabel].map { OneLine($0) })))
                } else {
                    conflicts.append(PortConflict(wanted: mapping, holder: .container(name: OneLine(container.name))))
                }
                break
            }
        }
        return conflicts
    }

    /// The exit-4 error for `conflicts` of `profile`: each port and its holder, and how to
    /// choose another host port (in devenv.toml, or for one `up`). `suggest` is a free host
    /// port to offer, per wanted mapping, when one was found. `service`: the ports are that
    /// service's, declared in its own table; `up --port` moves only the app's, so it is not offered.
    public static func error(_ conflicts: [PortConflict], profile: String, service: String? = nil,
                             suggest: (PortMapping) -> Int? = { _ in nil }) -> DevEnvError {
        let lines = conflicts.map { conflict -> String in
            let address = conflict.wanted.hostIP.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "0.0.0.0"
            return "host port \(conflict.wanted.hostPort) (\(address):\(conflict.wanted.hostPort) for container port "
                + "\(conflict.wanted.containerPort)) is in use by \(conflict.holder.description)"
        }
        let first = conflicts[0].wanted
        let other = suggest(first) ?? first.hostPort + 1
        // The spec as the user would write it (`PortMapping.description`), on the other port.
        var moved = first
        moved.hostPort = other
        let message = conflicts.count == 1 ? lines[0] : "\(conflicts.count) ports are in use: " + lines.joined(separator: "; ")
        if let service {
            // A service has no `host` setting: its spec keeps the address it was written with.
            return DevEnvError(.conflict, message + "; nothing was changed",
                               hint: "choose another host port: ports = [\"\(moved)\", ...] under [services.\(service)] in devenv.toml")
        }
        // The profile's `host` applies on its own.
        moved.hostIP = nil
        return DevEnvError(.conflict, message + "; nothing was changed",
                           hint: "choose another host port: ports = [\"\(moved)\", ...] under [profiles.\(profile)] in devenv.toml, "
                               + "or for this once `devenv up --port \(first.containerPort)=\(other)`")
    }
}
