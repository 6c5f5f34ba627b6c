/// `joined` for arrays of strings, in concrete code: every `[String].joined(separator:)` and
/// `joined()` in devenv resolves to these (a method of the concrete type wins over the
/// standard library's protocol extensions), with the same result.
///
/// Why (issue 14, measured with callgrind on the static release build): the standard library's
/// `BidirectionalCollection.joined(separator:)` is not specialised into devenv, and its first
/// call in a process asks the runtime for `Array<String>`'s associated types by name, which
/// scans every protocol conformance in the binary: about 0.18 million instructions. `status`
/// and an unchanged `up` first joined strings after docker had answered (the mount arguments
/// of the container fingerprint), so that scan was on the path between docker's exit and
/// devenv's.
extension Array where Element == String {
    /// The elements with `separator` between each two; "" for no elements.
    public func joined(separator: String = "") -> String {
        guard let first else { return "" }
        var length = first.utf8.count
        for index in 1..<count { length += separator.utf8.count + self[index].utf8.count }
        var result = ""
        result.reserveCapacity(length)
        result += first
        for index in 1..<count {
            result += separator
            result += self[index]
        }
        return result
    }
}
