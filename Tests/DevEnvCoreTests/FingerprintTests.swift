import DevEnvCore
import Testing

/// Fingerprints are stored in labels and file names: the text form must stay the digest of the
/// text's UTF-8 bytes, exactly.
@Suite("Fingerprint")
struct FingerprintTests {
    @Test("adding text is adding its UTF-8 bytes, and the digest is pinned",
          arguments: ["", "dev", "ü ✓ 🐍", String(repeating: "long text ", count: 40)])
    func textIsItsBytes(text: String) {
        var fromText = Fingerprint(), fromBytes = Fingerprint()
        fromText.add(text)
        fromText.add("tail")
        fromBytes.add(Array(text.utf8))
        fromBytes.add(Array("tail".utf8))
        #expect(fromText.hex == fromBytes.hex)
    }

    @Test("a known digest (FNV-1a 64 with a 0xff separator)")
    func knownDigest() {
        var digest = Fingerprint()
        digest.add("")
        // The offset basis, xor 0xff, times the FNV prime.
        let basis: UInt64 = 0xcbf2_9ce4_8422_2325, prime: UInt64 = 0x0000_0100_0000_01b3
        #expect(digest.value == (basis ^ 0xff) &* prime)
    }
}
