/// `$VAR` and `${VAR}` in a configuration value, taken from the environment devenv runs in (as
/// Compose does in its files); `$$` is one literal `$`. A variable that is not set is an error,
/// not an empty string: `mounts = ["${SSH_AUTH_SOCK}:/ssh-agent"]` without an agent would
/// otherwise mount a path inside the project (issue 10, item 10).
public enum VariableExpansion {
    public struct Failure: Error, Sendable, Hashable {
        public var reason: String
        /// Where the offending `$` is in the text, in characters from its start.
        public var offset: Int
        public init(reason: String, offset: Int) { self.reason = reason; self.offset = offset }
    }

    /// The text with every reference replaced. Names follow POSIX: a letter or `_`, then
    /// letters, digits and `_`. Fails on an unset variable, on `${` without its `}` or with a
    /// bad name, and on a `$` followed by anything else (write `$$` for a literal one).
    /// `undecodable`: the names whose values were not UTF-8 on the host (`environment` holds
    /// them with U+FFFD in place of their bytes, which would name another path): a reference
    /// to one fails (`HostVariable.notUTF8`), rather than expanding to the wrong text.
    public static func expand(_ text: String, environment: HostEnvironment,
                              undecodable: Set<String> = []) -> Result<String, Failure> {
        let characters = Array(text)
        var out = ""
        var index = 0
        func isNameStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
        func isName(_ c: Character) -> Bool { isNameStart(c) || (c.isASCII && c.isNumber) }
        while index < characters.count {
            let character = characters[index]
            guard character == "$" else { out.append(character); index += 1; continue }
            let start = index
            index += 1
            guard index < characters.count else {
                return .failure(Failure(reason: "a lone \"$\" at the end (write $$ for a literal $)", offset: start))
            }
            var name = ""
            if characters[index] == "$" {
                out.append("$")
                index += 1
                continue
            } else if characters[index] == "{" {
                index += 1
                while index < characters.count, characters[index] != "}" { name.append(characters[index]); index += 1 }
                guard index < characters.count else {
                    return .failure(Failure(reason: "\"${\" without its closing \"}\"", offset: start))
                }
                index += 1
                guard let first = name.first, isNameStart(first), name.allSatisfy(isName) else {
                    return .failure(Failure(reason: "\"${\(name)}\" is not an environment variable name (defaults such as ${VAR:-x} are not supported)",
                                            offset: start))
                }
            } else if isNameStart(characters[index]) {
                while index < characters.count, isName(characters[index]) { name.append(characters[index]); index += 1 }
            } else {
                return .failure(Failure(reason: "\"$\" must start $NAME or ${NAME} (write $$ for a literal $)", offset: start))
            }
            if undecodable.contains(name) {
                return .failure(Failure(reason: HostVariable.notUTF8(name), offset: start))
            }
            guard let value = environment[name] else {
                return .failure(Failure(reason: "the environment variable \(name) is not set", offset: start))
            }
            out += value
        }
        return .success(out)
    }
}
