// The configuration cache's stored types (`CacheCoding`): every stored property, in declaration
// order. A property added to one of these types and not written here fails
// `ConfigurationCacheFormatTests.roundTrip` (every field set, checked by reflection); a case added
// to an enum does not compile until it is written here.

extension EnvironmentSpec: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(project)
        writer.put(profile)
        writer.put(defaultProfile)
        writer.put(projectRoot)
        writer.put(dockerfile)
        writer.put(context)
        writer.put(target)
        writer.put(targetOrigin)
        writer.put(buildArgs)
        writer.put(buildSecrets)
        writer.put(network)
        writer.put(ssh)
        writer.put(caBundle)
        writer.put(user)
        writer.put(ports)
        writer.put(portOverrides)
        writer.put(configuredPorts)
        writer.put(environment)
        writer.put(environmentResolvedAtCreate)
        writer.put(envFile)
        writer.put(volumes)
        writer.put(mounts)
        writer.put(command)
        writer.put(readOnly)
        writer.put(tmpfs)
        writer.put(capDrop)
        writer.put(capAdd)
        writer.put(noNewPrivileges)
        writer.put(restart)
        writer.put(mountWorkspace)
        writer.put(workspace)
        writer.put(syncCommand)
        writer.put(testCommand)
        writer.put(cleanCacheCommand)
        writer.put(image)
        writer.put(cacheFrom)
        writer.put(runArgs)
        writer.put(runArgsKey)
        writer.put(lifecycle)
        writer.put(waitFor)
        writer.put(portLabels)
        writer.put(devcontainerFile)
        writer.put(gpu)
        writer.put(services)
        writer.put(serviceNetwork)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(project: "", profile: "", projectRoot: "", dockerfile: "", context: "")
        project = try reader.get()
        profile = try reader.get()
        defaultProfile = try reader.get()
        projectRoot = try reader.get()
        dockerfile = try reader.get()
        context = try reader.get()
        target = try reader.get()
        targetOrigin = try reader.get()
        buildArgs = try reader.get()
        buildSecrets = try reader.get()
        network = try reader.get()
        ssh = try reader.get()
        caBundle = try reader.get()
        user = try reader.get()
        ports = try reader.get()
        portOverrides = try reader.get()
        configuredPorts = try reader.get()
        environment = try reader.get()
        environmentResolvedAtCreate = try reader.get()
        envFile = try reader.get()
        volumes = try reader.get()
        mounts = try reader.get()
        command = try reader.get()
        readOnly = try reader.get()
        tmpfs = try reader.get()
        capDrop = try reader.get()
        capAdd = try reader.get()
        noNewPrivileges = try reader.get()
        restart = try reader.get()
        mountWorkspace = try reader.get()
        workspace = try reader.get()
        syncCommand = try reader.get()
        testCommand = try reader.get()
        cleanCacheCommand = try reader.get()
        image = try reader.get()
        cacheFrom = try reader.get()
        runArgs = try reader.get()
        runArgsKey = try reader.get()
        lifecycle = try reader.get()
        waitFor = try reader.get()
        portLabels = try reader.get()
        devcontainerFile = try reader.get()
        gpu = try reader.get()
        services = try reader.get()
        serviceNetwork = try reader.get()
    }
}
extension ServiceSpec: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(name)
        writer.put(image)
        writer.put(build)
        writer.put(env)
        writer.put(envFile)
        writer.put(ports)
        writer.put(volumes)
        writer.put(command)
        writer.put(healthcheck)
        writer.put(user)
        writer.put(origin)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(name: "", origin: .builtIn)
        name = try reader.get()
        image = try reader.get()
        build = try reader.get()
        env = try reader.get()
        envFile = try reader.get()
        ports = try reader.get()
        volumes = try reader.get()
        command = try reader.get()
        healthcheck = try reader.get()
        user = try reader.get()
        origin = try reader.get()
    }
}
extension ServiceSpec.Build: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(dockerfile)
        writer.put(context)
        writer.put(target)
        writer.put(args)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(dockerfile: nil, context: "", target: nil, args: [])
        dockerfile = try reader.get()
        context = try reader.get()
        target = try reader.get()
        args = try reader.get()
    }
}
extension ServiceSpec.Healthcheck: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(test)
        writer.put(intervalSeconds)
        writer.put(retries)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(test: .argv([]), intervalSeconds: 0, retries: 0)
        test = try reader.get()
        intervalSeconds = try reader.get()
        retries = try reader.get()
    }
}
extension EnvironmentSpec.BuildSecret: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(id)
        writer.put(source)
        writer.put(origin)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(id: "", source: .environment(""))
        id = try reader.get()
        source = try reader.get()
        origin = try reader.get()
    }
}
extension EnvironmentSpec.BindMount: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(source)
        writer.put(target)
        writer.put(readOnly)
        writer.put(origin)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(source: "", target: "")
        source = try reader.get()
        target = try reader.get()
        readOnly = try reader.get()
        origin = try reader.get()
    }
}
extension PortMapping: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(hostIP)
        writer.put(hostPort)
        writer.put(containerPort)
        writer.put(transport)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(hostPort: 0, containerPort: 0)
        hostIP = try reader.get()
        hostPort = try reader.get()
        containerPort = try reader.get()
        transport = try reader.get()
    }
}
extension PortOverride: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(containerPort)
        writer.put(hostPort)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(containerPort: 0, hostPort: 0)
        containerPort = try reader.get()
        hostPort = try reader.get()
    }
}
extension LifecycleCommand.Named: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(name)
        writer.put(command)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(name: "", command: .argv([]))
        name = try reader.get()
        command = try reader.get()
    }
}
extension NamedSetting: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(name)
        writer.put(value)
        writer.put(origin)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(name: "", value: "", origin: .builtIn)
        name = try reader.get()
        value = try reader.get()
        origin = try reader.get()
    }
}
extension SourceLocation: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(file)
        writer.put(line)
        writer.put(column)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(file: "", line: 0, column: 0)
        file = try reader.get()
        line = try reader.get()
        column = try reader.get()
    }
}
extension Diagnostic: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(severity)
        writer.put(location)
        writer.put(message)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(.note, "", at: nil)
        severity = try reader.get()
        location = try reader.get()
        message = try reader.get()
    }
}
extension FileStamp: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(device)
        writer.put(inode)
        writer.put(size)
        writer.put(modified)
        writer.put(changed)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(device: 0, inode: 0, size: 0, modified: 0, changed: 0)
        device = try reader.get()
        inode = try reader.get()
        size = try reader.get()
        modified = try reader.get()
        changed = try reader.get()
    }
}
extension HostIdentity: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(uid)
        writer.put(gid)
        writer.put(userName)
        writer.put(home)
        writer.put(source)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(uid: try reader.get(), gid: try reader.get(), userName: try reader.get(), home: try reader.get(),
                  source: try reader.get())
    }
}
extension FileObservation: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        writer.put(kind)
        writer.put(path)
        writer.put(stamp)
        writer.put(answer)
    }

    public init(from reader: inout CacheReader) throws {
        self.init(kind: .read, path: "", stamp: nil)
        kind = try reader.get()
        path = try reader.get()
        stamp = try reader.get()
        answer = try reader.get()
    }
}
extension EnvironmentSpec.User: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        switch self {
        case .host: writer.byte(0)
        case .fixed(let uid, let gid):
            writer.byte(1)
            writer.put(uid)
            writer.put(gid)
        case .image: writer.byte(2)
        }
    }

    public init(from reader: inout CacheReader) throws {
        switch try reader.byte() {
        case 0: self = .host
        case 1: self = .fixed(uid: try reader.get(), gid: try reader.get())
        case 2: self = .image
        default: throw CacheReader.Corrupt()
        }
    }
}

extension EnvironmentSpec.SecretSource: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        switch self {
        case .file(let path):
            writer.byte(0)
            writer.put(path)
        case .environment(let name):
            writer.byte(1)
            writer.put(name)
        }
    }

    public init(from reader: inout CacheReader) throws {
        switch try reader.byte() {
        case 0: self = .file(try reader.get())
        case 1: self = .environment(try reader.get())
        default: throw CacheReader.Corrupt()
        }
    }
}

extension LifecycleCommand: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        switch self {
        case .shell(let text):
            writer.byte(0)
            writer.put(text)
        case .argv(let words):
            writer.byte(1)
            writer.put(words)
        case .parallel(let named):
            writer.byte(2)
            writer.put(named)
        }
    }

    public init(from reader: inout CacheReader) throws {
        switch try reader.byte() {
        case 0: self = .shell(try reader.get())
        case 1: self = .argv(try reader.get())
        case 2: self = .parallel(try reader.get())
        default: throw CacheReader.Corrupt()
        }
    }
}

extension UserSpec: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        switch self {
        case .host: writer.byte(0)
        case .image: writer.byte(1)
        case .ids(let uid, let gid):
            writer.byte(2)
            writer.put(uid)
            writer.put(gid)
        }
    }

    public init(from reader: inout CacheReader) throws {
        switch try reader.byte() {
        case 0: self = .host
        case 1: self = .image
        case 2: self = .ids(uid: try reader.get(), gid: try reader.get())
        default: throw CacheReader.Corrupt()
        }
    }
}

extension ConfigOrigin: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        switch self {
        case .builtIn: writer.byte(0)
        case .file(let location):
            writer.byte(1)
            writer.put(location)
        }
    }

    public init(from reader: inout CacheReader) throws {
        switch try reader.byte() {
        case 0: self = .builtIn
        case 1: self = .file(try reader.get())
        default: throw CacheReader.Corrupt()
        }
    }
}

extension HostEnvironment.Question: CacheCoding {
    public func write(to writer: inout CacheWriter) {
        switch self {
        case .variable(let name, let value):
            writer.byte(0)
            writer.put(name)
            writer.put(value)
        case .fits(let bytes, let fits):
            writer.byte(1)
            writer.put(bytes)
            writer.put(fits)
        }
    }

    public init(from reader: inout CacheReader) throws {
        switch try reader.byte() {
        case 0: self = .variable(try reader.get(), try reader.get())
        case 1: self = .fits(try reader.get(), try reader.get())
        default: throw CacheReader.Corrupt()
        }
    }
}

extension PortMapping.TransportProtocol: CacheCoding {}
extension LifecycleStage: CacheCoding {}
extension GPURequest: CacheCoding {}
extension Diagnostic.Severity: CacheCoding {}
extension EngineKind: CacheCoding {}
extension HostIdentity.Source: CacheCoding {}
extension FileObservation.Kind: CacheCoding {}
