import BigInt

/// Splits template source into tokens, applying Jinja2's whitespace rules
/// (`-`/`+` markers, `trim_blocks`, `lstrip_blocks`, the trailing newline).
struct Token: CustomStringConvertible {
    enum Kind: Equatable {
        case text(String)
        case variableBegin, variableEnd, blockBegin, blockEnd
        case name(String)
        case string(String)
        case int(Value)
        case float(Double)
        case op(String)
        case eof
    }
    var kind: Kind
    var line: Int
    /// 1-based column of the token's first code point.
    var column: Int

    var description: String {
        switch kind {
        case .text: return "template data"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case .name(let n): return n
        case .string: return "string"
        case .int, .float: return "number"
        case .op(let o): return o
        case .eof: return "end of template"
        }
    }
}

public struct LexerOptions: Sendable, Equatable {
    public var trimBlocks = false
    public var lstripBlocks = false
    public var keepTrailingNewline = false
    public init(trimBlocks: Bool = false, lstripBlocks: Bool = false, keepTrailingNewline: Bool = false) {
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
        self.keepTrailingNewline = keepTrailingNewline
    }
}

struct Lexer {
    let src: [Unicode.Scalar]
    let options: LexerOptions
    let name: String?
    var pos = 0
    var line = 1
    /// Index of the first code point of the current line, for columns.
    var lineStart = 0
    var tokens: [Token] = []

    init(_ source: String, options: LexerOptions, name: String?) {
        // Newlines are normalized to "\n"; one trailing newline is dropped unless kept.
        var s = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if !options.keepTrailingNewline && s.hasSuffix("\n") { s.removeLast() }
        src = Array(s.unicodeScalars)
        self.options = options
        self.name = name
    }

    func error(_ msg: String, line: Int? = nil, column: Int? = nil) -> TemplateError {
        TemplateError(.syntax, msg, template: name, line: line ?? self.line, column: column ?? (pos - lineStart + 1))
    }

    func column(at i: Int) -> Int { i - lineStart + 1 }

    mutating func token(_ kind: Token.Kind, line: Int? = nil, at i: Int? = nil) {
        tokens.append(Token(kind: kind, line: line ?? self.line, column: column(at: i ?? pos)))
    }

    func at(_ i: Int) -> Unicode.Scalar? { i < src.count ? src[i] : nil }

    func starts(_ s: String, at i: Int) -> Bool {
        var j = i
        for c in s.unicodeScalars {
            guard j < src.count, src[j] == c else { return false }
            j += 1
        }
        return true
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{b}" || c == "\u{c}" || c.properties.isWhitespace }

    mutating func tokenize() throws -> [Token] {
        var textStart = pos
        var lstripNext = false    // a preceding "-" end marker strips the next text's leading whitespace
        var trimNewline = false   // trim_blocks: drop one newline right after a block tag
        var lineStarting = true   // the text begins at the start of a line (for lstrip_blocks)
        while true {
            // Find the next tag opening.
            var i = pos
            var found: (kind: Unicode.Scalar, at: Int)?
            while i + 1 < src.count {
                if src[i] == "{", let k = at(i + 1), k == "{" || k == "%" || k == "#" {
                    found = (k, i)
                    break
                }
                i += 1
            }
            let textEnd = found?.at ?? src.count
            // The text is src[lo..<hi]; whitespace rules move the bounds (no copying).
            var lo = textStart, hi = textEnd
            if trimNewline, lo < hi, src[lo] == "\n" { lo += 1; lineStarting = true }
            if lstripNext {
                while lo < hi, Lexer.isSpace(src[lo]) { lineStarting = src[lo] == "\n"; lo += 1 }
            }
            lstripNext = false
            trimNewline = false
            guard let (kind, tagAt) = found else {
                emitText(lo, hi, endingAt: textEnd)
                break
            }
            let marker = at(tagAt + 2)
            if marker == "-" {
                while hi > lo, Lexer.isSpace(src[hi - 1]) { hi -= 1 }
            } else if marker != "+" && options.lstripBlocks && (kind == "%" || kind == "#") {
                // Strip spaces and tabs between the start of the line and the tag.
                var lineBegin = hi
                while lineBegin > lo, src[lineBegin - 1] != "\n" { lineBegin -= 1 }
                let atLineStart = lineBegin > lo || lineStarting
                if atLineStart && lineBegin < hi && src[lineBegin..<hi].allSatisfy({ Lexer.isSpace($0) }) {
                    hi = lineBegin
                }
            }
            emitText(lo, hi, endingAt: tagAt)
            pos = tagAt + 2 + ((marker == "-" || marker == "+") ? 1 : 0)
            lineStarting = false
            switch kind {
            case "#":
                let tagLine = line, tagColumn = column(at: tagAt)
                guard let end = findCommentEnd(from: pos) else {
                    throw error("missing end of comment tag", line: tagLine, column: tagColumn)
                }
                countLines(pos, end.after)
                lstripNext = src[end.start] == "-"
                trimNewline = options.trimBlocks && src[end.start] != "+"
                pos = end.after
            case "{":
                token(.variableBegin, at: tagAt)
                let (_, minus) = try lexExpression(end: "}", openedAt: tagAt)
                lstripNext = minus
                token(.variableEnd, at: pos - 2)
            default:
                if let raw = try lexRaw() {
                    if raw.hi > raw.lo { token(.text(PyText.string(src[raw.lo..<raw.hi])), at: raw.lo) }
                    lstripNext = raw.stripAfter
                    trimNewline = raw.trim
                } else {
                    token(.blockBegin, at: tagAt)
                    let (plus, minus) = try lexExpression(end: "%", openedAt: tagAt)
                    lstripNext = minus
                    trimNewline = options.trimBlocks && !plus
                    token(.blockEnd, at: pos - 2)
                }
            }
            textStart = pos
        }
        token(.eof)
        return tokens
    }

    private mutating func emitText(_ lo: Int, _ hi: Int, endingAt: Int) {
        if hi > lo {
            let startLine = line + src[pos..<lo].lazy.filter { $0 == "\n" }.count
            tokens.append(Token(kind: .text(PyText.string(src[lo..<hi])), line: startLine, column: 1))
        }
        // Count lines over the original source span so line numbers stay right.
        countLines(pos, endingAt)
    }

    private mutating func countLines(_ from: Int, _ to: Int) {
        guard from < to else { return }
        for k in from..<to where src[k] == "\n" {
            line += 1
            lineStart = k + 1
        }
    }

    /// Index of the "-", "+" or "#" that starts the comment's end marker.
    private func findCommentEnd(from start: Int) -> (start: Int, after: Int)? {
        var i = start
        while i + 1 < src.count {
            if src[i] == "#" && src[i + 1] == "}" {
                if i > start, src[i - 1] == "-" || src[i - 1] == "+" { return (i - 1, i + 2) }
                return (i, i + 2)
            }
            i += 1
        }
        return nil
    }

    /// `{% raw %}…{% endraw %}`: returns the literal text's bounds, or nil when the
    /// tag is not raw.
    private mutating func lexRaw() throws -> (lo: Int, hi: Int, stripAfter: Bool, trim: Bool)? {
        var i = pos
        while let c = at(i), c == " " || c == "\t" || c == "\n" { i += 1 }
        guard starts("raw", at: i) else { return nil }
        i += 3
        if let c = at(i), c.properties.isAlphabetic || c == "_" || ("0"..."9").contains(c) { return nil }
        while let c = at(i), c == " " || c == "\t" || c == "\n" { i += 1 }
        var startStrip = false
        if at(i) == "-" || at(i) == "+" { startStrip = at(i) == "-"; i += 1 }
        guard at(i) == "%", at(i + 1) == "}" else { throw error("expected end of raw tag") }
        let startLine = line, startColumn = column(at: pos)
        countLines(pos, i + 2)
        // Jinja2 does not apply trim_blocks to the newline after `{% raw %}`.
        let bodyStart = i + 2
        pos = bodyStart
        var j = bodyStart
        while j + 1 < src.count {
            if src[j] == "{" && src[j + 1] == "%" {
                var k = j + 2
                var endMarker: Unicode.Scalar?
                if at(k) == "-" || at(k) == "+" { endMarker = at(k); k += 1 }
                while let c = at(k), c == " " || c == "\t" || c == "\n" { k += 1 }
                if starts("endraw", at: k) {
                    k += 6
                    while let c = at(k), c == " " || c == "\t" || c == "\n" { k += 1 }
                    var after: Unicode.Scalar?
                    if at(k) == "-" || at(k) == "+" { after = at(k); k += 1 }
                    if at(k) == "%", at(k + 1) == "}" {
                        var lo = bodyStart, hi = j
                        if startStrip { while lo < hi, Lexer.isSpace(src[lo]) { lo += 1 } }
                        if endMarker == "-" { while hi > lo, Lexer.isSpace(src[hi - 1]) { hi -= 1 } }
                        else if endMarker != "+" && options.lstripBlocks {
                            var m = hi
                            while m > lo, src[m - 1] == " " || src[m - 1] == "\t" { m -= 1 }
                            if m == lo || src[m - 1] == "\n" { hi = m }
                        }
                        countLines(bodyStart, k + 2)
                        pos = k + 2
                        return (lo, hi, after == "-", options.trimBlocks && after != "+")
                    }
                }
            }
            j += 1
        }
        throw error("Missing end of raw directive", line: startLine, column: startColumn)
    }

    /// Tokens of an expression up to `}}` or `%}` (`end` is "}" or "%").
    /// Returns whether the closing tag had "+" and whether it had "-".
    private mutating func lexExpression(end: Unicode.Scalar, openedAt: Int) throws -> (plus: Bool, minus: Bool) {
        var depth = 0
        let startLine = line, startColumn = column(at: openedAt)
        while true {
            guard let c = at(pos) else {
                throw error(end == "}" ? "unexpected end of template, expected 'end of print statement'." : "unexpected end of template, expected 'end of statement block'.", line: startLine, column: startColumn)
            }
            if c == "\n" { line += 1; pos += 1; lineStart = pos; continue }
            if c == " " || c == "\t" || c == "\r" { pos += 1; continue }
            // Closing marker (only outside brackets for "}}", which could close a dict).
            if (c == "-" || c == "+"), at(pos + 1) == end, at(pos + 2) == "}" {
                if end == "%" || depth == 0 {
                    pos += 3
                    return (c == "+", c == "-")
                }
            }
            if c == end, at(pos + 1) == "}", end == "%" || depth == 0 {
                pos += 2
                return (false, false)
            }
            let tokLine = line, tokAt = pos
            if c.properties.isAlphabetic || c == "_" {
                var s = String()
                while let d = at(pos), d.properties.isAlphabetic || d == "_" || d.properties.numericType != nil && ("0"..."9").contains(d) || d.properties.isIDContinue {
                    s.unicodeScalars.append(d)
                    pos += 1
                }
                token(.name(s), line: tokLine, at: tokAt)
                continue
            }
            if ("0"..."9").contains(c) {
                token(try lexNumber(), line: tokLine, at: tokAt)
                continue
            }
            if c == "'" || c == "\"" {
                let tokColumn = column(at: tokAt)
                let text = try lexString(quote: c)
                tokens.append(Token(kind: .string(text), line: tokLine, column: tokColumn))
                continue
            }
            // Operators, longest first.
            let ops = ["//", "**", "==", "!=", "<=", ">=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}",
                       "<", ">", "=", ".", ":", "|", ",", ";"]
            var matched: String?
            for op in ops where starts(op, at: pos) { matched = op; break }
            guard let op = matched else {
                throw error("unexpected char \(pyStringRepr(String(Character(c)))) at \(pos)")
            }
            switch op {
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1
            default: break
            }
            pos += op.unicodeScalars.count
            token(.op(op), line: tokLine, at: tokAt)
        }
    }

    private mutating func lexNumber() throws -> Token.Kind {
        let start = pos
        func digits() { while let d = at(pos), ("0"..."9").contains(d) || (d == "_" && at(pos + 1).map { ("0"..."9").contains($0) } == true) { pos += 1 } }
        if at(pos) == "0", let p = at(pos + 1), "bBoOxX".unicodeScalars.contains(p) {
            pos += 2
            let radix = "bB".unicodeScalars.contains(p) ? 2 : ("oO".unicodeScalars.contains(p) ? 8 : 16)
            var s = ""
            while let d = at(pos), d.properties.isASCIIHexDigit || d == "_" { if d != "_" { s.unicodeScalars.append(d) }; pos += 1 }
            guard !s.isEmpty, let v = BigInt(s, radix: radix) else { throw error("invalid number literal") }
            return .int(.integer(v))
        }
        digits()
        var isFloat = false
        if at(pos) == ".", let n = at(pos + 1), ("0"..."9").contains(n) {
            // "1.2" is a float, but the "." of "foo.1.2" was already consumed as an operator.
            isFloat = true
            pos += 1
            digits()
        }
        if let e = at(pos), e == "e" || e == "E" {
            var k = pos + 1
            if at(k) == "+" || at(k) == "-" { k += 1 }
            if let d = at(k), ("0"..."9").contains(d) {
                isFloat = true
                pos = k
                digits()
            }
        }
        var s = String()
        s.unicodeScalars.append(contentsOf: src[start..<pos].filter { $0 != "_" })
        if isFloat {
            guard let d = Double(s) else { throw error("invalid float literal") }
            return .float(d)
        }
        if let v = Int(s) { return .int(.int(v)) }
        guard s.utf8.count <= maxIntDigits, let big = BigInt(s) else { throw error("integer literal too large") }
        return .int(.integer(big))
    }

    private mutating func lexString(quote: Unicode.Scalar) throws -> String {
        let startLine = line
        pos += 1
        var out = String.UnicodeScalarView()
        while true {
            guard let c = at(pos) else { throw error("unexpected end of string", line: startLine) }
            if c == quote { pos += 1; return String(out) }
            if c == "\n" { line += 1; lineStart = pos + 1 }
            if c == "\\" {
                guard let e = at(pos + 1) else { throw error("unexpected end of string", line: startLine) }
                pos += 2
                switch e {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "\\": out.append("\\")
                case "'": out.append("'")
                case "\"": out.append("\"")
                case "a": out.append("\u{7}")
                case "b": out.append("\u{8}")
                case "f": out.append("\u{c}")
                case "v": out.append("\u{b}")
                case "0"..."7":
                    var v = e.value - 48
                    var n = 1
                    while n < 3, let d = at(pos), ("0"..."7").contains(d) { v = v * 8 + d.value - 48; pos += 1; n += 1 }
                    out.append(Unicode.Scalar(v) ?? "\u{fffd}")
                case "x", "u", "U":
                    let width = e == "x" ? 2 : (e == "u" ? 4 : 8)
                    var v: UInt32 = 0
                    for _ in 0..<width {
                        guard let d = at(pos), let h = UInt32(String(Character(d)), radix: 16) else {
                            throw error("(unicode error) truncated \\\(Character(e)) escape", line: startLine)
                        }
                        v = v * 16 + h
                        pos += 1
                    }
                    guard let u = Unicode.Scalar(v) else { throw error("(unicode error) illegal Unicode character", line: startLine) }
                    out.append(u)
                case "\n":
                    line += 1 // line continuation
                    lineStart = pos
                default:
                    out.append("\\")
                    out.append(e)
                }
                continue
            }
            out.append(c)
            pos += 1
        }
    }
}
