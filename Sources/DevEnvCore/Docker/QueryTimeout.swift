/// How long devenv waits for the Docker engine to answer a query (`DockerPlanner.isQuery`):
/// 30 seconds, or `DEVENV_TIMEOUT` seconds. A query that takes longer means an engine that does
/// not answer (paused, wedged, overloaded): devenv ends the call and exits 3 rather than hang.
public enum QueryTimeout {
    public static let variable = "DEVENV_TIMEOUT"
    public static let defaultSeconds = 30.0
    /// A day: beyond that the value is a typo, not a wish.
    public static let maximumSeconds = 86_400.0

    /// The deadline in seconds. Throws `DevEnvError(.usage)` (exit 2) when DEVENV_TIMEOUT is set
    /// but is not a number of seconds in (0, 86400] (`30`, `2.5`).
    public static func seconds(environment: [String: String]) throws -> Double {
        guard let text = environment[variable] else { return defaultSeconds }
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(trimmed), value.isFinite, value > 0, value <= maximumSeconds else {
            throw DevEnvError.usage("\(variable) is \(JSONText.quote(text)); it must be a number of seconds above 0 and at most \(Int(maximumSeconds)), e.g. 30",
                                    hint: "unset it for the default of \(Int(defaultSeconds)) s")
        }
        return value
    }

    /// `30 s`, `2.5 s`.
    public static func display(_ seconds: Double) -> String {
        seconds == seconds.rounded() && seconds < 1e15 ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
