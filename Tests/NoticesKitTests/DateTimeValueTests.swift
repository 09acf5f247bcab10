import Foundation
import Testing
@testable import NoticesKit

@Suite struct DateTimeValueTests {
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
