import Testing
@testable import NoticesKit

@Suite struct HTMLToTextTests {
    @Test func blocksListsTablesLinksAndEntities() {
        let html = """
        <html><head><style>p { color: red }</style><title>T</title></head><body>
        <h1>Planned   work</h1>
        <p>Hello <b>ACME</b>,<br>see <a href="https://x.example/m/1">the details</a> &amp; <a href="https://y.example">https://y.example</a>.</p>
        <ul><li>C1 &mdash; OUTAGE</li><li>C2</li></ul>
        <table><tr><th>Service</th><th>Impact</th></tr><tr><td>C1</td><td>OUTAGE</td></tr></table>
        <script>alert(1)</script><!-- note -->
        <p>Z&uuml;rich&nbsp;NOC</p>
        </body></html>
        """
        #expect(HTMLToText.convert(html) == """
        Planned work

        Hello ACME,
        see the details (https://x.example/m/1) & https://y.example.

        - C1 — OUTAGE
        - C2

        Service | Impact
        C1 | OUTAGE

        Zürich NOC

        """)
    }

    @Test func preformattedTextKeepsItsLines() {
        #expect(HTMLToText.convert("<p>a</p><pre>x  y\n  z</pre><p>b</p>") == "a\n\nx  y\n  z\n\nb\n")
    }
}
