import Foundation
import Jinja

/// A readable plain-text form of an HTML body (SPEC §2.8): block elements become
/// line breaks, list items get bullets, table cells are separated, links keep their
/// URL as `text (url)`, scripts and styles are dropped, entities are decoded.
package enum HTMLToText {
    static let blocks: Set<String> = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr",
                                      "blockquote", "pre", "section", "article", "header", "footer", "hr", "body",
                                      "html", "title", "dl", "dt", "dd", "thead", "tbody", "tfoot", "li"]

    package static func convert(_ html: String) -> String {
        var out = ""
        var i = html.startIndex
        var skipUntil: String?
        var href: [String?] = []
        var linkText: [String] = []
        var pre = 0
        func emit(_ s: String) {
            if !linkText.isEmpty { linkText[linkText.count - 1] += s } else { out += s }
        }
        func newline(_ n: Int = 1) {
            guard linkText.isEmpty else { return }
            var trailing = 0
            for c in out.reversed() { if c == "\n" { trailing += 1 } else if c == " " { continue } else { break } }
            while let l = out.last, l == " " { out.removeLast() }
            if out.isEmpty { return }
            out += String(repeating: "\n", count: max(0, n - trailing))
        }
        while i < html.endIndex {
            let c = html[i]
            if c == "<" {
                if html[i...].hasPrefix("<!--") {
                    if let end = html.range(of: "-->", range: i..<html.endIndex) { i = end.upperBound } else { i = html.endIndex }
                    continue
                }
                guard let close = html[i...].firstIndex(of: ">") else { emit(String(html[i...])); break }
                let tag = String(html[html.index(after: i)..<close])
                i = html.index(after: close)
                let isEnd = tag.hasPrefix("/")
                let name = tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
                if let s = skipUntil {
                    if isEnd && name == s { skipUntil = nil }
                    continue
                }
                if !isEnd && (name == "script" || name == "style" || name == "head") { skipUntil = name; continue }
                switch name {
                case "br": if linkText.isEmpty { while let l = out.last, l == " " { out.removeLast() }; out += "\n" } else { emit(" ") }
                case "a":
                    if isEnd {
                        let text = linkText.popLast()?.trimmingCharacters(in: .whitespaces) ?? ""
                        let url = href.popLast() ?? nil
                        if let url, !url.isEmpty, url != text, !url.hasPrefix("#") {
                            emit(text.isEmpty ? url : "\(text) (\(url.hasPrefix("mailto:") && text == String(url.dropFirst(7)) ? text : url))")
                        } else {
                            emit(text)
                        }
                    } else {
                        href.append(attribute("href", in: tag).map(decodeEntities))
                        linkText.append("")
                    }
                case "li":
                    if !isEnd { newline(); emit("- ") } else { newline() }
                case "td", "th":
                    if !isEnd, let l = out.last, l != "\n" { emit(" | ") }
                case "pre":
                    pre += isEnd ? -1 : 1
                    newline(2)
                case "hr":
                    newline(2); emit("---"); newline(2)
                case "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "table", "ul", "ol", "blockquote", "section", "article", "header", "footer", "title", "dl":
                    newline(2)
                case "tr", "dt", "dd", "thead", "tbody", "tfoot":
                    newline()
                default: break
                }
                continue
            }
            if skipUntil != nil { i = html.index(after: i); continue }
            // Text: collapse whitespace outside <pre>.
            var j = i
            while j < html.endIndex, html[j] != "<" { j = html.index(after: j) }
            var text = decodeEntities(String(html[i..<j]))
            if pre == 0 {
                text = text.replacingOccurrences(of: "\r\n", with: " ")
                var collapsed = ""
                var space = false
                for ch in text {
                    if ch.isWhitespace && ch != "\u{a0}" {
                        space = true
                    } else {
                        if space {
                            let atLineStart = (linkText.last ?? out).last.map { $0 == "\n" } ?? true
                            if !(collapsed.isEmpty && atLineStart) { collapsed += " " }
                        }
                        space = false
                        collapsed.append(ch)
                    }
                }
                if space && !collapsed.isEmpty { collapsed += " " }
                if space && collapsed.isEmpty, let l = (linkText.last ?? out).last, l != "\n", l != " " { collapsed = " " }
                text = collapsed
            }
            emit(text)
            i = j
        }
        // Trim trailing spaces on every line and surrounding blank lines.
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.reversed().drop { $0 == " " }.reversed()) }
        var result = lines.joined(separator: "\n")
        while result.hasSuffix("\n") { result.removeLast() }
        while result.hasPrefix("\n") { result.removeFirst() }
        var squeezed = ""
        var newlines = 0
        for ch in result {
            if ch == "\n" { newlines += 1; if newlines > 2 { continue } } else { newlines = 0 }
            squeezed.append(ch)
        }
        return squeezed.isEmpty ? "" : squeezed + "\n"
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let r = tag.range(of: name + "=", options: .caseInsensitive) else { return nil }
        let rest = tag[r.upperBound...]
        if let q = rest.first, q == "\"" || q == "'" {
            let body = rest.dropFirst()
            return String(body.prefix { $0 != q })
        }
        return String(rest.prefix { !$0.isWhitespace && $0 != ">" })
    }

    /// Entities decoded the way MarkupSafe does (shared with the template engine),
    /// with `&nbsp;` read as a plain space in text.
    static func decodeEntities(_ s: String) -> String {
        HTMLText.unescape(s).replacingOccurrences(of: "\u{a0}", with: " ")
    }
}
