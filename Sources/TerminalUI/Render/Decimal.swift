/// Appends `n` (0 or more) in decimal ASCII digits. Allocation-free: the renderer calls it for
/// every colour index and cursor position of a frame.
@inline(__always)
func appendDecimal(_ n: Int, to out: inout [UInt8]) {
    if n < 10 { out.append(UInt8(48 + n)); return }
    if n < 100 { out.append(UInt8(48 + n / 10)); out.append(UInt8(48 + n % 10)); return }
    if n < 1000 {
        out.append(UInt8(48 + n / 100)); out.append(UInt8(48 + n / 10 % 10)); out.append(UInt8(48 + n % 10))
        return
    }
    // Four digits and more (cursor positions on huge terminals): digits from the most significant.
    var divisor = 1000
    while n / divisor >= 10 { divisor *= 10 }
    while divisor > 0 { out.append(UInt8(48 + n / divisor % 10)); divisor /= 10 }
}
