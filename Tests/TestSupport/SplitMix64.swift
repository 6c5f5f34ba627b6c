/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014;
/// the constants of Vigna's `splitmix64.c`): a small seeded generator, the same on every machine,
/// so a fuzz or property test repeats exactly and a failure is replayed from its seed.
/// The one generator of every test target: a seed gives the same sequence wherever it is used.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    /// Starts at `seed`: the first `next()` is SplitMix64's first output for that seed.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n` (`next() % n`, the small bias is no matter to a test); 0 when `n` is
    /// 0 or less. One `next()` either way, so the sequence does not depend on `n`.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}
