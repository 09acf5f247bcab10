import Foundation

/// Python's `str` methods, with Python's results.
enum PyString {
    static func isPySpace(_ c: Character) -> Bool {
        c.unicodeScalars.allSatisfy { u in
            switch u.value {
            case 0x09...0x0D, 0x1C...0x1F, 0x20, 0x85, 0xA0: return true
            default: return u.properties.isWhitespace
            }
        }
    }

    static func capitalize(_ s: String) -> String {
        guard let f = s.first else { return s }
        return String(f).uppercased() + s.dropFirst().lowercased()
    }

    static func center(_ s: String, _ width: Int, _ fill: Character) -> String {
        let n = s.count
        guard width > n else { return s }
        let marg = width - n
        let left = marg / 2 + (marg & width & 1)
        return String(repeating: fill, count: left) + s + String(repeating: fill, count: marg - left)
    }

    static func ljust(_ s: String, _ width: Int, _ fill: Character) -> String {
        s.count >= width ? s : s + String(repeating: fill, count: width - s.count)
    }

    static func rjust(_ s: String, _ width: Int, _ fill: Character) -> String {
        s.count >= width ? s : String(repeating: fill, count: width - s.count) + s
    }

    static func zfill(_ s: String, _ width: Int) -> String {
        guard s.count < width else { return s }
        let pad = String(repeating: "0", count: width - s.count)
        if let f = s.first, f == "+" || f == "-" { return String(f) + pad + s.dropFirst() }
        return pad + s
    }

    static let lineBreaks: Set<Character> = ["\n", "\r", "\r\n", "\u{b}", "\u{c}", "\u{1c}", "\u{1d}", "\u{1e}", "\u{85}", "\u{2028}", "\u{2029}"]

    static func splitlines(_ s: String, keepends: Bool = false) -> [String] {
        var out: [String] = []
        var cur = ""
        for c in s {
            if lineBreaks.contains(c) {
                out.append(keepends ? cur + String(c) : cur)
                cur = ""
            } else {
                cur.append(c)
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    static func strip(_ s: String, _ chars: String?, left: Bool, right: Bool) -> String {
        let set = chars.map { Set($0) }
        func drop(_ c: Character) -> Bool { set.map { $0.contains(c) } ?? isPySpace(c) }
        var sub = Substring(s)
        if left { while let f = sub.first, drop(f) { sub = sub.dropFirst() } }
        if right { while let l = sub.last, drop(l) { sub = sub.dropLast() } }
        return String(sub)
    }

    static func replace(_ s: String, _ old: String, _ new: String, _ count: Int) -> String {
        if old.isEmpty {
            var out = ""
            var n = 0
            let limit = count < 0 ? Int.max : count
            for c in s {
                if n < limit { out += new; n += 1 }
                out.append(c)
            }
            if n < limit { out += new }
            return out
        }
        if count < 0 { return s.replacingOccurrences(of: old, with: new) }
        var out = ""
        var rest = Substring(s)
        var n = 0
        while n < count, let r = rest.range(of: old) {
            out += rest[..<r.lowerBound] + new
            rest = rest[r.upperBound...]
            n += 1
        }
        return out + rest
    }

    static func split(_ s: String, _ sep: String?, _ maxsplit: Int) -> [String] {
        let limit = maxsplit < 0 ? Int.max : maxsplit
        guard let sep else {
            var out: [String] = []
            var cur = ""
            var i = s.startIndex
            while i < s.endIndex {
                let c = s[i]
                if isPySpace(c) {
                    if !cur.isEmpty {
                        out.append(cur)
                        cur = ""
                        if out.count == limit {
                            var rest = s[i...]
                            while let f = rest.first, isPySpace(f) { rest = rest.dropFirst() }
                            if !rest.isEmpty { out.append(String(rest)) }
                            return out
                        }
                    }
                } else {
                    cur.append(c)
                }
                i = s.index(after: i)
            }
            if !cur.isEmpty { out.append(cur) }
            return out
        }
        var out: [String] = []
        var rest = Substring(s)
        while out.count < limit, let r = rest.range(of: sep) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }

    static func rsplit(_ s: String, _ sep: String?, _ maxsplit: Int) -> [String] {
        if maxsplit < 0 { return split(s, sep, -1) }
        let rev = String(s.reversed())
        return split(rev, sep.map { String($0.reversed()) }, maxsplit).map { String($0.reversed()) }.reversed()
    }

    static func parseInt(_ text: String, base: Int) -> Int? {
        var s = Substring(strip(text, nil, left: true, right: true))
        var neg = false
        if let f = s.first, f == "+" || f == "-" { neg = f == "-"; s = s.dropFirst() }
        var b = base
        let lower = s.lowercased()
        if (b == 16 || b == 0) && lower.hasPrefix("0x") { s = s.dropFirst(2); b = 16 }
        else if (b == 8 || b == 0) && lower.hasPrefix("0o") { s = s.dropFirst(2); b = 8 }
        else if (b == 2 || b == 0) && lower.hasPrefix("0b") { s = s.dropFirst(2); b = 2 }
        if b == 0 { b = 10 }
        guard !s.isEmpty, !s.hasPrefix("_"), !s.hasSuffix("_"), !s.contains("__") else { return nil }
        guard let v = Int(s.replacingOccurrences(of: "_", with: ""), radix: b) else { return nil }
        return neg ? -v : v
    }

    static func parseFloat(_ text: String) -> Double? {
        let s = strip(text, nil, left: true, right: true)
        let l = s.lowercased()
        switch l {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        guard !s.isEmpty, !s.contains("__"), !s.hasPrefix("_"), !s.hasSuffix("_") else { return nil }
        let cleaned = s.replacingOccurrences(of: "_", with: "")
        guard cleaned.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              cleaned.contains(where: \.isNumber) else { return nil }
        return Double(cleaned)
    }

    /// Jinja2's `title` filter: words start after `-`, whitespace, `(`, `{`, `[`, `<`.
    static func jinjaTitle(_ s: String) -> String {
        var out = ""
        var atStart = true
        for c in s {
            if c == "-" || isPySpace(c) || "({[<".contains(c) {
                out.append(c)
                atStart = true
            } else if atStart {
                out += String(c).uppercased()
                atStart = false
            } else {
                out += String(c).lowercased()
            }
        }
        return out
    }

    /// Python's `str.title()`: a letter after a non-letter starts a word.
    static func pyTitle(_ s: String) -> String {
        var out = ""
        var prevCased = false
        for c in s {
            let cased = c.isLetter && (c.isUppercase || c.isLowercase || c.isCased)
            if cased {
                out += prevCased ? String(c).lowercased() : String(c).uppercased()
            } else {
                out.append(c)
            }
            prevCased = cased
        }
        return out
    }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    static func wordCount(_ s: String) -> Int {
        var n = 0
        var inWord = false
        for c in s {
            if isWordChar(c) {
                if !inWord { n += 1 }
                inWord = true
            } else {
                inWord = false
            }
        }
        return n
    }

    static func isLower(_ s: String) -> Bool {
        var cased = false
        for c in s where c.isCased {
            if c.isUppercase { return false }
            cased = true
        }
        return cased
    }

    static func isUpper(_ s: String) -> Bool {
        var cased = false
        for c in s where c.isCased {
            if c.isLowercase { return false }
            cased = true
        }
        return cased
    }
}

/// Python's `urllib.parse.quote` as Jinja2's `urlencode` uses it.
enum URLQuote {
    static func quote(_ s: String, forQuery: Bool) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if (b < 128 && (c.isLetter || c.isNumber)) || "_.-~".contains(c) || (!forQuery && c == "/") {
                out.append(c)
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return forQuery ? out.replacingOccurrences(of: "%20", with: "+") : out
    }
}

/// MarkupSafe's `striptags` and `unescape`.
public enum HTMLText {
    static func striptags(_ input: String) -> String {
        var value = input
        while let start = value.range(of: "<!--"), let end = value.range(of: "-->", range: start.upperBound..<value.endIndex) {
            value.removeSubrange(start.lowerBound..<end.upperBound)
        }
        while let start = value.range(of: "<"), let end = value.range(of: ">", range: start.upperBound..<value.endIndex) {
            value.removeSubrange(start.lowerBound..<end.upperBound)
        }
        let collapsed = PyString.split(value, nil, -1).joined(separator: " ")
        return unescape(collapsed)
    }

    static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{a0}", "raquo": "»", "laquo": "«",
        "copy": "©", "reg": "®", "mdash": "—", "ndash": "–", "hellip": "…", "euro": "€", "middot": "·", "bull": "•",
        "trade": "™", "deg": "°", "times": "×", "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“",
        "rarr": "→", "larr": "←", "auml": "ä", "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü",
        "szlig": "ß", "eacute": "é", "egrave": "è", "aring": "å", "Aring": "Å", "aelig": "æ", "AElig": "Æ",
        "oslash": "ø", "Oslash": "Ø",
    ]

    /// Decodes `&name;`, `&#N;` and `&#xN;` references.
    public static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "&", let semi = s[i...].prefix(12).firstIndex(of: ";") {
                let name = String(s[s.index(after: i)..<semi])
                var decoded: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else {
                    decoded = entities[name]
                }
                if let decoded {
                    out += decoded
                    i = s.index(after: semi)
                    continue
                }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }
}

/// Python's `textwrap.wrap` with the options Jinja2's `wordwrap` passes.
enum TextWrap {
    static func chunks(_ text: String, breakOnHyphens: Bool) -> [String] {
        var out: [String] = []
        var cur = ""
        var curIsSpace = false
        for c in text {
            let space = PyString.isPySpace(c)
            if !cur.isEmpty && space != curIsSpace {
                out.append(cur)
                cur = ""
            }
            cur.append(c)
            curIsSpace = space
            if breakOnHyphens && !space && c == "-" && cur.count > 1 {
                let before = cur.dropLast()
                if let p = before.last, p.isLetter {
                    out.append(cur)
                    cur = ""
                }
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    static func wrap(_ text: String, width: Int, breakLongWords: Bool, breakOnHyphens: Bool) -> [String] {
        var chunks = chunks(text, breakOnHyphens: breakOnHyphens).reversed().map { $0 }
        var lines: [String] = []
        while !chunks.isEmpty {
            var cur: [String] = []
            var len = 0
            if !lines.isEmpty, let last = chunks.last, last.allSatisfy(PyString.isPySpace) { chunks.removeLast() }
            while let chunk = chunks.last {
                if len + chunk.count <= width {
                    cur.append(chunk)
                    len += chunk.count
                    chunks.removeLast()
                } else {
                    break
                }
            }
            if let chunk = chunks.last, chunk.count > width {
                let space = max(1, width - len)
                if breakLongWords {
                    cur.append(String(chunk.prefix(space)))
                    chunks[chunks.count - 1] = String(chunk.dropFirst(space))
                } else if cur.isEmpty {
                    cur.append(chunk)
                    chunks.removeLast()
                }
            }
            if let last = cur.last, last.allSatisfy(PyString.isPySpace) { cur.removeLast() }
            if !cur.isEmpty { lines.append(cur.joined()) }
        }
        return lines
    }
}

/// Jinja2's `urlize`.
enum Urlize {
    static let httpRe = try! NSRegularExpression(pattern: #"^((https?://|www\.)(([\w%-]+\.)+)?([a-z]{2,63}|xn--[\w%]{2,59})|([\w%-]{2,63}\.)+(com|net|int|edu|gov|org|info|mil)|(https?://)((([\d]{1,3})(\.[\d]{1,3}){3})|(\[([\da-f]{0,4}:){2}([\da-f]{0,4}:?){1,6}])))(?::[\d]{1,5})?(?:[/?#]\S*)?$"#, options: [.caseInsensitive])
    static let emailRe = try! NSRegularExpression(pattern: #"^\S+@\w[\w.-]*\.\w+$"#)

    static func matches(_ re: NSRegularExpression, _ s: String) -> Bool {
        re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    static func urlize(_ text: String, trimLimit: Int?, rel: String, target: String?, extraSchemes: [String]) -> String {
        func trim(_ x: String) -> String {
            guard let l = trimLimit, x.count > l else { return x }
            return String(x.prefix(l)) + "..."
        }
        let escaped = htmlEscape(text)
        // Split keeping whitespace runs.
        var words: [String] = []
        var cur = ""
        var curSpace = false
        for c in escaped {
            let sp = PyString.isPySpace(c)
            if !cur.isEmpty && sp != curSpace { words.append(cur); cur = "" }
            cur.append(c)
            curSpace = sp
        }
        if !cur.isEmpty { words.append(cur) }
        let relAttr = rel.isEmpty ? "" : " rel=\"\(htmlEscape(rel))\""
        let targetAttr = target.map { " target=\"\(htmlEscape($0))\"" } ?? ""
        return words.map { word in
            var head = "", middle = word, tail = ""
            while true {
                if middle.hasPrefix("(") || middle.hasPrefix("<") { head.append(middle.removeFirst()); continue }
                if middle.hasPrefix("&lt;") { head += "&lt;"; middle.removeFirst(4); continue }
                break
            }
            while true {
                if let l = middle.last, ")>.,\n".contains(l) { tail.insert(l, at: tail.startIndex); middle.removeLast(); continue }
                if middle.hasSuffix("&gt;") { tail = "&gt;" + tail; middle.removeLast(4); continue }
                break
            }
            for (open, close) in [("(", ")"), ("<", ">"), ("&lt;", "&gt;")] {
                let startCount = middle.components(separatedBy: open).count - 1
                if startCount <= middle.components(separatedBy: close).count - 1 { continue }
                for _ in 0..<min(startCount, tail.components(separatedBy: close).count - 1) {
                    guard let r = tail.range(of: close) else { break }
                    middle += tail[..<r.upperBound]
                    tail = String(tail[r.upperBound...])
                }
            }
            if matches(httpRe, middle) {
                if middle.hasPrefix("https://") || middle.hasPrefix("http://") {
                    middle = "<a href=\"\(middle)\"\(relAttr)\(targetAttr)>\(trim(middle))</a>"
                } else {
                    middle = "<a href=\"https://\(middle)\"\(relAttr)\(targetAttr)>\(trim(middle))</a>"
                }
            } else if middle.hasPrefix("mailto:") && matches(emailRe, String(middle.dropFirst(7))) {
                middle = "<a href=\"\(middle)\">\(middle.dropFirst(7))</a>"
            } else if middle.contains("@") && !middle.hasPrefix("www.") && !middle.hasPrefix("@") && !middle.contains(":") && matches(emailRe, middle) {
                middle = "<a href=\"mailto:\(middle)\">\(middle)</a>"
            } else {
                for scheme in extraSchemes where middle != scheme && middle.hasPrefix(scheme) {
                    middle = "<a href=\"\(middle)\"\(relAttr)\(targetAttr)>\(middle)</a>"
                }
            }
            return head + middle + tail
        }.joined()
    }
}
