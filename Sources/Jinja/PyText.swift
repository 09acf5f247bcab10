/// Python's `str` operations with Python's results: code points, not Swift's
/// grapheme clusters, and no Unicode normalization. Hot operations work on the UTF-8
/// bytes; the rest on arrays of code points.
enum PyText {
    /// `len(s)`: code points.
    static func length(_ s: String) -> Int {
        withBytes(s) { codePointCount($0) }
    }

    static func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

    static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars)
        return String(v)
    }

    /// Python's `str.isspace()` for one code point.
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0: return true
        case 0..<0x80: return false
        default: return u.properties.isWhitespace
        }
    }

    static func isLineBreak(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x0A...0x0D, 0x1C...0x1E, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// Python's `\w` (and `str.isalnum()` plus "_") for one code point.
    static func isWord(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 {
            let c = UInt8(u.value)
            return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }
        return isAlpha(u) || u.properties.numericType != nil
    }

    static func isAlpha(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    static func isTitlecase(_ u: Unicode.Scalar) -> Bool { u.properties.generalCategory == .titlecaseLetter }

    // MARK: Case

    /// `str.lower()`, with Python's final-sigma rule.
    static func lower(_ s: String) -> String {
        withBytes(s) { b in
            if isASCII(b) {
                guard b.contains(where: { $0 &- 0x41 < 26 }) else { return s }
                return String(unsafeUninitializedCapacity: b.count) { out in ASCIICase.lower(b, into: out.baseAddress!) }
            }
            return lowerScalars(scalars(s))
        }
    }

    static func lowerScalars(_ u: [Unicode.Scalar], from start: Int = 0) -> String {
        var out = String.UnicodeScalarView()
        for i in start..<max(start, u.count) { appendLower(u, i, &out) }
        return String(out)
    }

    /// The lower case of `u[i]`, in the context of `u` (for the final sigma).
    @inline(__always)
    static func appendLower(_ u: [Unicode.Scalar], _ i: Int, _ out: inout String.UnicodeScalarView) {
        let c = u[i]
        if c.value < 0x80 {
            out.append(c.value >= 0x41 && c.value <= 0x5A ? Unicode.Scalar(c.value | 0x20)! : c)
        } else if c == "\u{3A3}" {
            out.append(isFinalSigma(u, i) ? "\u{3C2}" : "\u{3C3}")
        } else {
            out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
        }
    }

    /// CPython's `handle_capital_sigma`: a capital sigma after a cased letter and not
    /// before one lowercases to the final form.
    static func isFinalSigma(_ u: [Unicode.Scalar], _ i: Int) -> Bool {
        var j = i - 1
        while j >= 0 && u[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0 && u[j].properties.isCased else { return false }
        j = i + 1
        while j < u.count && u[j].properties.isCaseIgnorable { j += 1 }
        return !(j < u.count && u[j].properties.isCased)
    }

    /// `str.upper()`.
    static func upper(_ s: String) -> String {
        withBytes(s) { b in
            if isASCII(b) {
                guard b.contains(where: { $0 &- 0x61 < 26 }) else { return s }
                return String(unsafeUninitializedCapacity: b.count) { out in ASCIICase.upper(b, into: out.baseAddress!) }
            }
            var out = String.UnicodeScalarView()
            for c in s.unicodeScalars { out.append(contentsOf: c.properties.uppercaseMapping.unicodeScalars) }
            return String(out)
        }
    }

    static func upperScalar(_ c: Unicode.Scalar) -> String { c.properties.uppercaseMapping }
    static func titleScalar(_ c: Unicode.Scalar) -> String { c.properties.titlecaseMapping }

    /// `str.capitalize()` (Python 3.8+: the first code point in title case).
    static func capitalize(_ s: String) -> String {
        let u = scalars(s)
        guard let first = u.first else { return s }
        return titleScalar(first) + lowerScalars(u, from: 1)
    }

    static func swapcase(_ s: String) -> String {
        let u = scalars(s)
        var out = String.UnicodeScalarView()
        for (i, c) in u.enumerated() {
            if c.properties.isUppercase {
                appendLower(u, i, &out)
            } else if c.properties.isLowercase {
                out.append(contentsOf: c.properties.uppercaseMapping.unicodeScalars)
            } else {
                out.append(c)
            }
        }
        return String(out)
    }

    /// `str.casefold()`: lower case plus the foldings that differ from it.
    static func casefold(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for c in lower(s).unicodeScalars {
            switch c {
            case "ß": out.append("s"); out.append("s")
            case "\u{3C2}": out.append("\u{3C3}")
            default: out.append(c)
            }
        }
        return String(out)
    }

    /// Python's `str.title()`: a cased code point after an uncased one starts a word.
    static func pyTitle(_ s: String) -> String {
        let u = scalars(s)
        var out = String.UnicodeScalarView()
        var previousCased = false
        for (i, c) in u.enumerated() {
            if previousCased {
                appendLower(u, i, &out)
            } else {
                out.append(contentsOf: c.properties.titlecaseMapping.unicodeScalars)
            }
            previousCased = c.properties.isCased
        }
        return String(out)
    }

    /// Jinja2's `title` filter: each run after `-`, whitespace, `(`, `{`, `[` or `<`
    /// is `item[0].upper() + item[1:].lower()`.
    static func jinjaTitle(_ s: String) -> String {
        withBytes(s) { b in
            if isASCII(b) {
                return String(unsafeUninitializedCapacity: b.count) { out in ASCIICase.jinjaTitle(b, into: out.baseAddress!) }
            }
            var out = ""
            var word: [Unicode.Scalar] = []
            func flush() {
                guard let f = word.first else { return }
                out += upperScalar(f) + lowerScalars(Array(word.dropFirst()))
                word.removeAll()
            }
            for c in s.unicodeScalars {
                if c == "-" || isSpace(c) || c == "(" || c == "{" || c == "[" || c == "<" {
                    flush()
                    out.unicodeScalars.append(c)
                } else {
                    word.append(c)
                }
            }
            flush()
            return out
        }
    }

    static func isLower(_ s: String) -> Bool {
        var cased = false
        for c in s.unicodeScalars {
            if c.properties.isUppercase || isTitlecase(c) { return false }
            if c.properties.isLowercase { cased = true }
        }
        return cased
    }

    static func isUpper(_ s: String) -> Bool {
        var cased = false
        for c in s.unicodeScalars {
            if c.properties.isLowercase || isTitlecase(c) { return false }
            if c.properties.isUppercase { cased = true }
        }
        return cased
    }

    static func isTitle(_ s: String) -> Bool {
        var cased = false, previousCased = false
        for c in s.unicodeScalars {
            if c.properties.isUppercase || isTitlecase(c) {
                if previousCased { return false }
                previousCased = true
                cased = true
            } else if c.properties.isLowercase {
                if !previousCased { return false }
                previousCased = true
                cased = true
            } else {
                previousCased = false
            }
        }
        return cased
    }

    static func wordCount(_ s: String) -> Int {
        var n = 0
        var inWord = false
        for c in s.unicodeScalars {
            if isWord(c) {
                if !inWord { n += 1 }
                inWord = true
            } else {
                inWord = false
            }
        }
        return n
    }
}
