import Dashboard
import Testing

@Suite struct RetryBackoffTests {
    /// README: snapshots are retried "2 s, doubling to 30 s"; an answer starts over.
    @Test func doublesUpToTheCeilingAndStartsOver() {
        var backoff = RetryBackoff(first: 2000)
        #expect((0..<6).map { _ in backoff.take() } == [2000, 4000, 8000, 16_000, 30_000, 30_000])
        backoff.reset()
        #expect(backoff.take() == 2000)
        #expect(backoff.current == 4000)
    }
}
