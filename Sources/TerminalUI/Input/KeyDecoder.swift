/// Bytes from a terminal in raw mode to key, paste and mouse events (bubbletea's
/// `detectOneMsg`). Pure and total: every byte ends up in an event or the leftover, malformed
/// sequences come out as `.unknown`, and nothing grows without bound except a paste in progress.
/// Text is decoded per Unicode scalar, so splitting input anywhere gives the same events.
public enum KeyDecoder {
    /// Longest control sequence waited for; longer ones are reported as unknown.
    static let maxSequenceLength = 64

    public static func decode(_ bytes: [UInt8], atEnd: Bool = false) -> DecodeResult {
        var events: [InputEvent] = []
        var i = 0
        while i < bytes.count {
            switch decodeOne(bytes, i, atEnd: atEnd) {
            case .event(let e, let n):
                events.append(e)
                i += n
            case .incomplete(let isPaste):
                return DecodeResult(events: events, leftover: Array(bytes[i...]), leftoverIsPaste: isPaste)
            }
        }
        return DecodeResult(events: events, leftover: [], leftoverIsPaste: false)
    }

    enum Step {
        case event(InputEvent, Int)
        case incomplete(paste: Bool)
    }

    private static func key(_ k: Key, _ m: KeyModifiers = [], _ n: Int) -> Step { .event(.key(KeyEvent(k, m)), n) }

    static func decodeOne(_ b: [UInt8], _ i: Int, atEnd: Bool) -> Step {
        let c = b[i]
        switch c {
        case 0x1B: return escape(b, i, atEnd: atEnd)
        case 0x0D, 0x0A: return key(.enter, [], 1)
        case 0x09: return key(.tab, [], 1)
        case 0x7F: return key(.backspace, [], 1)
        case 0x08: return key(.backspace, .ctrl, 1)
        case 0x00: return key(.character(" "), .ctrl, 1)
        case 0x01...0x1A: return key(.character(Character(Unicode.Scalar(c + 0x60))), .ctrl, 1)
        case 0x1C...0x1F: return key(.character(Character(Unicode.Scalar(c + 0x40))), .ctrl, 1)
        case 0x20..<0x7F: return key(.character(Character(Unicode.Scalar(c))), [], 1)
        default: return utf8(b, i, atEnd: atEnd)
        }
    }

    private static func utf8(_ b: [UInt8], _ i: Int, atEnd: Bool) -> Step {
        let lead = b[i]
        let length: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lo = 0xA0
        case 0xED: length = 3; hi = 0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; lo = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; hi = 0x8F
        default: return .event(.unknown([lead]), 1)
        }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length {
            guard i + k < b.count else {
                return atEnd ? .event(.unknown(Array(b[i...])), b.count - i) : .incomplete(paste: false)
            }
            let cb = b[i + k]
            let okRange = k == 1 ? (lo...hi) : (0x80...0xBF)
            guard okRange.contains(cb) else { return .event(.unknown(Array(b[i..<(i + k)])), k) }
            value = value << 6 | UInt32(cb & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return .event(.unknown(Array(b[i..<(i + length)])), length) }
        if value < 0xA0 { return .event(.unknown(Array(b[i..<(i + length)])), length) } // C1 controls
        return key(.character(Character(scalar)), [], length)
    }

    private static func escape(_ b: [UInt8], _ i: Int, atEnd: Bool) -> Step {
        guard i + 1 < b.count else { return atEnd ? key(.escape, [], 1) : .incomplete(paste: false) }
        let c = b[i + 1]
        switch c {
        case 0x5B: return csi(b, i, atEnd: atEnd)
        case 0x4F: return ss3(b, i, atEnd: atEnd)
        case 0x1B:
            // ESC ESC: Alt with a sequence (ESC ESC [ A is Alt+Up in some terminals), or Alt+Esc.
            guard i + 2 < b.count else { return atEnd ? key(.escape, .alt, 2) : .incomplete(paste: false) }
            if b[i + 2] == 0x5B || b[i + 2] == 0x4F {
                switch escape(b, i + 1, atEnd: atEnd) {
                case .event(.key(var k), let n):
                    k.modifiers.insert(.alt)
                    return .event(.key(k), n + 1)
                case .event(let e, let n): return .event(e, n + 1)
                case .incomplete(let p): return .incomplete(paste: p)
                }
            }
            return key(.escape, .alt, 2)
        default:
            switch decodeOne(b, i + 1, atEnd: atEnd) {
            case .event(.key(var k), let n):
                k.modifiers.insert(.alt)
                return .event(.key(k), n + 1)
            case .event(.unknown(let raw), let n):
                return .event(.unknown([0x1B] + raw), n + 1)
            case .event(let e, let n): return .event(e, n + 1)
            case .incomplete(let p): return .incomplete(paste: p)
            }
        }
    }

    private static func numbers(_ b: [UInt8], _ from: Int, _ to: Int) -> [Int] {
        var out: [Int] = []
        var cur = 0, seen = false, skipping = false
        for k in from..<to {
            let c = b[k]
            if c == 0x3B { out.append(seen ? cur : 1); cur = 0; seen = false; skipping = false; continue }
            if c == 0x3A { skipping = true; continue } // sub-parameters are not used here
            if skipping { continue }
            if c >= 0x30 && c <= 0x39 { cur = min(cur * 10 + Int(c - 0x30), 1_000_000); seen = true }
        }
        out.append(seen ? cur : 1)
        return out
    }

    private static func csi(_ b: [UInt8], _ i: Int, atEnd: Bool) -> Step {
        var j = i + 2
        let n = b.count
        guard j < n else { return atEnd ? key(.character("["), .alt, 2) : .incomplete(paste: false) }
        // Linux console: ESC [ [ A..E are F1..F5.
        if b[j] == 0x5B {
            guard j + 1 < n else { return atEnd ? .event(.unknown(Array(b[i...])), n - i) : .incomplete(paste: false) }
            let f = b[j + 1]
            if f >= 0x41 && f <= 0x45 { return key(.function(Int(f - 0x40)), [], 4) }
            return .event(.unknown(Array(b[i..<(i + 4)])), 4)
        }
        // X10 mouse: ESC [ M then three bytes.
        if b[j] == 0x4D {
            guard j + 3 < n else { return atEnd ? .event(.unknown(Array(b[i...])), n - i) : .incomplete(paste: false) }
            let cb = Int(b[j + 1]) - 32
            return .event(.mouse(mouse(cb, x: Int(b[j + 2]) - 33, y: Int(b[j + 3]) - 33, release: false)), 6)
        }
        // The scan stops at the same place however the input was split, so that decoding in
        // pieces gives the same events as decoding at once.
        let limit = min(n, i + maxSequenceLength)
        let paramStart = j
        while j < limit && b[j] >= 0x30 && b[j] <= 0x3F { j += 1 }
        let paramEnd = j
        while j < limit && b[j] >= 0x20 && b[j] <= 0x2F { j += 1 }
        guard j < limit else {
            if atEnd || j == i + maxSequenceLength { return .event(.unknown(Array(b[i..<j])), j - i) }
            return .incomplete(paste: false)
        }
        let final = b[j]
        guard final >= 0x40 && final <= 0x7E else {
            if j == i + 2 { return key(.character("["), .alt, 2) }
            return .event(.unknown(Array(b[i..<j])), j - i)
        }
        let length = j + 1 - i
        let raw = { Array(b[i..<(i + length)]) }
        let hasIntermediate = paramEnd != j
        let marker: UInt8? = paramStart < paramEnd && b[paramStart] >= 0x3C ? b[paramStart] : nil
        let nums = numbers(b, marker == nil ? paramStart : paramStart + 1, paramEnd)
        if hasIntermediate { return .event(.unknown(raw()), length) }

        if marker == 0x3C && (final == 0x4D || final == 0x6D) && nums.count == 3 {
            return .event(.mouse(mouse(nums[0], x: nums[1] - 1, y: nums[2] - 1, release: final == 0x6D)), length)
        }
        if marker != nil { return .event(.unknown(raw()), length) }
        let mods = nums.count > 1 ? KeyModifiers(xtermParameter: nums[1]) : []

        switch final {
        case 0x7E, 0x5E, 0x40: // ~, and rxvt's ^ (ctrl) and @ (ctrl+shift)
            var m = mods
            if final == 0x5E { m.insert(.ctrl) }
            if final == 0x40 { m.formUnion([.ctrl, .shift]) }
            if nums[0] == 200 && final == 0x7E { return paste(b, i, bodyStart: i + length, atEnd: atEnd) }
            if nums[0] == 27 && nums.count == 3, let k = keyForCodepoint(nums[2]) {
                return .event(.key(KeyEvent(k.key, k.modifiers.union(KeyModifiers(xtermParameter: nums[1])))), length)
            }
            guard let k = tildeKey(nums[0]) else { return .event(.unknown(raw()), length) }
            return key(k, m, length)
        case 0x41: return key(.up, mods, length)
        case 0x42: return key(.down, mods, length)
        case 0x43: return key(.right, mods, length)
        case 0x44: return key(.left, mods, length)
        case 0x48: return key(.home, mods, length)
        case 0x46: return key(.end, mods, length)
        case 0x50: return key(.function(1), mods, length)
        case 0x51: return key(.function(2), mods, length)
        case 0x52: return key(.function(3), mods, length)
        case 0x53: return key(.function(4), mods, length)
        case 0x5A: return key(.backTab, mods.union(.shift), length)
        case 0x61: return key(.up, .shift, length)     // rxvt shift+arrows
        case 0x62: return key(.down, .shift, length)
        case 0x63: return key(.right, .shift, length)
        case 0x64: return key(.left, .shift, length)
        case 0x75: // CSI u (fixterms / kitty)
            guard let k = keyForCodepoint(nums[0]) else { return .event(.unknown(raw()), length) }
            return .event(.key(KeyEvent(k.key, k.modifiers.union(mods))), length)
        case 0x49 where paramStart == paramEnd: return .event(.focus(gained: true), length)
        case 0x4F where paramStart == paramEnd: return .event(.focus(gained: false), length)
        default: return .event(.unknown(raw()), length)
        }
    }

    private static func tildeKey(_ code: Int) -> Key? {
        switch code {
        case 1, 7: return .home
        case 2: return .insert
        case 3: return .delete
        case 4, 8: return .end
        case 5: return .pageUp
        case 6: return .pageDown
        case 11...15: return .function(code - 10)
        case 17...21: return .function(code - 11)
        case 23...26: return .function(code - 12)
        case 28, 29: return .function(code - 13)
        case 31...34: return .function(code - 14)
        default: return nil
        }
    }

    private static func keyForCodepoint(_ cp: Int) -> KeyEvent? {
        switch cp {
        case 13: return KeyEvent(.enter)
        case 9: return KeyEvent(.tab)
        case 27: return KeyEvent(.escape)
        case 127, 8: return KeyEvent(.backspace)
        default:
            guard cp >= 0x20, let s = Unicode.Scalar(UInt32(cp)), !(0x7F..<0xA0).contains(cp) else { return nil }
            return KeyEvent(.character(Character(s)))
        }
    }

    private static func mouse(_ code: Int, x: Int, y: Int, release: Bool) -> MouseEvent {
        var m: KeyModifiers = []
        if code & 4 != 0 { m.insert(.shift) }
        if code & 8 != 0 { m.insert(.alt) }
        if code & 16 != 0 { m.insert(.ctrl) }
        let motion = code & 32 != 0
        let low = code & 3
        let button: MouseEvent.Button
        if code & 64 != 0 {
            button = [.wheelUp, .wheelDown, .wheelLeft, .wheelRight][low]
        } else if code & 128 != 0 {
            button = .other(8 + low)
        } else {
            button = [.left, .middle, .right, .none][low]
        }
        let action: MouseEvent.Action
        if release || (button == .none && !motion) { action = .release }
        else if motion { action = button == .none ? .move : .drag }
        else { action = .press }
        return MouseEvent(button: button, action: action, x: max(0, x), y: max(0, y), modifiers: m)
    }

    /// ESC [ 200 ~ ... ESC [ 201 ~ is one paste; CR LF and CR become LF.
    private static func paste(_ b: [UInt8], _ i: Int, bodyStart: Int, atEnd: Bool) -> Step {
        let end: [UInt8] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]
        var k = bodyStart
        while k + end.count <= b.count {
            if b[k] == 0x1B && b[k + 1] == 0x5B && Array(b[k..<(k + end.count)]) == end {
                return .event(.paste(pasteText(b[bodyStart..<k])), k + end.count - i)
            }
            k += 1
        }
        if atEnd { return .event(.paste(pasteText(b[bodyStart...])), b.count - i) }
        return .incomplete(paste: true)
    }

    private static func pasteText(_ bytes: ArraySlice<UInt8>) -> String {
        var normalized: [UInt8] = []
        normalized.reserveCapacity(bytes.count)
        var previousCR = false
        for c in bytes {
            if c == 0x0D { normalized.append(0x0A); previousCR = true; continue }
            if c == 0x0A && previousCR { previousCR = false; continue }
            previousCR = false
            normalized.append(c)
        }
        return String(decoding: normalized, as: UTF8.self)
    }

    private static func ss3(_ b: [UInt8], _ i: Int, atEnd: Bool) -> Step {
        var j = i + 2
        let n = b.count
        guard j < n else { return atEnd ? key(.character("O"), .alt, 2) : .incomplete(paste: false) }
        while j < n && ((b[j] >= 0x30 && b[j] <= 0x39) || b[j] == 0x3B) && j - i < 8 { j += 1 }
        guard j < n else { return atEnd ? .event(.unknown(Array(b[i..<n])), n - i) : .incomplete(paste: false) }
        let nums = numbers(b, i + 2, j)
        let mods = j > i + 2 ? KeyModifiers(xtermParameter: nums.last ?? 1) : []
        let length = j + 1 - i
        switch b[j] {
        case 0x41: return key(.up, mods, length)
        case 0x42: return key(.down, mods, length)
        case 0x43: return key(.right, mods, length)
        case 0x44: return key(.left, mods, length)
        case 0x48: return key(.home, mods, length)
        case 0x46: return key(.end, mods, length)
        case 0x50: return key(.function(1), mods, length)
        case 0x51: return key(.function(2), mods, length)
        case 0x52: return key(.function(3), mods, length)
        case 0x53: return key(.function(4), mods, length)
        case 0x4D: return key(.enter, mods, length)
        case 0x61: return key(.up, .ctrl, length)      // rxvt ctrl+arrows
        case 0x62: return key(.down, .ctrl, length)
        case 0x63: return key(.right, .ctrl, length)
        case 0x64: return key(.left, .ctrl, length)
        case 0x6A...0x79: // application keypad: * + , - . / 0-9
            let chars: [Character] = ["*", "+", ",", "-", ".", "/", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
            return key(.character(chars[Int(b[j] - 0x6A)]), mods, length)
        case 0x58: return key(.character("="), mods, length)
        default:
            if b[j] < 0x20 || b[j] >= 0x7F { return .event(.unknown(Array(b[i..<j])), j - i) }
            return .event(.unknown(Array(b[i..<(i + length)])), length)
        }
    }
}
