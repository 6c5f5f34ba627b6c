/// How much of a row or column one part takes.
public enum Constraint: Hashable, Sendable {
    /// Exactly this many cells (less only when the space runs out).
    case fixed(Int)
    /// This percentage of the whole length.
    case percent(Int)
    /// A share of what is left after fixed and percentage parts, by weight.
    case fill(Int)
}
