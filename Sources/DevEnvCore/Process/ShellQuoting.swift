/// POSIX shell quoting of one word, for the command lines devenv prints (`--dry-run`,
/// `--verbose`, error details: `ProcessInvocation.shellQuoted`), never for running them.
public enum ShellQuoting {
    private static let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,".unicodeScalars)

    /// Quotes one word for a POSIX shell: bare when every character is safe, else in single
    /// quotes. A word holding a character a terminal would obey (`TerminalSafeText`: an escape,
    /// a C1 control, a bidi override) is written `$'...'` with those bytes as `\xHH`, so the
    /// printed line (`--dry-run`, `--verbose`, error details) is safe on a terminal and still
    /// the exact command when pasted into bash, zsh or ksh.
    public static func quote(_ word: String) -> String {
        if !word.isEmpty && word.unicodeScalars.allSatisfy({ safe.contains($0) }) { return word }
        if TerminalSafeText.needsEscaping(word) { return ansiC(word) }
        var quoted = "'"
        for ch in word { quoted += ch == "'" ? "'\\''" : String(ch) }
        return quoted + "'"
    }

    /// `$'...'` (ANSI-C quoting): backslash and quote escaped, unsafe characters as the
    /// `\xHH` of each of their UTF-8 bytes.
    static func ansiC(_ word: String) -> String {
        var quoted = "$'"
        for scalar in word.unicodeScalars {
            if scalar == "\\" {
                quoted += "\\\\"
            } else if scalar == "'" {
                quoted += "\\'"
            } else if TerminalSafeText.isUnsafe(scalar, keepingLineBreaks: true) {
                for byte in String(scalar).utf8 {
                    quoted += "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
                }
            } else {
                quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "'"
    }
}
