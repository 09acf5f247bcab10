import Foundation
import Testing
import TestSupport

/// The `markdown_escape` filter, checked by PyPI cmarkgfm (Consumers/check_markdown_escape.py):
/// each value, escaped by the CLI's template renderer and placed in a paragraph and in a
/// table cell, renders as exactly its own text with no markup.
@Suite struct MarkdownEscapeTests {
    static let python = VenvPython.with("cmarkgfm")

    static let values: [String] = [
        "|",
        "*",
        "_",
        "`",
        "<",
        "[",
        "#",
        "1.",
        "X|Y*",
        "ZAYO-100231|DEGRADED",
        "*bold*",
        "**strong**",
        "_em_",
        "__strong__",
        "snake_case_name",
        "_leading",
        "trailing_",
        "`code`",
        "```",
        "~~~",
        "<b>html</b>",
        "<!-- c -->",
        "[link](target)",
        "![img](x.png)",
        "[ref]",
        "[^1]",
        "# heading",
        "## h2",
        "   # indented heading",
        "1. item",
        "10) item",
        "2026. year",
        "- item",
        "+ item",
        "* item",
        "> quote",
        "---",
        "***",
        "___",
        "===",
        "~~strike~~",
        "~one~",
        "AT&T",
        "&copy;",
        "&#35;",
        "&#x41; x",
        "a\\*b",
        "C:\\temp\\",
        "back\\",
        "\\",
        "a | b | c",
        "2026-12-08 01:00",
        "Zürich — Wartung",
        "emoji 🚧",
        "x < y > z",
        "a]b",
        "(parens)",
        "!bang",
        "$dollar",
        "tab\there",
        "line one\n# two",
        "line\n1. two",
        "one\n- two\n> three",
        "setext\n===",
        "setext\n---",
        "a  b",
        "end with space ",
        "+31 20 555 0100",
        "#hashtag",
        "1.5 Gbit/s",
        "3) three",
        "12345678901. big",
    ]

    static let template = """
    {% for v in values %}{{ v|markdown_escape }}

    {% endfor %}| Value | Other |
    |---|---|
    {% for v in values if '\\n' not in v %}| {{ v|markdown_escape }} | x |
    {% endfor %}
    """

    /// Renders the corpus with `template` through the CLI and has cmarkgfm check it.
    static func check(_ template: String) throws -> (status: Int32, output: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mdescape-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("t.md.j2")
        try Data(template.utf8).write(to: file)
        let json = String(decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self)
        let r = try CLI.run(["template", "render", file.path, "--context", "{\"values\": \(json)}"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let markdown = dir.appendingPathComponent("out.md"), valuesFile = dir.appendingPathComponent("values.json")
        try Data(r.stdout.utf8).write(to: markdown)
        try Data(json.utf8).write(to: valuesFile)
        return try VenvPython.run(python!, script: "check_markdown_escape.py", [markdown.path, valuesFile.path])
    }

    @Test(.enabled(if: python != nil, "needs .venv with cmarkgfm (bash .ci/run makes it)"))
    func escapedDataStaysLiteralInParagraphsAndTables() throws {
        let check = try Self.check(Self.template)
        #expect(check.status == 0, Comment(rawValue: check.output))
        #expect(check.output == "checked \(Self.values.count) values in paragraphs and 67 in table cells: 0 problems\n", Comment(rawValue: check.output))
    }

    /// Without the filter the same corpus does not survive (the check can fail).
    @Test(.enabled(if: python != nil, "needs .venv with cmarkgfm (bash .ci/run makes it)"))
    func unescapedDataIsMangled() throws {
        let check = try Self.check(Self.template.replacingOccurrences(of: "|markdown_escape", with: ""))
        #expect(check.status == 1)
        #expect(check.output.hasPrefix("markup outside paragraphs and tables: ['ul', 'li', 'h1', 'ol', 'li', 'pre', 'code']\n"), Comment(rawValue: check.output))
        #expect(check.output.contains("came out as 'bold' with tags ['em']"), Comment(rawValue: check.output))
    }
}
