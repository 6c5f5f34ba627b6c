/// The host's environment variables as the configuration reading sees them: the one way it
/// asks for one (`subscript`, getenv's question) or for the size of them all (`fits`), so that
/// a recording (`HostEnvironment.Recording`) writes down each question with its answer, as
/// `RecordingFileSystem` does for files. The cache of the reading (`ConfigurationCache`) keys
/// on those answers only: a shell that `cd`s about changes PWD, OLDPWD and `_`, which no
/// configuration that does not name them reads, and a kept reading stays good (issue 14).
///
/// The values are not reachable otherwise (no dictionary to hand on), so a reading cannot
/// depend on a variable without asking for it here.
public struct HostEnvironment: Sendable, ExpressibleByDictionaryLiteral {
    private let values: [String: String]
    private let recording: Recording?

    /// `values` as the process got them; `recording` writes down every question asked.
    public init(_ values: [String: String], recording: Recording? = nil) {
        self.values = values
        self.recording = recording
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The value of `name` (getenv), nil when it is not set.
    public subscript(name: String) -> String? {
        let value = values[name]
        recording?.note(.variable(name, value))
        return value
    }

    /// Whether all the variables as execve counts them (`ConfigLimits.environmentBytes`) take at
    /// most `bytes`: the question `ConfigLimits.checkArgumentTotal` asks, recorded as such, so
    /// that a kept reading holds while the answer does, whatever the exact size.
    public func fits(inBytes bytes: Int) -> Bool {
        let fits = ConfigLimits.environmentBytes(of: values) <= bytes
        recording?.note(.fits(bytes, fits))
        return fits
    }

    /// The size of all the variables as execve counts them, for a message (recorded exactly).
    public var byteCount: Int {
        let count = ConfigLimits.environmentBytes(of: values)
        recording?.note(.fits(count - 1, false))
        recording?.note(.fits(count, true))
        return count
    }

    /// One question asked of the environment, with its answer.
    public enum Question: Sendable, Hashable {
        /// `name` had `value` (nil: not set).
        case variable(String, String?)
        /// The whole environment took at most the bytes given: yes or no.
        case fits(Int, Bool)

        /// Whether asking `values` now gives the same answer.
        public func holds(in values: [String: String]) -> Bool {
            switch self {
            case .variable(let name, let value): return values[name] == value
            case .fits(let bytes, let fits): return (ConfigLimits.environmentBytes(of: values) <= bytes) == fits
            }
        }
    }

    /// The questions asked, each once, in the order first asked.
    public final class Recording: @unchecked Sendable {
        private let lock = Lock()
        private var asked: [Question] = []
        private var seen: Set<Question> = []

        public init() {}

        public var questions: [Question] { lock.withLock { asked } }

        func note(_ question: Question) {
            lock.withLock {
                if seen.insert(question).inserted { asked.append(question) }
            }
        }
    }
}
