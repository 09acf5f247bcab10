import Foundation
import Testing
@testable import NoticesKit

@Suite struct ICalTests {
    static let valid = """
    BEGIN:VCALENDAR
    VERSION:2.0
    PRODID:-//x//y//EN
    BEGIN:VEVENT
      UID:1@x
      DTSTAMP:20260101T000000Z
      DTSTART:20260102T000000Z
      DTEND:20260102T040000Z
      SUMMARY:Work\\, planned
      ORGANIZER:mailto:noc@x
      SEQUENCE:0
      X-MAINTNOTE-PROVIDER:zayo
      X-MAINTNOTE-ACCOUNT:acme
      X-MAINTNOTE-MAINTENANCE-ID:M1
      X-MAINTNOTE-OBJECT-ID:C1
      X-MAINTNOTE-IMPACT:OUTAGE
      X-MAINTNOTE-STATUS:CONFIRMED
    END:VEVENT
    END:VCALENDAR

    """

    @Test func normalizesBlankLinesIndentLongLinesAndEndings() {
        let text = "BEGIN:VCALENDAR\n\n   X-LONG:" + String(repeating: "é", count: 60) + "\r\n\nEND:VCALENDAR"
        let n = ICal.normalize(text)
        let lines = n.components(separatedBy: "\r\n")
        #expect(n.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!lines.dropLast().contains(""))
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines[1].utf8.count == 75 - 1 || lines[1].utf8.count == 75) // é is 2 octets: never split
        #expect(lines[2].hasPrefix(" "))
        #expect(ICal.properties(n).map(\.value)[1] == String(repeating: "é", count: 60))
    }

    @Test func validCalendarPasses() {
        #expect(ICal.validate(ICal.normalize(Self.valid)) == [])
    }

    static let required = ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "ORGANIZER", "SEQUENCE", "X-MAINTNOTE-PROVIDER",
                           "X-MAINTNOTE-ACCOUNT", "X-MAINTNOTE-IMPACT", "X-MAINTNOTE-MAINTENANCE-ID", "X-MAINTNOTE-OBJECT-ID",
                           "VERSION", "PRODID"]

    @Test(arguments: required)
    func missingPropertyIsNamed(_ property: String) {
        let text = Self.valid.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix(property + ":") }.joined(separator: "\n")
        let problems = ICal.validate(ICal.normalize(text))
        #expect(problems.contains { $0.contains(property) }, Comment(rawValue: problems.joined(separator: "; ")))
    }

    @Test func badValuesAreNamed() {
        func check(_ from: String, _ to: String) -> [String] { ICal.validate(ICal.normalize(Self.valid.replacingOccurrences(of: from, with: to))) }
        #expect(check("DTEND:20260102T040000Z", "DTEND:20260101T040000Z") == ["DTEND (20260101T040000Z) must be after DTSTART (20260102T000000Z)"])
        #expect(check("DTSTART:20260102T000000Z", "DTSTART:20260102") == ["DTSTART must be a UTC date-time (YYYYMMDDTHHMMSSZ), not '20260102'"])
        #expect(check("X-MAINTNOTE-IMPACT:OUTAGE", "X-MAINTNOTE-IMPACT:BAD") == ["X-MAINTNOTE-IMPACT must be one of NO-IMPACT, REDUCED-REDUNDANCY, DEGRADED, OUTAGE, not 'BAD'"])
        #expect(check("SEQUENCE:0", "SEQUENCE:one") == ["SEQUENCE must be an integer, not 'one'"])
        #expect(check("X-MAINTNOTE-ACCOUNT:acme", "X-MAINTNOTE-ACCOUNT:  ") == ["X-MAINTNOTE-ACCOUNT is empty"])
        #expect(check("END:VEVENT\n", "") == ["BEGIN:VEVENT is never closed"] || !check("END:VEVENT\n", "").isEmpty)
        // Cancelled and completed maintenances need no object IDs.
        let cancelled = Self.valid.replacingOccurrences(of: "X-MAINTNOTE-STATUS:CONFIRMED", with: "X-MAINTNOTE-STATUS:CANCELLED")
            .replacingOccurrences(of: "  X-MAINTNOTE-OBJECT-ID:C1\n", with: "")
        #expect(ICal.validate(ICal.normalize(cancelled)) == [])
    }

    @Test func icalTextEscaping() {
        #expect(NoticesFilters.icalText("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf")
    }
}

@Suite struct HeaderAndMailTests {
    func render(_ header: String, data: String = "Work", contact: String = "Ann") throws -> [String] {
        let tree = try TreeFixture(TreeFixture.base.merging([
            "c.yaml": "contacts: [{id: ann, name: \"\(contact)\", email: ann@x.example, assignments: [{tenant: acme}]}]\n",
            "m.yaml": """
            maintenances:
              - {id: m1, summary: "\(data)", provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z,
                 impacts: [{circuit: C1}]}
            templates:
              - slug: t
                event_type: maintenance
                subject_template: "{{ maintenance.summary }}"
                body_template: body
                headers_template: {\(header)}
            """,
        ]) { $1 })
        defer { tree.remove() }
        do {
            _ = try RenderPipeline.run(root: tree.root, options: RenderOptions())
            return []
        } catch let e as DiagnosticsError {
            #expect(!FileManager.default.fileExists(atPath: tree.root.appendingPathComponent("out/manifest.json").path))
            return e.diagnostics.map(\.message)
        }
    }

    @Test func lineBreaksInHeaderValuesAreRefused() throws {
        #expect(try render("X-A: \"{{ 'a\\\\nBcc: evil@x' }}\"") == ["message maintenance-m1--acme: header 'X-A' of template 't' contains a line break (CR or LF), which could inject headers"])
        #expect(try render("X-A: \"{{ maintenance.summary }}\"", data: "a\\r\\nBcc: evil@x") == ["message maintenance-m1--acme: header 'X-A' of template 't' contains a line break (CR or LF), which could inject headers"])
    }

    @Test func lineBreaksInContactNamesAreRefused() throws {
        #expect(try render("X-A: ok", contact: "Ann\\r\\nBcc: evil@x") == ["field 'name' of contact contains a line break (U+000D); it must be one line of text"])
    }

    @Test func invalidHeaderNamesAreRefused() throws {
        #expect(try render("\"X A\": v") == ["template 't' may not set header 'X A': it is not a valid RFC 5322 field name (printable ASCII without spaces or ':')"])
    }

    @Test func subjectsAreCollapsedSoDataCannotInject() throws {
        #expect(try render("X-A: ok", data: "a\\r\\nBcc: evil@x") == [])
    }

    @Test func encodedWordsAndQuotedPrintable() {
        #expect(Mail.encodeHeaderText("Zürich — Wartung") == "=?utf-8?b?WsO8cmljaCDigJQgV2FydHVuZw==?=")
        #expect(MailAddress.encode(Mailbox(name: "Ærø Fiber", address: "noc@x")) == "=?utf-8?b?w4Zyw7ggRmliZXI=?= <noc@x>")
        #expect(Mail.quotedPrintable("a=b é\r\nx ") == "a=3Db =C3=A9\r\nx=20")
    }
}

@Suite struct DateTimeTests {
    /// Expected values printed by Python's zoneinfo (`astimezone(ZoneInfo(z)).strftime('%Z %z')`).
    @Test(arguments: [
        ("Europe/Paris", 1, "CET +0100"), ("Europe/Paris", 7, "CEST +0200"), ("America/New_York", 1, "EST -0500"),
        ("America/New_York", 7, "EDT -0400"), ("Asia/Dubai", 1, "+04 +0400"), ("Australia/Lord_Howe", 7, "+1030 +1030"),
        ("Asia/Kolkata", 7, "IST +0530"),
    ])
    func zoneAbbreviationsMatchPython(_ zone: String, _ month: Int, _ expected: String) throws {
        let t = try TimestampParser.parse(String(format: "2026-%02d-01T12:00:00Z", month), defaultZone: TimeZone(identifier: "UTC")!).get()
        let local = DateTimeValue(t).converted(to: TimeZone(identifier: zone)!, name: zone)
        #expect(local.strftime("%Z %z") == expected)
    }

    @Test func pythonDatetimeForms() throws {
        let t = try TimestampParser.parse("2026-01-22T14:30:05.25Z", defaultZone: TimeZone(identifier: "UTC")!).get()
        let d = DateTimeValue(t)
        #expect(d.stringValue == "2026-01-22 14:30:05.250000+00:00")
        #expect(d.isoformat() == "2026-01-22T14:30:05.250000+00:00")
        #expect(d.strftime("%a %d %b %Y %H:%M:%S %j %p %I %y %-d %%") == "Thu 22 Jan 2026 14:30:05 022 PM 02 26 22 %")
        #expect(NoticesFilters.icalDateTime(t) == "20260122T143005Z")
    }
}

@Suite struct ICalRenderTests {
    /// A render whose iCal template lacks a BCOP property fails, naming message,
    /// template and property, and writes nothing.
    @Test func missingPropertyFailsTheRender() throws {
        let ical = ICalTests.valid.replacingOccurrences(of: "  ORGANIZER:mailto:noc@x\n", with: "")
            .replacingOccurrences(of: "SUMMARY:Work\\, planned", with: "SUMMARY:Work, planned, unescaped")
        let indented = ical.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
        let tree = try TreeFixture(TreeFixture.base.merging([
            "m.yaml": """
            maintenances:
              - {id: m1, summary: s, provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z,
                 impacts: [{circuit: C1}]}
            templates:
              - slug: cal
                event_type: maintenance
                subject_template: s
                body_template: b
                include_ical: true
                ical_template: |
            \(indented)
            """,
        ]) { $1 })
        defer { tree.remove() }
        let r = Result { try RenderPipeline.run(root: tree.root, options: RenderOptions()) }
        guard case .failure(let e as DiagnosticsError) = r else { Issue.record("render succeeded"); return }
        #expect(e.diagnostics.map(\.message) == ["message maintenance-m1--acme, template 'cal': invalid iCal: missing ORGANIZER"])
        #expect(!FileManager.default.fileExists(atPath: tree.root.appendingPathComponent("out/manifest.json").path))
    }
}

/// Reading invites back (the preview's summary): parameters and TEXT unescaping.
@Suite struct ICalReadingTests {
    @Test func parametersRespectQuotes() {
        let p = ICal.properties("ORGANIZER;CN=\"NOC; Ops: 24/7\";ROLE=CHAIR:mailto:noc@example.net\r\n")
        #expect(p.count == 1)
        #expect(p[0].name == "ORGANIZER")
        #expect(p[0].value == "mailto:noc@example.net")
        #expect(p[0].parameter("cn") == "NOC; Ops: 24/7")
        #expect(p[0].parameter("ROLE") == "CHAIR")
        #expect(p[0].parameter("X-NONE") == nil)
    }

    @Test func textUnescapingIsTheInverseOfIcalText() {
        #expect(ICal.unescapeText(#"a\, b\; c\\n d\nnext\Nlast"#) == "a, b; c\\n d\nnext\nlast")
        #expect(ICal.unescapeText("plain") == "plain")
    }

    @Test func previewSummaryShowsUnescapedValuesAndParameters() {
        let ics = ICal.normalize("""
        BEGIN:VCALENDAR
        BEGIN:VEVENT
        SUMMARY:Splice\\, then test\\nphase 2
        DTSTART:20261208T010000Z
        ORGANIZER;CN="Example NOC":mailto:noc@example.net
        X-MAINTNOTE-OBJECT-ID;X-MAINTNOTE-OBJECT-IMPACT=OUTAGE:ZAYO-1
        END:VEVENT
        END:VCALENDAR
        """)
        let html = Preview.inviteSummary(ics)
        #expect(html.contains("<tr><th scope=\"row\">Summary</th><td>Splice, then test<br>phase 2</td></tr>"))
        #expect(html.contains("<tr><th scope=\"row\">Start</th><td>2026-12-08 01:00:00 UTC</td></tr>"))
        #expect(html.contains("<tr><th scope=\"row\">Organizer</th><td>Example NOC &lt;mailto:noc@example.net&gt;</td></tr>"))
        #expect(html.contains("<tr><th scope=\"row\">Object</th><td>ZAYO-1 (OUTAGE)</td></tr>"))
    }
}
