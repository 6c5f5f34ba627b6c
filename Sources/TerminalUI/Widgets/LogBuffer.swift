/// The last `capacity` lines of a log, in a ring: memory stays bounded however long the log
/// runs (at most `capacity` lines of at most `maxLineBytes` bytes each). Lines are stored as
/// received, escape sequences and all; `ANSILineParser` makes them safe when they are drawn, so
/// ingesting costs one string per line.
///
/// An unfinished last line (raw output without its newline yet: a prompt, a progress line, a
/// program that has not flushed the rest) is a line too, the last one, as `docker logs -f`
/// shows it: it keeps its line number when its newline comes (dash29: the logs pane showed it
/// only then, so a "waiting for the database..." that ends its line later was not there).
public struct LogBuffer: Sendable {
    public let capacity: Int
    public let maxLineBytes: Int
    private var storage: [String] = []
    private var head = 0
    /// Finished lines ever appended.
    private var finished = 0
    private var partial: [UInt8] = []

    /// Lines ever appended, an unfinished last one included; line number `n` (0-based,
    /// counting from the first line ever) is still held when `n >= totalAppended - count`.
    public var totalAppended: Int { finished + (partial.isEmpty ? 0 : 1) }

    public init(capacity: Int = 10_000, maxLineBytes: Int = 4096) {
        self.capacity = max(1, capacity)
        self.maxLineBytes = max(16, maxLineBytes)
        storage.reserveCapacity(min(self.capacity, 1 << 16))
    }

    /// Lines held, an unfinished last one included.
    public var count: Int { storage.count + (partial.isEmpty ? 0 : 1) }
    /// Line number of the oldest line held.
    public var firstLineNumber: Int { finished - storage.count }

    /// The i-th line held, 0 being the oldest.
    public subscript(i: Int) -> String {
        i < storage.count ? storage[(head + i) % storage.count] : unfinished
    }

    /// The unfinished last line as far as it goes, capped as a stored line is; a character
    /// whose bytes have not all come yet is left for when they have (not shown as U+FFFD).
    private var unfinished: String {
        String(decoding: partial[..<UTF8StreamDecoder.completeLength(partial.prefix(maxLineBytes))], as: UTF8.self)
    }

    /// The line with this line number, if still held.
    public func line(number n: Int) -> String? {
        let i = n - firstLineNumber
        guard i >= 0, i < count else { return nil }
        return self[i]
    }

    public mutating func append(line: String) {
        var line = line
        if line.utf8.count > maxLineBytes {
            // Cut at a character's start: a cut through one would end the line in U+FFFD.
            let bytes = Array(line.utf8.prefix(maxLineBytes))
            line = String(decoding: bytes[..<UTF8StreamDecoder.completeLength(bytes)], as: UTF8.self)
        }
        if storage.count < capacity {
            storage.append(line)
        } else {
            storage[head] = line
            head = (head + 1) % capacity
        }
        finished += 1
    }

    /// Appends raw output: complete lines are stored, an unfinished last line is held (and
    /// shown) until its newline comes in a later chunk, or `flush()`. CR before LF is dropped.
    public mutating func append(bytes: [UInt8]) {
        var start = 0
        bytes.withUnsafeBufferPointer { buf in
            for k in 0..<buf.count where buf[k] == 0x0A {
                var end = k
                if partial.isEmpty {
                    if end > start && buf[end - 1] == 0x0D { end -= 1 }
                    append(line: String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self))
                } else {
                    partial.append(contentsOf: buf[start..<end])
                    if partial.last == 0x0D { partial.removeLast() }
                    append(line: String(decoding: partial, as: UTF8.self))
                    partial.removeAll(keepingCapacity: true)
                }
                start = k + 1
            }
            if start < buf.count {
                partial.append(contentsOf: buf[start..<buf.count])
                if partial.count > maxLineBytes * 4 {
                    // A runaway line without newline, stored in pieces; a character cut by the
                    // read goes whole into the next piece.
                    let rest = partial[UTF8StreamDecoder.completeLength(partial)...]
                    partial.removeLast(rest.count)
                    flush()
                    partial.append(contentsOf: rest)
                }
            }
        }
    }

    /// Stores the unfinished last line, if any.
    public mutating func flush() {
        guard !partial.isEmpty else { return }
        append(line: String(decoding: partial, as: UTF8.self))
        partial.removeAll(keepingCapacity: true)
    }

    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
        partial.removeAll()
    }

    /// The line number of the nearest line containing `term` (case-insensitive, escape
    /// sequences ignored), searching from `start` in the given direction, or nil.
    public func find(_ term: String, from start: Int, forward: Bool) -> Int? {
        guard !term.isEmpty, count > 0 else { return nil }
        let needle = term.lowercased()
        var n = min(max(start, firstLineNumber), totalAppended - 1)
        while n >= firstLineNumber && n < totalAppended {
            if let l = line(number: n), ANSILineParser.plainText(l).lowercased().contains(needle) { return n }
            n += forward ? 1 : -1
        }
        return nil
    }
}
