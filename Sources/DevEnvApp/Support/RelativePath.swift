/// A path as messages show it: relative to the project folder when it is inside it.
enum RelativePath {
    /// `/p/.env.dev` under `/p` shows as `.env.dev`.
    static func display(_ path: String, under root: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
