import DevEnvCore
import Foundation
import Testing
import TestSupport

/// No input may crash the decoder, hang it or make it fail other than with a `DecodeError`
/// that points into the input. 100,000 inputs from a fixed seed: random bytes, and mutations of
/// embedded samples plus, when it is at hand, the public toml-test suite.
@Suite struct TOMLDecoderFuzzTests {
    static let samples: [String] = [
        """
        # devenv project
        [project]
        name = "demo"
        python = "3.12"
        [environments.dev]
        ports = [8000, 5678]
        env = { PYTHONUNBUFFERED = "1", UV_LINK_MODE = 'copy' }
        [[volumes]]
        name = "venv"
        target = "/venv"
        """,
        "str = \"I'm a string. \\\"You can quote me\\\". Name\\tJos\\u00E9\\nLocation\\tSF. \\U0001F600\"",
        "ml = \"\"\"\nRoses are red\r\nViolets are blue \\\n   and \"\"quotes\"\" \"\"\"\"\nlit = '''\nraw \\n '' text'''''",
        "int = [+99, -17, 0, 1_000, 0xDEAD_beef, 0o755, 0b1101, 9223372036854775807, -9223372036854775808]",
        "flt = [+1.0, 3.1415, -0.01, 5e+22, 1e06, -2E-2, 6.626e-34, 224_617.445_991, inf, -inf, nan, +nan]",
        "dt = [1979-05-27T07:32:00Z, 1979-05-27T00:32:00.999999-07:00, 1979-05-27 07:32:00, 1979-05-27, 07:32:00.5]",
        "a.b.c = 1\na.d = 2\n[x.y.z]\nw = { p.q = 1, r = [ { s = 't' } ] }\n[x]\n\"quoted key\".'lit' = true",
        "[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n[[fruits.varieties]]\nname = \"red delicious\"\n[[fruits]]\nname = \"banana\"",
        "arr = [\n  1, # one\n  [2, [3, [4]]],\n  { five = 5 },\n  \"six\",\n]\n",
        "\u{FEFF}bom = 1\r\ncrlf = \"yes\"\r\n",
        "ünïcode = \"日本語 😀\" # comment with é",
    ]

    /// Seeds: the samples, then every case of the public suite if it can be found.
    static func seeds() -> [[UInt8]] {
        samples.map { Array($0.utf8) } + TOMLTestSuiteFiles.cases.map(\.bytes)
    }

    static let tokens: [[UInt8]] = ["[", "]", "[[", "]]", "{", "}", "=", ".", ",", "\"", "'", "\"\"\"", "'''",
                                    "\\", "\\u", "\\U0010FFFF", "\n", "\r\n", "\r", "#", " ", "\t", "0x", "0o",
                                    "0b", "_", "e", "+", "-", "inf", "nan", "true", "T", "Z", ":", "1979-05-27",
                                    "07:32:00", "a.b", "\u{FEFF}", "\u{7F}", "é", "\0"].map { Array($0.utf8) }
        + [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]]

    static func mutate(_ input: [UInt8], with random: inout SplitMix64, seeds: [[UInt8]]) -> [UInt8] {
        var bytes = input
        for _ in 0...random.below(4) {
            let at = random.below(bytes.count + 1)
            switch random.below(8) {
            case 0 where !bytes.isEmpty: // flip a bit
                let i = min(at, bytes.count - 1)
                bytes[i] ^= UInt8(1 << random.below(8))
            case 1: // insert a random byte
                bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
            case 2, 3: // insert a token
                bytes.insert(contentsOf: tokens[random.below(tokens.count)], at: at)
            case 4: // delete a range
                let end = min(bytes.count, at + random.below(16) + 1)
                if at < end { bytes.removeSubrange(at..<end) }
            case 5: // duplicate a range
                let end = min(bytes.count, at + random.below(32) + 1)
                if at < end { bytes.insert(contentsOf: bytes[at..<end], at: at) }
            case 6: // truncate
                bytes.removeSubrange(at...)
            default: // splice in part of another seed
                let other = seeds[random.below(seeds.count)]
                let from = random.below(other.count + 1)
                let end = min(other.count, from + random.below(64))
                bytes.insert(contentsOf: other[from..<end], at: at)
            }
        }
        return bytes
    }

    /// Decodes, and checks that a rejection points into the input.
    static func check(_ input: [UInt8]) -> Bool? {
        do {
            _ = try TOMLDecoder.decode(input, file: "fuzz")
            return true
        } catch {
            let lines = input.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            let location = error.location
            if location.file != "fuzz" || location.line < 1 || location.line > lines || location.column < 1
                || location.column > input.count + 1 || error.message.isEmpty {
                return nil
            }
            return false
        }
    }

    /// TOML_FUZZ_SEED and TOML_FUZZ_INPUTS explore further by hand; CI keeps the defaults.
    @Test func randomAndMutatedInputsOnlyDecodeOrThrow() {
        let environment = ProcessInfo.processInfo.environment
        let seeds = Self.seeds()
        var random = SplitMix64(seed: environment["TOML_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x7D0E_1DEC_0DE5_EED5)
        let count = environment["TOML_FUZZ_INPUTS"].flatMap { Int($0) } ?? 100_000
        var accepted = 0
        var rejected = 0
        var misplaced: [[UInt8]] = []
        for i in 0..<count {
            let input: [UInt8]
            if i % 10 == 0 {
                input = (0..<random.below(64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                input = Self.mutate(seeds[random.below(seeds.count)], with: &random, seeds: seeds)
            }
            switch Self.check(input) {
            case true?: accepted += 1
            case false?: rejected += 1
            case nil: if misplaced.count < 5 { misplaced.append(input) }
            }
        }
        #expect(misplaced.isEmpty, "errors pointing outside the input: \(misplaced.map { String(decoding: $0, as: UTF8.self) })")
        // Both outcomes must be common, or the mutations test nothing.
        #expect(accepted > count / 20)
        #expect(rejected > count * 3 / 10)
    }

    /// Inputs that once went wrong (none so far crashed; these guard the nesting bound and the
    /// places where the decoder looks ahead).
    @Test func regressions() {
        let cases: [[UInt8]] = [
            Array("a = [".utf8) + Array(repeating: UInt8(ascii: "["), count: 200_000),
            Array(repeating: UInt8(ascii: "{"), count: 100_000),
            Array("a=\"\"\"".utf8), Array("a='''".utf8), Array("a=\"\\".utf8), Array("a=\"\\u12".utf8),
            Array("a=\"\"\"\\".utf8), Array("a=\"\"\"\\ ".utf8), Array("a=1979-05-27T".utf8), Array("a=1979-05-27 0".utf8),
            Array("a=07:".utf8), Array("a=0x".utf8), Array("a=+".utf8), Array("a=-i".utf8), Array("a=t".utf8),
            Array("[[".utf8), Array("[".utf8), Array("a.".utf8), Array("\"".utf8), [0xEF, 0xBB], [0xF0, 0x9F],
        ]
        for input in cases {
            #expect(Self.check(input) == false, "\(String(decoding: input.prefix(40), as: UTF8.self))")
        }
    }
}
