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

    /// RFC 3339 in UTC ("2026-12-06T08:48:56.818633800Z", Podman's event `Time`) as whole
    /// nanoseconds since the epoch, exactly (a Double keeps only about a microsecond, and a
    /// `--since` that is off replays the last event). Nil when it is not one, or not UTC.
    public static func rfc3339Nanoseconds(_ text: String) -> Int64? {
        guard text.hasSuffix("Z"), let t = text.firstIndex(of: "T") else { return nil }
        let clock = text[text.index(after: t)...].dropLast()
        let whole = clock.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let seconds = civil(date: text[..<t], clock: whole[0]) else { return nil }
        var nanos: Int64 = 0
        if whole.count == 2 {
            let digits = whole[1]
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCII), let value = Int64(digits) else { return nil }
            nanos = value * Int64(pow10(9 - digits.count))
        }
        return Int64(seconds) * 1_000_000_000 + nanos
    }

    /// Nanoseconds since the epoch as RFC 3339 in UTC with all nine fraction digits: the
    /// `--since` Podman reads exactly (it takes a Unix "seconds.nanoseconds" for another
    /// time and replays the journal; checked on Podman 4.3.1). Docker reads it too.
    public static func rfc3339(nanoseconds: Int64) -> String {
        let seconds = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
        let nanos = nanoseconds - seconds * 1_000_000_000
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let ofDay = seconds - days * 86400
        // Civil from days (Howard Hinnant's algorithm), the inverse of `civil`.
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(ofDay / 3600, 2)):\(pad(ofDay % 3600 / 60, 2)):\(pad(ofDay % 60, 2)).\(pad(nanos, 9))Z"
    }

    private static func pow10(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { value, _ in value * 10 } }

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
