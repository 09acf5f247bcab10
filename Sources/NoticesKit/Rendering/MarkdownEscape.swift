/// The `markdown_escape` filter: data placed in a Markdown template stays literal text
/// in the GitHub-flavoured Markdown rendering (a paragraph or a table cell), and the
/// text part stays readable: only what Markdown would take as markup gets a backslash.
///
/// Always escaped: `` ` `` `*` `[` `<` `|` `~` (code, emphasis, links, HTML and
/// autolinks, table cells, strikethrough and fences). `_` unless it sits inside a word
/// (`snake_case` is never emphasis). `&` when it would start an entity (`&copy;`). `\`
/// before punctuation, a line break or the end. At the start of a line (after up to
/// three spaces), when they would open a block: `>`, `#` before a space (a heading),
/// `-` and `+` before a space (a list item), a line of `-` or `=` (a rule or setext
/// underline), and the `.` or `)` of `1. ` (an ordered list). A line break ends a table row
/// whatever precedes it: put multi-line data in a paragraph, not in a table cell.
enum MarkdownEscape {
    static func escape(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var lineStart = 0 // index where the current line begins
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "\n" || c == "\r" || c == "\r\n" {
                out.append(c)
                i += 1
                lineStart = i
                continue
            }
            // Only spaces (at most three) before this character on its line.
            let indent = i - lineStart
            let atLineStart = indent <= 3 && chars[lineStart..<i].allSatisfy { $0 == " " }
            switch c {
            case "`", "*", "[", "<", "|", "~":
                out.append("\\")
            case "_":
                let before: Character? = i > 0 ? chars[i - 1] : nil
                if !(isWordCharacter(before) && isWordCharacter(next)) { out.append("\\") }
            case "&":
                if startsEntity(chars, at: i) { out.append("\\") }
            case "\\":
                if next == nil || next!.isNewline || (next!.isASCII && next!.isPunctuation || next!.isASCII && next!.isSymbol) {
                    out.append("\\")
                }
            case ">":
                if atLineStart { out.append("\\") }
            case "#", "-", "+", "=":
                if atLineStart && opensBlock(chars, at: i) { out.append("\\") }
            default:
                // `1.` / `1)` opening a line and followed by a space: an ordered list item.
                if atLineStart, c.isASCII, c.isNumber {
                    var j = i
                    while j < chars.count, j - i < 10, chars[j].isASCII, chars[j].isNumber { j += 1 }
                    if j < chars.count, j - i <= 9, chars[j] == "." || chars[j] == ")", endsMarker(chars, at: j + 1) {
                        out.append(contentsOf: chars[i..<j])
                        out.append("\\")
                        out.append(chars[j])
                        i = j + 1
                        continue
                    }
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// Whether `#`, `-`, `+` or `=` at `i`, opening a line, starts a heading, list item,
    /// thematic break or setext underline.
    private static func opensBlock(_ chars: [Character], at i: Int) -> Bool {
        let c = chars[i]
        var end = i
        while end < chars.count, !chars[end].isNewline { end += 1 }
        let rest = chars[i..<end]
        switch c {
        case "#":
            var j = i
            while j < end, chars[j] == "#" { j += 1 }
            return j - i <= 6 && endsMarker(chars, at: j)
        case "-", "=":
            // A run of the character (and spaces) alone on its line: a rule or underline.
            if rest.allSatisfy({ $0 == c || $0 == " " || $0 == "\t" }) { return true }
            return c == "-" && endsMarker(chars, at: i + 1)
        default:
            return endsMarker(chars, at: i + 1)
        }
    }

    /// A list or heading marker needs a space, a tab or the end of the line after it.
    private static func endsMarker(_ chars: [Character], at j: Int) -> Bool {
        j >= chars.count || chars[j] == " " || chars[j] == "\t" || chars[j].isNewline
    }

    /// Letters and digits: `_` between two of them is inside a word.
    private static func isWordCharacter(_ c: Character?) -> Bool {
        guard let c else { return false }
        return c.isLetter || c.isNumber
    }

    /// `&name;`, `&#123;` or `&#x1F;` from index `i`: what CommonMark reads as an entity.
    private static func startsEntity(_ chars: [Character], at i: Int) -> Bool {
        var j = i + 1
        var hex = false
        if j < chars.count, chars[j] == "#" {
            j += 1
            if j < chars.count, chars[j] == "x" || chars[j] == "X" { hex = true; j += 1 }
        }
        let start = j
        while j < chars.count, j - start <= 32, chars[j].isASCII,
              hex ? chars[j].isHexDigit : (chars[j].isLetter || chars[j].isNumber) { j += 1 }
        return j > start && j < chars.count && chars[j] == ";"
    }
}
