/// The times docker prints, as seconds since the epoch (UTC), without Foundation's date
/// parsers (locale- and time-zone-dependent, and slow to set up).
public enum DockerTime {
    /// RFC 3339 as `docker inspect` prints it: "2026-11-27T12:46:57.123456789Z", or with an
    /// offset ("...57+01:00"). Nil when it is not one.
    public static func rfc3339(_ text: String) -> Double? {
        guard let t = text.firstIndex(of: "T") else { return nil }
        let date = text[..<t]
        var clock = Substring(text[text.index(after: t)...])
        var offset = 0
        if clock.hasSuffix("Z") {
            clock = clock.dropLast()
        } else if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            guard let minutes = offsetMinutes(clock[sign...].replacing(":", with: "")) else { return nil }
            offset = minutes * 60
            clock = clock[..<sign]
        }
        return civil(date: date, clock: clock).map { $0 - Double(offset) }
    }

    /// `docker image ls`'s CreatedAt: "2026-11-27 12:46:57 +0000 UTC" (the CLI's local time
    /// with its offset). Nil when it is not one.
    public static func listed(_ text: String) -> Double? {
        let words = text.split(separator: " ")
        guard words.count >= 3, let minutes = offsetMinutes(words[2]) else { return nil }
        return civil(date: words[0], clock: words[1]).map { $0 - Double(minutes * 60) }
    }

    /// "+0130" -> 90, "-0500" -> -300.
    static func offsetMinutes(_ text: some StringProtocol) -> Int? {
        guard let sign = text.first, sign == "+" || sign == "-", text.count == 5,
              let value = Int(text.dropFirst()) else { return nil }
        let minutes = value / 100 * 60 + value % 100
        return sign == "-" ? -minutes : minutes
    }

    /// "2026-11-27" and "12:46:57.25" in UTC -> seconds since the epoch.
    static func civil(date: some StringProtocol, clock: some StringProtocol) -> Double? {
        let d = date.split(separator: "-"), c = clock.split(separator: ":")
        guard d.count == 3, c.count == 3, let y = Int(d[0]), let m = Int(d[1]), let day = Int(d[2]),
              let hh = Int(c[0]), let mm = Int(c[1]), let ss = Double(c[2]), (1...12).contains(m) else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Double(days * 86400 + hh * 3600 + mm * 60) + ss
    }
}
