import CCmarkGFM
import Foundation

/// GitHub-flavoured Markdown → HTML with cmark-gfm: tables, strikethrough, autolinks,
/// fenced code, hard line breaks; safe mode (raw HTML omitted, dangerous URLs blanked);
/// no task lists.
package enum Markdown {
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// cmark-gfm switches its extensions' special characters in a process-wide table
    /// while a parser runs, so parses on two threads at once disturb each other (a URL
    /// is then sometimes not autolinked). One parse at a time.
    private static let lock = NSLock()

    /// Throws `MarkdownLimits.Exceeded` when the text (with the rest of the message's
    /// Markdown) is too large or would cost too much to render.
    package static func html(_ text: String) throws -> String {
        try MarkdownBudget.chargeInput(text)
        let html = render(text)
        try MarkdownBudget.chargeOutput(html)
        return html
    }

    private static func render(_ text: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        _ = registered
        let options = CMARK_OPT_HARDBREAKS
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink"] {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        // A final newline does not change the HTML, and without it cmark-gfm's autolink
        // extension sometimes misses a URL at the very end of the input.
        let input = text.hasSuffix("\n") ? text : text + "\n"
        input.withCString { cmark_parser_feed(parser, $0, strlen($0)) }
        guard let doc = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(doc) }
        guard let out = cmark_render_html(doc, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(out) }
        return String(cString: out)
    }
}
