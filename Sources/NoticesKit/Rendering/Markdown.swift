import CCmarkGFM
import Foundation

/// GitHub-flavoured Markdown → HTML with cmark-gfm: tables, strikethrough, autolinks,
/// fenced code, hard line breaks; safe mode (raw HTML omitted, dangerous URLs blanked);
/// no task lists.
package enum Markdown {
    /// cmark-gfm keeps the extensions' special characters (`:` and `w` for autolinks,
    /// `~` for strikethrough) in one process-wide table, which each parse switches on
    /// when it starts parsing inlines and off when it ends: a parse ending on one thread
    /// switched them off under a parse still running on another (a URL then stayed plain
    /// text). So:
    /// - autolink's characters are switched on once, for good, and its own list is
    ///   emptied, so no parse switches them any more (autolink finds its matches by the
    ///   character itself, never through that list);
    /// - strikethrough needs its list (it finds the extension of a `~` delimiter through
    ///   it), so it is attached only to texts that contain a `~`, and those parses take
    ///   turns; a text without `~` reads nothing the switching changes.
    /// `MarkdownConcurrencyTests` fails when either is undone.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        if let parser = cmark_parser_new(CMARK_OPT_DEFAULT), let autolink = cmark_find_syntax_extension("autolink") {
            cmark_parser_attach_syntax_extension(parser, autolink)
            cmark_manage_extensions_special_characters(parser, 1)
            cmark_parser_free(parser)
            cmark_syntax_extension_set_special_inline_chars(autolink, nil)
        }
        return true
    }()

    /// Held by the parses that attach strikethrough (see `registered`).
    private static let strikethroughTurns = NSLock()

    /// Throws `MarkdownLimits.Exceeded` when the text (with the rest of the message's
    /// Markdown) is too large or would cost too much to render.
    package static func html(_ text: String) throws -> String {
        try MarkdownBudget.chargeInput(text)
        let html = render(text)
        try MarkdownBudget.chargeOutput(html)
        return html
    }

    private static func render(_ text: String) -> String {
        _ = registered
        // A final newline does not change the HTML, and without it cmark-gfm's autolink
        // extension sometimes misses a URL at the very end of the input.
        let input = text.hasSuffix("\n") ? text : text + "\n"
        let strikethrough = input.utf8.contains(UInt8(ascii: "~"))
        let options = CMARK_OPT_HARDBREAKS
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in strikethrough ? ["table", "strikethrough", "autolink"] : ["table", "autolink"] {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        let parsed: OpaquePointer? = {
            if strikethrough { strikethroughTurns.lock() }
            defer { if strikethrough { strikethroughTurns.unlock() } }
            input.withCString { cmark_parser_feed(parser, $0, strlen($0)) }
            return cmark_parser_finish(parser)
        }()
        guard let doc = parsed else { return "" }
        defer { cmark_node_free(doc) }
        guard let out = cmark_render_html(doc, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(out) }
        return String(cString: out)
    }
}
