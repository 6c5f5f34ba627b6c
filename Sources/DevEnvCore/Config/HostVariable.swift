/// What devenv says of a host environment variable a configuration file refers to.
public enum HostVariable {
    /// Why a reference to `name` is refused when its value on the host is not UTF-8 text:
    /// devenv reads its environment as UTF-8 (`SystemEnvironment.variables`), and such a value
    /// arrives with U+FFFD in place of the bytes that are not, so the text it would give a
    /// mount, a variable or a command is not the variable's value. Refused, with where it is
    /// used (the caller's `file:line:col`, exit 2), rather than substituted changed.
    public static func notUTF8(_ name: String) -> String {
        "the host environment variable \(name) is not valid UTF-8, so devenv cannot use its value as text "
            + "(it would pass U+FFFD in place of its bytes); set \(name) to UTF-8 text or stop referring to it here"
    }
}
