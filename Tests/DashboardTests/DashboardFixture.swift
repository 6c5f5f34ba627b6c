import Dashboard
import DevEnvCore
import TerminalUI

/// A project with three profiles: dev running, ci never created, prod exited with 3 and stale.
enum DashboardFixture {
    static let now = 1_800_000_000.0

    static func rows() -> [EnvironmentRow] {
        [
            EnvironmentRow(profile: "dev", container: "devenv-demo-dev", dockerState: "running", image: "devenv-demo:dev-abc123",
                           imageAge: "2 hours ago", startedAt: now - 125, ports: "8000,5678", url: "http://127.0.0.1:8000/",
                           user: "ada 4242:4242", userSource: "folder-owner", bindMount: "/home/ada/demo → /app",
                           volumes: ["devenv-demo-dev-venv → /venv", "devenv-demo-dev-cache → /home/dev/.cache"],
                           envFile: ".env.dev"),
            EnvironmentRow(profile: "ci", container: "devenv-demo-ci", user: "1001:1001", userSource: "the profile (fixed)",
                           bindMount: nil, volumes: []),
            EnvironmentRow(profile: "prod", container: "devenv-demo-prod", dockerState: "exited", exitCode: 3, stale: true,
                           staleReason: "the Dockerfile, dependency files or build args changed: `devenv up` rebuilds and recreates",
                           image: "devenv-demo:prod-def456", user: "ada 4242:4242", userSource: "folder-owner",
                           security: ["read-only", "cap-drop ALL", "no-new-privileges"]),
        ]
    }

    /// Started and loaded, dev selected.
    static func state(width: Int = 80, height: Int = 24) -> DashboardState {
        var state = DashboardState(project: "demo", root: "/home/ada/demo")
        state.now = now
        _ = state.update(.start(Size(width: width, height: height)))
        _ = state.update(.message(.snapshot(rows())))
        // And the one that follows the events stream's start (`reconciledEvents`).
        _ = state.update(.message(.snapshot(rows())))
        return state
    }

    static func effects(_ commands: [DashboardCommand]) -> [DashboardEffect] {
        commands.compactMap { if case .effect(let effect) = $0 { effect } else { nil } }
    }

    static func quits(_ commands: [DashboardCommand]) -> Bool {
        commands.contains { if case .quit = $0 { true } else { false } }
    }

    static func key(_ c: Character) -> ProgramEvent<DashboardMessage> { .input(.key(.char(c))) }
    static func key(_ k: Key, _ modifiers: KeyModifiers = []) -> ProgramEvent<DashboardMessage> { .input(.key(KeyEvent(k, modifiers))) }

    static func type(_ text: String, into state: inout DashboardState) {
        for c in text { _ = state.update(key(c)) }
    }

    static func text(_ state: DashboardState, width: Int, height: Int) -> String {
        state.render(size: Size(width: width, height: height)).lines.joined(separator: "\n")
    }
}
