import Foundation
import Jinja

/// The filters notices adds to Jinja2's (SPEC §2.7): `ical_datetime`, `ical_text`,
/// `markdown`, `markdown_escape` and `localtime`.
package enum NoticesFilters {
    package static func install(into env: inout Environment) {
        env.filters["ical_datetime"] = { v, _, _ in
            guard let t = try timestamp(v) else { return .string("") }
            return .string(icalDateTime(t))
        }
        env.filters["ical_text"] = { v, _, _ in
            if v.isNone { return .string("") }
            return .string(icalText(try v.str()))
        }
        env.filters["markdown"] = { v, _, ctx in
            if v.isNone || v.isUndefined {
                _ = try v.str() // strict undefined raises here
                return .markup("")
            }
            do {
                return .markup(try Markdown.html(try v.str()))
            } catch let e as MarkdownLimits.Exceeded {
                throw TemplateError(.limit, e.description)
            }
        }
        env.filters["markdown_escape"] = { v, _, _ in
            if v.isNone { return .string("") }
            return .string(MarkdownEscape.escape(try v.str()))
        }
        env.filters["localtime"] = { v, a, _ in
            let name = try a.bind("localtime", ["tz"])[0].map { try $0.str() } ?? "UTC"
            guard let zone = TimestampParser.zone(named: name) else {
                throw TemplateError(.value, "unknown time zone '\(name)'")
            }
            guard let t = try timestamp(v) else { return v }
            return .object(DateTimeValue(t).converted(to: zone, name: name))
        }
    }

    /// The instant of a datetime value, or of an ISO 8601 string; nil for none.
    static func timestamp(_ v: Value) throws -> Timestamp? {
        switch v {
        case .none: return nil
        case .undefined(let u):
            if u.strict { _ = try v.str() }
            return nil
        case .object(let d as DateTimeValue): return d.instant
        case .string(let s), .markup(let s):
            if s.isEmpty { return nil }
            switch TimestampParser.parse(s, defaultZone: TimeZone(identifier: "UTC")!) {
            case .success(let t): return t
            case .failure(let e): throw TemplateError(.value, e.description)
            }
        default:
            throw TemplateError(.type, "expected a datetime, got '\(v.pyTypeName)'")
        }
    }

    /// `YYYYMMDDTHHMMSSZ` in UTC.
    package static func icalDateTime(_ t: Timestamp) -> String {
        let f = DateTimeValue(t).fields
        // As bytes: every invite has three of these.
        var out: [UInt8] = []
        out.reserveCapacity(16)
        appendPadded(f.year, 4, to: &out)
        appendPadded(f.month, 2, to: &out)
        appendPadded(f.day, 2, to: &out)
        out.append(0x54)
        appendPadded(f.hour, 2, to: &out)
        appendPadded(f.minute, 2, to: &out)
        appendPadded(f.second, 2, to: &out)
        out.append(0x5A)
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 5545 TEXT escaping: `\` `;` `,` and newlines.
    package static func icalText(_ s: String) -> String {
        // Most values have nothing to escape.
        if !s.utf8.contains(where: { $0 == 0x5C || $0 == 0x3B || $0 == 0x2C || $0 == 0x0D || $0 == 0x0A }) { return s }
        var out = ""
        var chars = s.unicodeScalars.makeIterator()
        var pendingCR = false
        while let u = chars.next() {
            if pendingCR {
                pendingCR = false
                if u == "\n" { continue }
            }
            switch u {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"; pendingCR = true
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
