import Foundation

enum URLQuote {
    static func quote(_ s: String, forQuery: Bool) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "_.-~".contains(c) || (!forQuery && c == "/") {
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
    /// MarkupSafe's `striptags`: `<!--.*?-->` then `<.*?>` removed, whitespace runs
    /// collapsed, entities decoded. One pass each (a regex substitution, not a search
    /// from the start per tag, which is quadratic on hostile input).
    static func striptags(_ input: String) -> String {
        func remove(_ s: String, open: String, close: String) -> String {
            withBytes(s) { hay in
                withBytes(open) { o in
                    withBytes(close) { c in
                        var out = ByteBuilder(capacity: hay.count)
                        var from = 0
                        while let start = findBytes(hay, o, from: from), let end = findBytes(hay, c, from: start + o.count) {
                            out.append(hay[from..<start])
                            from = end + c.count
                        }
                        out.append(hay[from...])
                        return out.string
                    }
                }
            }
        }
        let value = remove(remove(input, open: "<!--", close: "-->"), open: "<", close: ">")
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

