/// Text aligned in a given width.
public enum Alignment: Hashable, Sendable { case left, center, right }
