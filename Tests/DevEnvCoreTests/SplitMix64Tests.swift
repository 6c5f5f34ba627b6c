import Testing
import TestSupport

/// The fuzz and property tests of every target replay their documents from seeds through
/// `SplitMix64`: its outputs must stay SplitMix64's, or every recorded seed would name other
/// documents than the ones it failed on.
@Suite struct SplitMix64Tests {
    @Test("seed 0 gives the reference outputs of Vigna's splitmix64.c")
    func referenceSequence() {
        var random = SplitMix64(seed: 0)
        #expect([random.next(), random.next(), random.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test("below(n) is next() % n, one step of the sequence whatever n is (0 gives 0)")
    func belowTakesOneStep() {
        var a = SplitMix64(seed: 0x5EED_0009), b = SplitMix64(seed: 0x5EED_0009)
        #expect(a.below(1000) == Int(b.next() % 1000))
        #expect(a.below(0) == 0 && a.below(-3) == 0)
        _ = b.next(); _ = b.next()
        #expect(a.next() == b.next())
    }
}
