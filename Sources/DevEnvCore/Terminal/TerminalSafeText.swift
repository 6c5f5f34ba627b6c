/// The one rule for untrusted text (names and values from files, docker's messages, a
/// container's output) on its way to a terminal: every control character is shown escaped,
/// so no escape sequence from a file or the engine can set the window title, write the
/// clipboard (OSC 52), switch screens or move the cursor.
///
/// Escaped: C0 controls (U+0000-U+001F) except those the caller allows, DEL (U+007F) and the
/// C1 controls (U+0080-U+009F, which some terminals obey as ESC-sequences) as `\xHH`; the
/// bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069, which reorder what is
/// shown: "Trojan Source", CVE-2021-42574) and the other invisible format characters that
/// make two different texts look the same or reorder them (the bidi marks U+200E, U+200F,
/// U+061C; zero width space U+200B; word joiner and invisible operators U+2060-U+2064; the
/// byte order mark U+FEFF; the line and paragraph separators U+2028, U+2029) as
/// `\u{HHHH}`. Zero width (non-)joiners (U+200C, U+200D) pass: emoji sequences and
/// Persian or Indic words need them. Everything else, including non-ASCII letters, passes
/// unchanged.
public enum TerminalSafeText {
    /// `text` with control characters escaped; newline and tab are kept unless
    /// `keepingLineBreaks` is false (a value shown inside one line).
    public static func escaping(_ text: String, keepingLineBreaks: Bool = true) -> String {
        guard needsEscaping(text, keepingLineBreaks: keepingLineBreaks) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar, keepingLineBreaks: keepingLineBreaks) {
                out.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Whether `text` holds anything `escaping` would change (the common case is a fast no).
    public static func needsEscaping(_ text: String, keepingLineBreaks: Bool = true) -> Bool {
        // Every unsafe scalar's UTF-8 starts with a byte below 0x20, 0x7F, 0xC2 (C1), 0xD8
        // (U+061C), 0xE2 (U+2000-U+2FFF) or 0xEF (U+FEFF): text without those bytes is safe as it is.
        // Newline and tab, when kept, are safe bytes of their own (in UTF-8 a byte below 0x80 is
        // only ever its own character): with them counted, any text of more than one line took
        // the scalar-by-scalar look, 22 K instructions of `status`'s output after docker had
        // answered (issue 14, callgrind).
        // Over the bytes in place: walking `String.UTF8View` cost about 35 instructions a byte,
        // 22 K for the status table, written after docker ended (issue 14, callgrind).
        func suspect(_ byte: UInt8) -> Bool {
            (byte < 0x20 && !(keepingLineBreaks && (byte == 0x0A || byte == 0x09)))
                || byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2 || byte == 0xEF
        }
        guard text.utf8.withContiguousStorageIfAvailable({ $0.contains(where: suspect) }) ?? text.utf8.contains(where: suspect)
        else { return false }
        return text.unicodeScalars.contains { isUnsafe($0, keepingLineBreaks: keepingLineBreaks) }
    }

    public static func isUnsafe(_ scalar: Unicode.Scalar, keepingLineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return !keepingLineBreaks
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        case 0x061C, 0x200B, 0x200E, 0x200F, 0x2028, 0x2029, 0x2060...0x2064, 0xFEFF: return true
        default: return false
        }
    }

    /// One line of a program's output (a build, a service, a lifecycle command) as plain text
    /// for devenv's own progress lines and error details, which keep text only: escape
    /// sequences are removed (ESC `[` up to its final byte 0x40-0x7E: colours, cursor moves,
    /// erases; ESC and any other one byte), a carriage return keeps only what follows it (the
    /// last state of a progress bar redrawn in place), and the other C0 controls are dropped;
    /// tab is kept. `bytes` is UTF-8 (invalid sequences become U+FFFD). What is left is still
    /// untrusted: DEL, C1 controls and the bidi controls pass here and are shown escaped by
    /// `escaping` on the way out (the console applies it to every write).
    public static func plainLine(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x1B {
                index += 1
                if index < bytes.count && bytes[index] == UInt8(ascii: "[") {
                    index += 1
                    while index < bytes.count && !(0x40...0x7E).contains(bytes[index]) { index += 1 }
                }
                index += 1
                continue
            }
            if byte == 0x0D { out.removeAll() } else if byte >= 0x20 || byte == 0x09 { out.append(byte) }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        if scalar.value < 0x100 { return "\\x" + (hex.count < 2 ? "0" : "") + hex }
        return "\\u{\(hex)}"
    }
}
