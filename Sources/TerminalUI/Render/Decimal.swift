@inline(__always)
func appendDecimal(_ n: Int, to out: inout [UInt8]) {
    if n < 10 { out.append(UInt8(48 + n)); return }
    if n < 100 { out.append(UInt8(48 + n / 10)); out.append(UInt8(48 + n % 10)); return }
    var digits: [UInt8] = []
    var v = n
    while v > 0 { digits.append(UInt8(48 + v % 10)); v /= 10 }
    out.append(contentsOf: digits.reversed())
}
