// The decoder interface of the public toml-test suite: TOML on stdin, tagged JSON on stdout,
// exit 0; invalid TOML: the error on stderr, exit 1.
//
// `toml-test-decoder --time N < file.toml` decodes the input N times and prints two mean times
// in milliseconds: one decode, and freeing one result (used by Tests/Scripts/bench.sh; no JSON
// is written).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DevEnvCore

func readStandardInput() -> [UInt8] {
    var input: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if count > 0 {
            input.append(contentsOf: chunk[0..<count])
        } else if count == 0 || errno != EINTR {
            return input
        }
    }
}

func write(_ bytes: [UInt8], to fd: Int32) {
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        offset += written
    }
}

/// Tagged JSON: every leaf is `{"type": T, "value": "..."}`.
struct TaggedJSON {
    var out: [UInt8] = []

    mutating func emit(_ s: String) { out.append(contentsOf: s.utf8) }

    mutating func string(_ s: String) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): emit("\\\"")
            case UInt8(ascii: "\\"): emit("\\\\")
            case UInt8(ascii: "\n"): emit("\\n")
            case UInt8(ascii: "\r"): emit("\\r")
            case UInt8(ascii: "\t"): emit("\\t")
            case 0..<0x20, 0x7F:
                let hex = String(b, radix: 16)
                emit("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    mutating func leaf(_ type: String, _ value: String) {
        emit("{\"type\":\"\(type)\",\"value\":")
        string(value)
        emit("}")
    }

    mutating func table(_ table: TOMLTable) {
        emit("{")
        for (index, entry) in table.entries.enumerated() {
            if index > 0 { emit(",") }
            string(entry.key)
            emit(":")
            value(entry.node.value)
        }
        emit("}")
    }

    mutating func value(_ value: TOMLValue) {
        switch value {
        case .string(let s): leaf("string", s)
        case .integer(let i): leaf("integer", String(i))
        case .float(let d):
            leaf("float", d.isNaN ? "nan" : d.isInfinite ? (d < 0 ? "-inf" : "inf") : "\(d)")
        case .boolean(let b): leaf("bool", b ? "true" : "false")
        case .offsetDateTime(let date, let time, let offset):
            leaf("datetime", "\(date)T\(time)\(TOMLValue.offsetDescription(minutes: offset))")
        case .localDateTime(let date, let time): leaf("datetime-local", "\(date)T\(time)")
        case .localDate(let date): leaf("date-local", "\(date)")
        case .localTime(let time): leaf("time-local", "\(time)")
        case .array(let items):
            emit("[")
            for (index, item) in items.enumerated() {
                if index > 0 { emit(",") }
                self.value(item.value)
            }
            emit("]")
        case .table(let t): table(t)
        }
    }
}

func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Holds the last decoded table, so that releasing it is a store the compiler keeps.
final class KeptTable: @unchecked Sendable {
    var table: TOMLTable?
}
let kept = KeptTable()

let arguments = CommandLine.arguments
let input = readStandardInput()

if arguments.count == 3, arguments[1] == "--time", let runs = Int(arguments[2]), runs > 0 {
    // Decoding and freeing the previous result are timed apart: a program decodes its
    // configuration once and keeps it.
    var decoding: UInt64 = 0
    var freeing: UInt64 = 0
    do {
        for _ in 0..<runs {
            let start = monotonicNanoseconds()
            let table = try TOMLDecoder.decode(input, file: "<stdin>")
            decoding += monotonicNanoseconds() - start
            let freeStart = monotonicNanoseconds()
            kept.table = table // releases the previous result
            freeing += monotonicNanoseconds() - freeStart
        }
    } catch {
        write(Array("\(error)\n".utf8), to: 2)
        exit(1)
    }
    let freeStart = monotonicNanoseconds()
    kept.table = nil
    freeing += monotonicNanoseconds() - freeStart
    let perRun = { (total: UInt64) in Double(total) / 1e6 / Double(runs) }
    write(Array("\(perRun(decoding)) \(perRun(freeing))\n".utf8), to: 1)
    exit(0)
}

do {
    let table = try TOMLDecoder.decode(input, file: "<stdin>")
    var json = TaggedJSON()
    json.table(table)
    json.emit("\n")
    write(json.out, to: 1)
    exit(0)
} catch {
    write(Array("\(error)\n".utf8), to: 2)
    exit(1)
}
