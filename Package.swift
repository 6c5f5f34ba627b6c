// swift-tools-version:6.0
// devenv has no package dependencies, by the user's rule: Foundation/Glibc only.
import PackageDescription

let package = Package(
    name: "devenv",
    products: [
        .executable(name: "devenv", targets: ["devenv"]),
    ],
    targets: [
        // Pure core: TOML, configuration, host identity values, docker planning and parsing, errors.
        .target(name: "DevEnvCore"),
        // Pure, generic terminal toolkit: screen model, diff renderer, key decoder, widgets.
        .target(name: "TerminalUI"),
        // Pure dashboard model: state, update(event) -> [Effect], view(state) -> Screen.
        .target(name: "Dashboard", dependencies: ["DevEnvCore", "TerminalUI"]),
        // `status`'s docker call started again before the Swift runtime initialises, from the
        // record the last one wrote (C: a constructor; prestart.c says why). Our own code.
        .target(name: "DevEnvPrestart"),
        // The only place for posix_spawn, termios, ioctl, signals, poll and the file system.
        .target(name: "DevEnvSystem", dependencies: ["DevEnvCore", "TerminalUI", "DevEnvPrestart"]),
        // Orchestration: one file per subcommand, reporters, the dashboard loop.
        .target(name: "DevEnvApp", dependencies: ["DevEnvCore", "TerminalUI", "Dashboard", "DevEnvSystem"]),
        // link-order.txt: the order `make release` lays devenv's functions out in (the Makefile says why).
        .executableTarget(name: "devenv", dependencies: ["DevEnvApp"], exclude: ["link-order.txt"]),
        // The decoder interface of the public toml-test suite (TOML on stdin, tagged JSON on stdout).
        .executableTarget(name: "toml-test-decoder", dependencies: ["DevEnvCore"]),
        // A small program on the terminal toolkit, used by the terminal-restore tests.
        .executableTarget(name: "tui-demo", dependencies: ["TerminalUI", "DevEnvSystem"]),

        // Shared by the test targets: FakeProcessRunner, the engine gate, temporary projects.
        .target(name: "TestSupport", dependencies: ["DevEnvCore", "DevEnvSystem"], path: "Tests/TestSupport"),
        .testTarget(name: "DevEnvCoreTests", dependencies: ["DevEnvCore", "TerminalUI", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "DevEnvSystem", "TestSupport"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "DevEnvCore", "TerminalUI", "TestSupport"]),
        .testTarget(name: "DevEnvAppTests", dependencies: ["DevEnvApp", "DevEnvCore", "DevEnvSystem", "TestSupport"]),
        // Real Docker engine; skipped with a reason unless DEVENV_REQUIRE_ENGINE=1.
        .testTarget(name: "IntegrationTests", dependencies: ["DevEnvApp", "DevEnvCore", "DevEnvSystem", "TestSupport"]),
        // The dashboard under tmux, on the real engine.
        .testTarget(name: "EndToEndTests", dependencies: ["DevEnvCore", "DevEnvSystem", "TestSupport"]),
    ]
)
