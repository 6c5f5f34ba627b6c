@testable import DevEnvApp
@testable import DevEnvCore
import Testing

/// `prune`'s objects left behind, in text and in `--json` (`Prune.LeftBehindReport`).
@Suite struct PruneLeftBehindReportTests {
    /// mend26b: `prune --json` gave a left-behind image one name and its ID, while the text's
    /// command removes it by every name it has. Both are written from one report now: the JSON
    /// carries every name and the command itself.
    @Test func theJSONCarriesEveryNameAndTheCommandTheTextGives() throws {
        let gone = "devenv-shop-0badf00d:dev-0123456789ab", service = "devenv-shop-0badf00d-svc-db:dev-0123456789ab"
        let image = LeftBehind(kind: .image, name: gone, id: "sha256:" + String(repeating: "a", count: 64), root: "/old/shop",
                               profile: "dev", project: "shop", reason: .folderGone, imageNames: [gone, service])
        let volume = LeftBehind(kind: .volume, name: "devenv-shop-dev-venv", id: "devenv-shop-dev-venv", root: "/old/shop",
                                profile: "dev", project: "shop", reason: .folderGone)
        let result = Prune.Result(candidates: [], outcome: .init(), leftBehind: [image, volume], cli: "podman")
        let json = JSONValue.object(Prune.fields(result, dryRun: false)).rendered
        #expect(json.contains(#""name":"\#(gone)","names":["\#(gone)","\#(service)"]"#), "\(json)")
        #expect(json.contains(#""command":["podman","image","rm","\#(gone)","\#(service)"]"#), "\(json)")
        #expect(json.contains(#""names":["devenv-shop-dev-venv"]"#), "\(json)")
        #expect(json.contains(#""command":["podman","volume","rm","devenv-shop-dev-venv"]"#), "\(json)")
        let text = Prune.leftBehindText(result)
        #expect(text.contains("  image \(gone) (profile dev, /old/shop): remove it with podman image rm \(gone) \(service)\n"), "\(text)")
    }
}
