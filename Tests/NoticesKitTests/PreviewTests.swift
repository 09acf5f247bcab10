import Foundation
import Testing
@testable import NoticesKit

@Suite struct PreviewTests {
    @Test func previewSummaryShowsUnescapedValuesAndParameters() throws {
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
        let html = try PreviewPages().inviteSummary(ics)
        #expect(html.contains("<tr><th scope=\"row\">Summary</th><td>Splice, then test<br>phase 2</td></tr>"))
        #expect(html.contains("<tr><th scope=\"row\">Start</th><td>2026-12-08 01:00:00 UTC</td></tr>"))
        #expect(html.contains("<tr><th scope=\"row\">Organizer</th><td>Example NOC &lt;mailto:noc@example.net&gt;</td></tr>"))
        #expect(html.contains("<tr><th scope=\"row\">Object</th><td>ZAYO-1 (OUTAGE)</td></tr>"))
    }
}
