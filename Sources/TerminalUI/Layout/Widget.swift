/// Something that draws itself into an area of a screen (ratatui's `Widget::render`).
public protocol Widget {
    func render(in area: Rect, on screen: inout Screen)
}
