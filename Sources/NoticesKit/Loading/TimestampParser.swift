import Foundation

/// ISO 8601 / RFC 3339 date-times. A value without an offset is read in the given
/// zone; a date alone is refused (a maintenance window needs a time).
package enum TimestampParser {
    /// Whether a date-time (already parsed) names its offset: `Z` or `±hh[:]mm` at the end.
    static func hasOffset(_ text: String) -> Bool {
        let s = Array(text.utf8)
        guard let last = s.last else { return false }
        if last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") { return true }
        // The time's own ':' and '.' come before; an offset's sign follows the seconds.
        guard let sign = s.lastIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) else { return false }
        return sign > 10
    }

    package static func parse(_ text: String, defaultZone: TimeZone) -> Result<Timestamp, InputProblem> {
        let s = Array(text.utf8)
        var i = 0
        func num(_ n: Int) -> Int? {
            guard i + n <= s.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard s[k] >= 48, s[k] <= 57 else { return nil }
                v = v * 10 + Int(s[k] - 48)
            }
            i += n
            return v
        }
        func eat(_ c: Character) -> Bool {
            if i < s.count, s[i] == c.asciiValue! { i += 1; return true }
            return false
        }
        let bad = InputProblem("'\(text)' is not an ISO 8601 date-time (expected e.g. 2026-01-22T14:30:00Z)")
        guard let year = num(4), eat("-"), let month = num(2), eat("-"), let day = num(2) else {
            return .failure(bad)
        }
        if i == s.count {
            return .failure(InputProblem("'\(text)' is a date without a time; write a date-time such as \(text)T00:00:00Z"))
        }
        guard eat("T") || eat("t") || eat(" ") else { return .failure(bad) }
        guard let hour = num(2), eat(":"), let minute = num(2) else { return .failure(bad) }
        var second = 0
        var micro = 0
        if eat(":") {
            guard let sec = num(2) else { return .failure(bad) }
            second = sec
            if eat(".") || eat(",") {
                var digits = 0
                var frac = 0
                while i < s.count, s[i] >= 48, s[i] <= 57 {
                    if digits < 6 { frac = frac * 10 + Int(s[i] - 48) }
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return .failure(bad) }
                if digits < 6 { for _ in digits..<6 { frac *= 10 } }
                micro = frac
            }
        }
        var offset: Int?
        if eat("Z") || eat("z") {
            offset = 0
        } else if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = num(2) else { return .failure(bad) }
            _ = eat(":")
            guard let om = num(2), oh < 24, om < 60 else { return .failure(bad) }
            offset = sign * (oh * 3600 + om * 60)
        }
        guard i == s.count else { return .failure(bad) }
        guard (1...12).contains(month), (1...daysIn(month, year)).contains(day),
              hour < 24, minute < 60, second < 60 else {
            return .failure(InputProblem("'\(text)' is not a valid date-time (a field is out of range)"))
        }
        let local = daysFromCivil(year, month, day) * 86400 + Int64(hour * 3600 + minute * 60 + second)
        if let offset {
            return .success(Timestamp(seconds: local - Int64(offset), microsecond: micro))
        }
        return .success(Timestamp(seconds: utcSeconds(local: local, zone: defaultZone), microsecond: micro))
    }

    /// The UTC instant of a wall-clock time in `zone`; for a time that a DST change
    /// skips or repeats, the earlier offset wins, as Python's fold=0 does.
    static func utcSeconds(local: Int64, zone: TimeZone) -> Int64 {
        let guess = Date(timeIntervalSince1970: TimeInterval(local))
        let off1 = Int64(zone.secondsFromGMT(for: guess.addingTimeInterval(-86400)))
        let off2 = Int64(zone.secondsFromGMT(for: guess.addingTimeInterval(86400)))
        for off in [off1, off2] {
            let t = local - off
            if Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))) == off { return t }
        }
        return local - off1
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    package static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((m + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The inverse of `daysFromCivil`.
    package static func civilFromDays(_ z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// Known IANA zone names (plus "UTC").
    package static func zone(named name: String) -> TimeZone? {
        if name == "UTC" { return TimeZone(identifier: "UTC") }
        guard knownZones.contains(name) else { return nil }
        return TimeZone(identifier: name)
    }

    private static let knownZones = Set(TimeZone.knownTimeZoneIdentifiers)
}

package struct InputProblem: Error, CustomStringConvertible, Sendable {
    package var description: String
    init(_ d: String) { description = d }
}

extension Timestamp {
    /// RFC 3339 UTC with a Z: `2026-01-22T10:30:00Z` (microseconds when present).
    public var rfc3339: String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secs = Int(seconds - days * 86400)
        let (y, m, d) = TimestampParser.civilFromDays(days)
        var s = "\(pad(Int(y), 4))-\(pad(Int(m), 2))-\(pad(Int(d), 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))"
        if microsecond != 0 { s += "." + pad(microsecond, 6) }
        return s + "Z"
    }
}
