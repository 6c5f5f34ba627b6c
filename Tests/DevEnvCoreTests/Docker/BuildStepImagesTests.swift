import Testing
@testable import DevEnvCore

/// The step images a Podman build's output names (`BuildStepImages`), which devenv records as
/// its own so that `down --images` and `prune` remove the untagged ones a multi-stage build leaves.
@Suite struct BuildStepImagesTests {
    static let a = String(repeating: "a", count: 60) + "0001", b = "33ac4a083a3" + String(repeating: "b", count: 53)

    @Test func stepLinesNameTheirImagesWhereverTheOutputIsCut() {
        let output = "[1/2] STEP 2/2: RUN echo b > /b\n--> 33ac4a083a3\n[2/2] STEP 1/3: FROM x\n--> Using cache \(Self.a)\r\n"
            + "--> not-hex\n-->  33ac4a083a3\nCOMMIT localhost/x:1\n--> 9ee2b708ce5"
        let steps = BuildStepImages()
        #expect(steps.isEmpty)
        // Cut inside the lines, as the pipe hands it over.
        let bytes = Array(output.utf8)
        for start in stride(from: 0, to: bytes.count, by: 7) { steps.read(Array(bytes[start..<min(start + 7, bytes.count)])) }
        #expect(!steps.isEmpty)
        let final = "9ee2b708ce5" + String(repeating: "c", count: 53)
        let other = "33ac4a083a3" + String(repeating: "d", count: 53)
        #expect(steps.ids(among: ["sha256:" + Self.a, "sha256:" + Self.b, final, "sha256:" + String(repeating: "e", count: 64)])
                == [Self.b, Self.a, final].sorted())
        // A prefix that two listed images start with vouches for neither.
        #expect(steps.ids(among: [Self.b, other]) == [])
        #expect(BuildStepImages.stepID("--> 12345") == nil, "too short to name one image")
        #expect(BuildStepImages.stepID("STEP 1: --> 33ac4a083a3") == nil)
    }

    /// mend27a: a RUN's output comes on the same stream, so `RUN echo "--> ID"` names any image;
    /// only one that was not there before the build (the build made it) counts.
    @Test func anImageThatWasThereBeforeTheBuildIsNoStepOfIt() {
        let steps = BuildStepImages()
        steps.read(Array("[1/1] STEP 2/2: RUN echo \"--> \(Self.a.prefix(11))\"\n--> \(Self.a.prefix(11))\n--> 33ac4a083a3\n".utf8))
        let listed = ["sha256:" + Self.a, "sha256:" + Self.b]
        #expect(steps.ids(among: listed, madeSince: ["sha256:" + Self.a]) == [Self.b])
        #expect(steps.ids(among: listed, madeSince: [Self.a, Self.b]) == [])
        #expect(steps.ids(among: listed, madeSince: []) == [Self.a, Self.b].sorted())
    }
}
