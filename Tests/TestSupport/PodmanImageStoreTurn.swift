import Testing

/// A suite trait for the suites that build or remove images on rootful Podman: they take turns,
/// one suite at a time in the test process (each is `.serialized` within itself).
///
/// Why: rootful Podman keeps one image store for every test, and Podman 4.3 (Debian's) races when
/// one command builds while another removes images: the build fails with "layer not known"
/// (containers/podman#18659, containers/buildah#5674, open upstream). Seen here when two suites
/// ran side by side. A suite waiting for its turn is suspended (an actor's queue), so it holds no
/// thread, and it prints what it waits for. Rootless Podman has a store per user; rootless Docker
/// and Docker are not affected, but a suite that mixes them waits as a whole.
public struct PodmanImageStoreTurn: SuiteTrait, TestScoping {
    public var isRecursive: Bool { false }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        await Self.turns.take(for: test.displayName ?? test.name)
        do {
            try await function()
        } catch {
            await Self.turns.give()
            throw error
        }
        await Self.turns.give()
    }

    private static let turns = Turns()

    /// First come, first served; a released turn is handed straight to the next waiter.
    private actor Turns {
        private var holder: String?
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func take(for suite: String) async {
            guard let current = holder else {
                holder = suite
                return
            }
            print("PodmanImageStoreTurn: \"\(suite)\" waits for rootful Podman's image store (\"\(current)\" is using it)")
            await withCheckedContinuation { waiting.append($0) }
            holder = suite
        }

        func give() {
            if waiting.isEmpty { holder = nil } else { waiting.removeFirst().resume() }
        }
    }
}

extension Trait where Self == PodmanImageStoreTurn {
    /// Takes turns with the other suites that build or remove images on rootful Podman.
    public static var podmanImageStoreTurn: Self { PodmanImageStoreTurn() }
}
