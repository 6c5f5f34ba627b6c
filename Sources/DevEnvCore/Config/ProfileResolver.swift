/// Builds a profile's effective settings: its `extends` base (or the built-in defaults), then
/// each of its layers, lowest first.
struct ProfileResolver {
    struct Problem: Error {
        var diagnostic: Diagnostic
    }

    let layers: [String: [ProfileLayer]]
    private var cache: [String: Profile] = [:]
    /// "ci, dev, prod" for the unknown-`extends` message: made once, at most 20 names (each
    /// of 120,000 profiles extending a missing one sorted and listed all of them: minutes).
    private lazy var available: String = {
        let names = layers.keys.sorted()
        let shown = names.prefix(20).joined(separator: ", ")
        return names.count > 20 ? shown + " and \(names.count - 20) more" : shown
    }()

    init(layers: [String: [ProfileLayer]]) {
        self.layers = layers
    }

    mutating func resolve(_ name: String) -> Result<Profile, Problem> {
        var chain: [String] = []
        var inChain: Set<String> = []
        return resolve(name, chain: &chain, inChain: &inChain)
    }

    /// Problems found at a profile that hold wherever the resolution started (its base is
    /// unknown), kept so that the profiles that extend it fail at once. Ones told from the
    /// start (a chain grown too long from there, a cycle said as seen from it) are not kept:
    /// the `extends` depth limit bounds their walks. Without this, 113,000 profiles extending each other in a line (a 4 MiB file)
    /// each walked 32 profiles deep, copying the chain at every step: minutes.
    private var failures: [String: Problem] = [:]

    /// `chain`: the profiles whose resolution led here, in order (`inChain` the same as a set).
    private mutating func resolve(_ name: String, chain: inout [String], inChain: inout Set<String>) -> Result<Profile, Problem> {
        if let done = cache[name] { return .success(done) }
        if let failed = failures[name] { return .failure(failed) }
        let own = layers[name] ?? []
        var base: Profile
        if let extends = own.last(where: { $0.extends != nil })?.extends {
            let at: SourceLocation? = { if case .file(let l) = extends.origin { return l } else { return nil } }()
            if extends.value == name || inChain.contains(extends.value) {
                let cycle = (chain + [name, extends.value]).drop(while: { $0 != extends.value })
                // Said from each profile of the cycle, each at its own `extends`: not kept.
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
                return fail(name, Problem(diagnostic: Diagnostic(
                    .error, "profile \"\(name)\" extends unknown profile \"\(extends.value)\" (available: \(available))", at: at)))
            }
            chain.append(name)
            inChain.insert(name)
            let parent = resolve(extends.value, chain: &chain, inChain: &inChain)
            chain.removeLast()
            inChain.remove(name)
            switch parent {
            case .failure(let problem):
                // The base's own problem is this profile's too; a chain too long from the
                // start is only the start's.
                return failures[extends.value] != nil ? fail(name, problem) : .failure(problem)
            case .success(let profile):
                base = profile
                base.name = name
            }
        } else {
            base = Profile.builtInDefaults(name: name)
        }
        let profile = own.reduce(base) { $0.overlaid(with: $1) }
        cache[name] = profile
        return .success(profile)
    }

    private mutating func fail(_ name: String, _ problem: Problem) -> Result<Profile, Problem> {
        failures[name] = problem
        return .failure(problem)
    }
}
