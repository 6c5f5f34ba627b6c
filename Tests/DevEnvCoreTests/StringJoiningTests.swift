import DevEnvCore
import Testing

/// DevEnvCore's concrete `[String].joined` (issue 14: the standard library's generic one cost a
/// conformance scan on its first call) gives what the standard library's gives.
@Suite struct StringJoiningTests {
    @Test func joinsAsTheStandardLibraryDoes() {
        let cases: [[String]] = [[], [""], ["a"], ["a", "b"], ["", ""], ["é", "👩‍👩‍👧", "x y"], ["a", "", "c"]]
        for strings in cases {
            for separator in ["", ",", " -- ", "\u{301}"] {
                var expected = ""
                for (index, string) in strings.enumerated() { expected += (index == 0 ? "" : separator) + string }
                #expect(strings.joined(separator: separator) == expected, "\(strings) \(separator)")
                // The standard library's own, reached through the protocol.
                #expect(AnySequence(strings).joined(separator: separator) == expected)
            }
            #expect(strings.joined() == strings.reduce("", +))
        }
    }
}
