import Foundation

/// RFC 5545 normalization and the BCOP maintnote checks (SPEC §2.8).
package enum ICal {
    /// Lines split at CRLF/LF/CR, leading whitespace removed, blank lines dropped,
    /// CRLF after every line, lines folded at 75 octets on UTF-8 boundaries.
    package static func normalize(_ text: String) -> String {
        // Works on UTF-8 bytes: an invite has dozens of lines and every message has one.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 16 + 64)
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
                var first = start
                while first < end, bytes[first] == 0x20 || bytes[first] == 0x09 { first += 1 }
                if first < end { fold(bytes[first..<end], into: &out) }
                if end >= bytes.count { break }
                // CRLF, CR or LF ends the line.
                start = end + (bytes[end] == 0x0D && end + 1 < bytes.count && bytes[end + 1] == 0x0A ? 2 : 1)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One content line folded: 75 octets, then CRLF + space + at most 74 octets, never
    /// inside a UTF-8 sequence.
    static func fold(_ line: Slice<UnsafeBufferPointer<UInt8>>, into out: inout [UInt8]) {
        // Most lines need no fold: copied whole.
        if line.count <= 75 {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: line))
            out.append(contentsOf: [0x0D, 0x0A])
            return
        }
        var count = 0
        var limit = 75
        var i = line.startIndex
        while i < line.endIndex {
            let b = line[i]
            let n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            if count + n > limit {
                out.append(contentsOf: [0x0D, 0x0A, 0x20])
                count = 0
                limit = 74
            }
            let end = min(i + n, line.endIndex)
            out.append(contentsOf: line[i..<end])
            count += n
            i = end
        }
        out.append(contentsOf: [0x0D, 0x0A])
    }

    struct Property {
        var name: String
        var params: String
        var value: String

        /// The value of parameter `name` (case-insensitive), quotes removed.
        func parameter(_ name: String) -> String? {
            var parts: [String] = []
            var current = ""
            var inQuotes = false
            for c in params {
                if c == "\"" { inQuotes.toggle() }
                if c == ";" && !inQuotes { parts.append(current); current = "" } else { current.append(c) }
            }
            parts.append(current)
            for part in parts {
                let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2, kv[0].uppercased() == name.uppercased() {
                    return kv[1].count >= 2 && kv[1].hasPrefix("\"") && kv[1].hasSuffix("\"") ? String(kv[1].dropFirst().dropLast()) : kv[1]
                }
            }
            return nil
        }
    }

    /// A TEXT value as written before escaping (RFC 5545 3.3.11): `\n`/`\N` newline,
    /// `\,` `\;` `\\` the character; the inverse of the `ical_text` filter.
    static func unescapeText(_ s: String) -> String { backslashUnescape(s, ["n": "\n", "N": "\n"]) }

    /// A normalized calendar parsed once for every check (syntax, RFC 5545 and BCOP,
    /// iTIP): its unfolded content lines and their properties.
    struct Parsed {
        let lines: [String]
        let properties: [Property]

        init(_ normalized: String) {
            lines = ICal.unfoldedLines(normalized)
            properties = lines.map(ICal.property)
        }
    }

    /// Content lines of a normalized calendar, a line that starts with a space or tab
    /// joined to the one before.
    static func unfoldedLines(_ normalized: String) -> [String] {
        var text = normalized
        return text.withUTF8 { b in
            var lines: [String] = []
            var current: [UInt8] = []
            var started = false
            var start = 0
            while start < b.count {
                var end = start
                while end < b.count, b[end] != 0x0A { end += 1 }
                var last = end
                if last > start, b[last - 1] == 0x0D { last -= 1 }
                if last > start {
                    if started, b[start] == 0x20 || b[start] == 0x09 {
                        current.append(contentsOf: UnsafeBufferPointer(rebasing: b[(start + 1)..<last]))
                    } else {
                        if started { lines.append(String(decoding: current, as: UTF8.self)) }
                        current.removeAll(keepingCapacity: true)
                        current.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<last]))
                        started = true
                    }
                }
                start = end + 1
            }
            if started { lines.append(String(decoding: current, as: UTF8.self)) }
            return lines
        }
    }


    /// Unfolded content lines of a normalized calendar.
    static func properties(_ normalized: String) -> [Property] { Parsed(normalized).properties }

    /// NAME *(;PARAM) : VALUE — the colon that ends the name part is the first one
    /// outside double quotes.
    static func property(_ line: String) -> Property {
        var line = line
        if let p = line.withUTF8(asciiProperty) { return p }
        // By character: a combining mark after a colon makes it another character.
        var inQuotes = false
        var split: String.Index?
        for i in line.indices {
            let c = line[i]
            if c == "\"" { inQuotes.toggle() }
            if c == ":" && !inQuotes { split = i; break }
        }
        let head = split.map { String(line[..<$0]) } ?? line
        let value = split.map { String(line[line.index(after: $0)...]) } ?? ""
        let name = head.split(separator: ";", maxSplits: 1).first.map(String.init) ?? head
        let params = head.count > name.count ? String(head.dropFirst(name.count + 1)) : ""
        return Property(name: name.uppercased(), params: params, value: value)
    }

    /// `property` of an ASCII line (nearly every line), on its bytes, where a byte is
    /// a character; nil when the line is not ASCII.
    static func asciiProperty(_ b: UnsafeBufferPointer<UInt8>) -> Property? {
        var split = -1
        var inQuotes = false
        for i in 0..<b.count {
            let c = b[i]
            if c >= 0x80 { return nil }
            if split < 0 {
                if c == 0x22 { inQuotes.toggle() }
                if c == 0x3A && !inQuotes { split = i }
            }
        }
        func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }
        let headEnd = split < 0 ? b.count : split
        // The name is the first piece of the head between semicolons that is not empty
        // (as split(separator:) gives it), else the whole head.
        var start = 0
        while start < headEnd, b[start] == 0x3B { start += 1 }
        var end = start
        while end < headEnd, b[end] != 0x3B { end += 1 }
        let name = start < headEnd ? start..<end : 0..<headEnd
        var upper = [UInt8](UnsafeBufferPointer(rebasing: b[name]))
        for i in upper.indices where upper[i] >= 0x61 && upper[i] <= 0x7A { upper[i] -= 0x20 }
        return Property(name: String(decoding: upper, as: UTF8.self),
                        params: headEnd > name.count ? text((name.count + 1)..<headEnd) : "",
                        value: split < 0 ? "" : text((split + 1)..<b.count))
    }

    static let impacts = ["NO-IMPACT", "REDUCED-REDUNDANCY", "DEGRADED", "OUTAGE"]
    static let statuses = ["TENTATIVE", "CONFIRMED", "CANCELLED", "IN-PROCESS", "COMPLETED", "RE-SCHEDULED"]

    /// The problems of a normalized calendar against RFC 5545 and BCOP; empty when valid.
    package static func validate(_ normalized: String) -> [String] { validate(Parsed(normalized)) }

    static func validate(_ parsed: Parsed) -> [String] {
        var problems = ICalSyntax.problems(parsed.lines)
        let props = parsed.properties
        var stack: [String] = []
        var calendars = 0
        var events: [[Property]] = []
        var calendarProps: [Property] = []
        for p in props {
            switch p.name {
            case "BEGIN":
                let v = p.value.uppercased()
                if v == "VCALENDAR" {
                    if !stack.isEmpty { problems.append("BEGIN:VCALENDAR nested inside \(stack.last!)") }
                    calendars += 1
                }
                if v == "VEVENT" {
                    if stack.last != "VCALENDAR" { problems.append("BEGIN:VEVENT outside a VCALENDAR") }
                    events.append([])
                }
                stack.append(v)
            case "END":
                let v = p.value.uppercased()
                if stack.last != v {
                    problems.append("END:\(p.value) does not close \(stack.last.map { "BEGIN:\($0)" } ?? "anything")")
                    if let i = stack.lastIndex(of: v) { stack.removeSubrange(i...) }
                } else {
                    stack.removeLast()
                }
            default:
                if stack.last == "VEVENT" { events[events.count - 1].append(p) }
                else if stack.last == "VCALENDAR" { calendarProps.append(p) }
                else if stack.isEmpty { problems.append("property \(p.name) outside BEGIN:VCALENDAR/END:VCALENDAR") }
            }
        }
        if !stack.isEmpty { problems.append("BEGIN:\(stack.last!) is never closed") }
        if calendars != 1 { problems.append("expected one VCALENDAR, found \(calendars)") }
        for required in ["VERSION", "PRODID"] {
            let n = calendarProps.filter { $0.name == required }.count
            if n != 1 { problems.append("VCALENDAR needs exactly one \(required), found \(n)") }
        }
        guard let event = events.first else {
            problems.append("no VEVENT")
            return problems
        }
        if events.count > 1 { problems.append("expected one VEVENT, found \(events.count)") }
        func all(_ name: String) -> [Property] { event.filter { $0.name == name } }
        for name in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "ORGANIZER", "SEQUENCE",
                     "X-MAINTNOTE-PROVIDER", "X-MAINTNOTE-ACCOUNT", "X-MAINTNOTE-IMPACT"] {
            let n = all(name).count
            if n != 1 { problems.append(n == 0 ? "missing \(name)" : "\(name) appears \(n) times (exactly one allowed)") }
        }
        var times: [String: String] = [:]
        for name in ["DTSTAMP", "DTSTART", "DTEND"] {
            guard let p = all(name).first else { continue }
            if !isUTCDateTime(p.value) {
                problems.append("\(name) must be a UTC date-time (YYYYMMDDTHHMMSSZ), not '\(p.value)'")
            } else {
                times[name] = p.value
            }
        }
        if let s = times["DTSTART"], let e = times["DTEND"], e <= s {
            problems.append("DTEND (\(e)) must be after DTSTART (\(s))")
        }
        if let seq = all("SEQUENCE").first, Int(seq.value.trimmingCharacters(in: .whitespaces)) == nil {
            problems.append("SEQUENCE must be an integer, not '\(seq.value)'")
        }
        if all("X-MAINTNOTE-MAINTENANCE-ID").isEmpty { problems.append("missing X-MAINTNOTE-MAINTENANCE-ID") }
        if let impact = all("X-MAINTNOTE-IMPACT").first, !impacts.contains(impact.value) {
            problems.append("X-MAINTNOTE-IMPACT must be one of \(impacts.joined(separator: ", ")), not '\(impact.value)'")
        }
        let status = all("X-MAINTNOTE-STATUS")
        if status.count > 1 { problems.append("X-MAINTNOTE-STATUS appears \(status.count) times (at most one allowed)") }
        if let s = status.first, !statuses.contains(s.value) {
            problems.append("X-MAINTNOTE-STATUS must be one of \(statuses.joined(separator: ", ")), not '\(s.value)'")
        }
        let closed = status.first.map { $0.value == "CANCELLED" || $0.value == "COMPLETED" } ?? false
        if all("X-MAINTNOTE-OBJECT-ID").isEmpty && !closed {
            problems.append("missing X-MAINTNOTE-OBJECT-ID (required unless the status is CANCELLED or COMPLETED)")
        }
        for p in event where p.name.hasPrefix("X-MAINTNOTE-") && p.value.isBlank() {
            problems.append("\(p.name) is empty")
        }
        return problems
    }

    static func isUTCDateTime(_ v: String) -> Bool {
        let u = Array(v.utf8)
        guard u.count == 16, u[8] == UInt8(ascii: "T"), u[15] == UInt8(ascii: "Z") else { return false }
        return (Array(u[0..<8]) + Array(u[9..<15])).allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// RFC 5546 (iTIP): a REQUEST or CANCEL goes to attendees from an organizer;
    /// without them calendar clients may ignore it or show it as the recipient's own
    /// event. A warning, not an error: the netbox-notices documentation template sends
    /// METHOD:REQUEST without attendees and must render unchanged (SPEC §2.8).
    static func itipProblem(_ parsed: Parsed) -> String? {
        let props = parsed.properties
        guard let method = props.first(where: { $0.name == "METHOD" })?.value.uppercased(),
              method == "REQUEST" || method == "CANCEL" else { return nil }
        let missing = ["ORGANIZER", "ATTENDEE"].filter { name in !props.contains { $0.name == name } }
        guard !missing.isEmpty else { return nil }
        return "iCal METHOD:\(method) without \(missing.joined(separator: " or ")): RFC 5546 needs an ORGANIZER and at least one ATTENDEE, or calendar clients may not update the recipients' calendars"
    }

    /// The METHOD of a calendar, if any (for the MIME part's `method=`).
    static func method(_ normalized: String) -> String? {
        properties(normalized).first { $0.name == "METHOD" }?.value
    }
}
