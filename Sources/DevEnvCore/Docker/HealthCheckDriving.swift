/// Whether devenv runs a container's HEALTHCHECK itself while it waits for its health, and how
/// often. Podman runs health checks through systemd timers (`podman healthcheck run` from a
/// transient timer unit); where there is no systemd (containers, WSL, many CI runners) the
/// status stays `starting` for ever. Docker's engine runs checks itself. The one rule, here:
/// on Podman devenv runs `podman healthcheck run ID` at the container's health interval while
/// it waits (Podman then updates the status, counting retries and the start period itself, as
/// its timer would); on Docker it never does.
public enum HealthCheckDriving {
    /// The rule: devenv drives the check on Podman only (issue 11).
    public static func drivenByDevenv(_ engine: EngineKind) -> Bool { engine == .podman }

    /// Seconds between two checks when the container names no interval (inspect says `0s`, or
    /// nothing): small, so `up` sees a ready service soon.
    public static let defaultIntervalSeconds = 2.0
    /// Bounds of the interval devenv uses (seconds): at least 1 s (no busy loop), at most 30 s
    /// (Docker's own default interval), so a wait's deadline is checked often enough.
    public static let intervalBounds: ClosedRange<Double> = 1...30

    /// The interval devenv runs the check at, in seconds: `inspected` is Go's duration text of
    /// `.Config.Healthcheck.Interval` (`30s`, `1m30s`, `500ms`, `0s`), from the container or,
    /// through it, its image's HEALTHCHECK. Unset, zero or unreadable: `defaultIntervalSeconds`.
    /// Always within `intervalBounds`.
    public static func intervalSeconds(inspected: String?) -> Double {
        guard let inspected, let seconds = goDurationSeconds(inspected), seconds > 0 else { return defaultIntervalSeconds }
        return min(max(seconds, intervalBounds.lowerBound), intervalBounds.upperBound)
    }

    /// Seconds of a Go `time.Duration` as its `String()` prints it (`1h2m3.5s`, `250ms`, `0s`);
    /// nil for anything else.
    public static func goDurationSeconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            total += value * unit.1
            rest = rest.dropFirst(unit.0.count)
        }
        return total
    }
}
