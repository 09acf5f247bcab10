import Foundation
import Jinja

/// A timezone-aware datetime as templates see it: it prints, compares and formats
/// like Python's `datetime` (`str()` → `2026-01-22 14:30:00+00:00`).
package final class DateTimeValue: JinjaObject {
    package let instant: Timestamp
    /// The zone it is shown in; nil means UTC.
    package let zone: TimeZone?
    package let zoneName: String

    package init(_ instant: Timestamp, zone: TimeZone? = nil, zoneName: String = "UTC") {
        self.instant = instant
        self.zone = zone
        self.zoneName = zoneName
    }

    /// Offset from UTC in seconds at this instant.
    package var offset: Int {
        zone.map { $0.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.seconds))) } ?? 0
    }

    struct Fields {
        var year, month, day, hour, minute, second, microsecond, weekday, yday: Int
    }

    var fields: Fields {
        let local = instant.seconds + Int64(offset)
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let secs = Int(local - days * 86400)
        let (y, m, d) = TimestampParser.civilFromDays(days)
        // 1970-01-01 was a Thursday; Python's weekday(): Monday = 0.
        let weekday = Int(((days % 7) + 7 + 3) % 7)
        let yday = Int(days - TimestampParser.daysFromCivil(y, 1, 1)) + 1
        return Fields(year: y, month: m, day: d, hour: secs / 3600, minute: secs / 60 % 60, second: secs % 60,
                      microsecond: instant.microsecond, weekday: weekday, yday: yday)
    }

    package var typeName: String { "datetime.datetime object" }

    var offsetText: String {
        let o = offset
        let sign = o < 0 ? "-" : "+"
        return sign + pad(abs(o) / 3600, 2) + ":" + pad(abs(o) / 60 % 60, 2)
    }

    /// `isoformat(sep)`.
    package func isoformat(_ sep: String = "T") -> String {
        let f = fields
        var s = pad(f.year, 4) + "-" + pad(f.month, 2) + "-" + pad(f.day, 2) + sep + pad(f.hour, 2) + ":" + pad(f.minute, 2) + ":" + pad(f.second, 2)
        if f.microsecond != 0 { s += "." + pad(f.microsecond, 6) }
        return s + offsetText
    }

    package var stringValue: String { isoformat(" ") }

    package var reprValue: String {
        let f = fields
        var parts = [f.year, f.month, f.day, f.hour, f.minute].map(String.init)
        if f.second != 0 || f.microsecond != 0 { parts.append(String(f.second)) }
        if f.microsecond != 0 { parts.append(String(f.microsecond)) }
        return "datetime.datetime(\(parts.joined(separator: ", ")), tzinfo=\(zone == nil ? "datetime.timezone.utc" : "zoneinfo.ZoneInfo(key='\(zoneName)')"))"
    }

    package func attribute(_ name: String) -> Value? {
        let f = fields
        switch name {
        case "year": return .int(f.year)
        case "month": return .int(f.month)
        case "day": return .int(f.day)
        case "hour": return .int(f.hour)
        case "minute": return .int(f.minute)
        case "second": return .int(f.second)
        case "microsecond": return .int(f.microsecond)
        case "tzname": return .function(Function(name: "tzname") { [self] _, _ in .string(self.abbreviation) })
        case "isoformat":
            return .function(Function(name: "isoformat") { [self] a, _ in
                let sep = try a.bind("isoformat", ["sep", "timespec"])[0].map { try $0.str() } ?? "T"
                return .string(self.isoformat(sep))
            })
        case "strftime":
            return .function(Function(name: "strftime") { [self] a, _ in
                guard let fmt = try a.bind("strftime", ["format"])[0] else {
                    throw TemplateError(.type, "strftime() missing required argument 'format' (pos 1)")
                }
                return .string(self.strftime(try fmt.str()))
            })
        case "weekday": return .function(Function(name: "weekday") { _, _ in .int(f.weekday) })
        case "isoweekday": return .function(Function(name: "isoweekday") { _, _ in .int(f.weekday + 1) })
        case "timestamp":
            return .function(Function(name: "timestamp") { [self] _, _ in
                .double(Double(self.instant.seconds) + Double(self.instant.microsecond) / 1e6)
            })
        case "date":
            return .function(Function(name: "date") { _, _ in .string(String(format: "%04d-%02d-%02d", f.year, f.month, f.day)) })
        default: return nil
        }
    }

    /// `%Z` / `tzname()`: the zone's abbreviation (CEST), as Python's zoneinfo gives it.
    var abbreviation: String {
        guard let zone else { return "UTC" }
        let date = Date(timeIntervalSince1970: TimeInterval(instant.seconds))
        if let a = ZoneAbbreviations.abbreviation(zone: zoneName, offset: offset, isDST: zone.isDaylightSavingTime(for: date)) {
            return a
        }
        return offsetText.replacingOccurrences(of: ":00", with: "").replacingOccurrences(of: ":", with: "")
    }

    package func compare(_ other: Value) -> Int? {
        guard case .object(let o as DateTimeValue) = other else { return nil }
        return instant < o.instant ? -1 : (instant == o.instant ? 0 : 1)
    }

    package func equals(_ other: Value) -> Bool {
        guard case .object(let o as DateTimeValue) = other else { return false }
        return instant == o.instant
    }

    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    /// C `strftime` in the C locale, as Python on Linux calls it.
    package func strftime(_ format: String) -> String {
        let f = fields
        var out = ""
        var chars = Substring(format)
        while let c = chars.first {
            chars = chars.dropFirst()
            guard c == "%", let d0 = chars.first else { out.append(c); continue }
            chars = chars.dropFirst()
            var noPad = false
            var d = d0
            if d == "-", let next = chars.first { noPad = true; d = next; chars = chars.dropFirst() }
            func n(_ v: Int, _ w: Int) -> String { noPad ? String(v) : pad(v, w) }
            switch d {
            case "Y": out += String(f.year)
            case "y": out += n(f.year % 100, 2)
            case "m": out += n(f.month, 2)
            case "d": out += n(f.day, 2)
            case "e": out += noPad ? String(f.day) : String(format: "%2d", f.day)
            case "H": out += n(f.hour, 2)
            case "I": out += n(f.hour % 12 == 0 ? 12 : f.hour % 12, 2)
            case "M": out += n(f.minute, 2)
            case "S": out += n(f.second, 2)
            case "f": out += String(format: "%06d", f.microsecond)
            case "p": out += f.hour < 12 ? "AM" : "PM"
            case "a": out += String(Self.dayNames[f.weekday].prefix(3))
            case "A": out += Self.dayNames[f.weekday]
            case "b", "h": out += String(Self.monthNames[f.month - 1].prefix(3))
            case "B": out += Self.monthNames[f.month - 1]
            case "j": out += n(f.yday, 3)
            case "w": out += String((f.weekday + 1) % 7)
            case "u": out += String(f.weekday + 1)
            case "z": out += offsetText.replacingOccurrences(of: ":", with: "")
            case "Z": out += abbreviation
            case "F": out += String(format: "%04d-%02d-%02d", f.year, f.month, f.day)
            case "T": out += String(format: "%02d:%02d:%02d", f.hour, f.minute, f.second)
            case "R": out += String(format: "%02d:%02d", f.hour, f.minute)
            case "D": out += String(format: "%02d/%02d/%02d", f.month, f.day, f.year % 100)
            case "c": out += String(Self.dayNames[f.weekday].prefix(3)) + " " + String(Self.monthNames[f.month - 1].prefix(3)) + " " + String(format: "%2d %02d:%02d:%02d %d", f.day, f.hour, f.minute, f.second, f.year)
            case "x": out += String(format: "%02d/%02d/%02d", f.month, f.day, f.year % 100)
            case "X": out += String(format: "%02d:%02d:%02d", f.hour, f.minute, f.second)
            case "%": out += "%"
            default: out += "%" + String(d)
            }
        }
        return out
    }

    /// The same instant shown in another zone (the `localtime` filter).
    package func converted(to zone: TimeZone, name: String) -> DateTimeValue {
        DateTimeValue(instant, zone: name == "UTC" ? nil : zone, zoneName: name)
    }
}
