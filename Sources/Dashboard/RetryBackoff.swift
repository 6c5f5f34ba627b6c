/// A wait that doubles each time it is taken, up to a ceiling, and starts over once what it
/// waits for answers: the dashboard's reconnects to `docker events` and its snapshot retries
/// while the engine is away, so a stopped engine costs a call every half minute at most, not
/// one a second. Also the pause between the rounds of `OneOffContainers`' wait for a create.
public struct RetryBackoff: Sendable, Hashable {
    /// The first wait, in milliseconds.
    public let first: Int
    /// The longest wait, in milliseconds.
    public let ceiling: Int
    /// The wait `take()` gives next, in milliseconds.
    public private(set) var current: Int

    public init(first: Int, ceiling: Int = 30_000) {
        self.first = first
        self.ceiling = ceiling
        current = first
    }

    /// The wait to use now (milliseconds); the next one is twice as long, at most `ceiling`.
    public mutating func take() -> Int {
        let wait = current
        current = min(ceiling, wait * 2)
        return wait
    }

    /// What it waited for answered: the next wait is `first` again.
    public mutating func reset() {
        current = first
    }
}
