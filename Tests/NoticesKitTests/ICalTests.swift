import Foundation
import Testing
import TestSupport
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

    // MARK: Reading invites back (the preview's summary): parameters and TEXT unescaping

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
}
