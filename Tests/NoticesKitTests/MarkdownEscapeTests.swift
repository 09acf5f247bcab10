import Testing
@testable import NoticesKit

/// `markdown_escape` adds a backslash only where Markdown would see markup, so the
/// text part stays readable (the cmarkgfm check is MarkdownEscapeTests).
@Suite struct MarkdownEscapeTests {
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
