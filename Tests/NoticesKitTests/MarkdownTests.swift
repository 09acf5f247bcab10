import Foundation
import Testing
@testable import NoticesKit

/// Markdown → HTML equals PyPI cmarkgfm's with the same options (markdown_reference.py).
@Suite struct MarkdownTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let markdown: String
        let html: String
        var testDescription: String { markdown.debugDescription }
    }

    static let corpus: [Case] = {
        guard let url = Bundle.module.url(forResource: "Fixtures/markdown", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode([Case].self, from: data)) ?? []
    }()

    @Test func corpusIsLoaded() { #expect(Self.corpus.count >= 60) }

    @Test(arguments: corpus)
    func matchesCmarkgfm(_ c: Case) throws {
        #expect(try Markdown.html(c.markdown) == c.html)
    }
}

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

/// `markdown_escape` adds a backslash only where Markdown would see markup, so the
/// text part stays readable (the cmarkgfm check is MarkdownEscapeTests).
@Suite struct MarkdownEscapeUnitTests {
    @Test(arguments: [
        ("ZAYO-100231|DEGRADED", "ZAYO-100231\\|DEGRADED"),
        ("_x_ in snake_case", "\\_x\\_ in snake_case"),
        ("# heading\n1. item\n- item\n#tag 1.5 -5 dBm", "\\# heading\n1\\. item\n\\- item\n#tag 1.5 -5 dBm"),
        ("AT&T &copy; C:\\temp a\\*b", "AT&T \\&copy; C:\\temp a\\\\\\*b"),
        ("<b> [x](y) `c` ~s~ *e*", "\\<b> \\[x](y) \\`c\\` \\~s\\~ \\*e\\*"),
        ("---\n===\n> q", "\\---\n\\===\n\\> q"),
    ])
    func escapesOnlyMarkup(_ input: String, _ expected: String) {
        #expect(MarkdownEscape.escape(input) == expected)
    }
}
