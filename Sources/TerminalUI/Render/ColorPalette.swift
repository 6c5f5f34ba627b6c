/// The xterm palette, for lowering colours.
enum ColorPalette {
    static let basic: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func rgb(ofIndexed n: UInt8) -> (UInt8, UInt8, UInt8) {
        if n < 16 { let c = basic[Int(n)]; return (UInt8(c.0), UInt8(c.1), UInt8(c.2)) }
        if n >= 232 { let v = UInt8(8 + 10 * (Int(n) - 232)); return (v, v, v) }
        let i = Int(n) - 16
        let level = { (k: Int) -> UInt8 in k == 0 ? 0 : UInt8(55 + 40 * k) }
        return (level(i / 36), level((i / 6) % 6), level(i % 6))
    }

    static func nearestBasic(_ c: (UInt8, UInt8, UInt8)) -> UInt8 {
        var best = 0, bestDistance = Int.max
        for (i, p) in basic.enumerated() {
            let dr = Int(c.0) - p.0, dg = Int(c.1) - p.1, db = Int(c.2) - p.2
            let d = dr * dr + dg * dg + db * db
            if d < bestDistance { bestDistance = d; best = i }
        }
        return UInt8(best)
    }

    static func indexed(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let cube = { (v: UInt8) -> Int in v < 48 ? 0 : v < 115 ? 1 : (Int(v) - 35) / 40 }
        let ci = 16 + 36 * cube(r) + 6 * cube(g) + cube(b)
        let cc = rgb(ofIndexed: UInt8(ci))
        let avg = (Int(r) + Int(g) + Int(b)) / 3
        let gi = avg > 238 ? 23 : max(0, (avg - 3) / 10)
        let gv = 8 + 10 * gi
        let dist = { (x: (Int, Int, Int)) -> Int in
            let dr = Int(r) - x.0, dg = Int(g) - x.1, db = Int(b) - x.2
            return dr * dr + dg * dg + db * db
        }
        return dist((Int(cc.0), Int(cc.1), Int(cc.2))) <= dist((gv, gv, gv)) ? UInt8(ci) : UInt8(232 + gi)
    }
}
