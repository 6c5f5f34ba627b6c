/// Builds a profile's effective settings: its `extends` base (or the built-in defaults), then
/// each of its layers, lowest first.
struct ProfileResolver {
    struct Problem: Error {
        var diagnostic: Diagnostic
    }

    let layers: [String: [ProfileLayer]]
    private var cache: [String: Profile] = [:]

    init(layers: [String: [ProfileLayer]]) {
        self.layers = layers
    }

    mutating func resolve(_ name: String) -> Result<Profile, Problem> {
        resolve(name, chain: [])
    }

    private mutating func resolve(_ name: String, chain: [String]) -> Result<Profile, Problem> {
        if let done = cache[name] { return .success(done) }
        let own = layers[name] ?? []
        var base = Profile.builtInDefaults(name: name)
        if let extends = own.last(where: { $0.extends != nil })?.extends {
            let at: SourceLocation? = { if case .file(let l) = extends.origin { return l } else { return nil } }()
            if extends.value == name || chain.contains(extends.value) {
                let cycle = (chain + [name, extends.value]).drop(while: { $0 != extends.value })
                return .failure(Problem(diagnostic: Diagnostic(
                    .error, "\"extends\" makes a cycle: \(cycle.joined(separator: " -> "))", at: at)))
            }
            if chain.count + 1 >= ConfigLimits.maximumExtendsDepth {
                let full = chain + [name, extends.value]
                let shown = full.count <= 8 ? full : Array(full.prefix(3)) + ["..."] + Array(full.suffix(3))
                return .failure(Problem(diagnostic: Diagnostic(
                    .error, "\"extends\" chain is longer than \(ConfigLimits.maximumExtendsDepth) profiles: "
                        + shown.joined(separator: " -> "), at: at)))
            }
            guard layers[extends.value] != nil else {
                let available = layers.keys.sorted().joined(separator: ", ")
                return .failure(Problem(diagnostic: Diagnostic(
                    .error, "profile \"\(name)\" extends unknown profile \"\(extends.value)\" (available: \(available))", at: at)))
            }
            switch resolve(extends.value, chain: chain + [name]) {
            case .failure(let problem): return .failure(problem)
            case .success(let parent):
                base = parent
                base.name = name
            }
        }
        let profile = own.reduce(base) { $0.overlaid(with: $1) }
        cache[name] = profile
        return .success(profile)
    }
}
