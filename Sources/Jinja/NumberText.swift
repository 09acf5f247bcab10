import BigInt

/// Python's number parsing (`int(str, base)`, `float(str)`) and its text forms
/// (`repr(float)`, `repr(str)`).
enum NumberText {
    /// The text between leading and trailing whitespace, Unicode decimal digits as ASCII.
    static func normalized(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for u in PyString.strip(text, nil, left: true, right: true).unicodeScalars {
            if u.value >= 0x80, u.properties.numericType == .decimal, let v = u.properties.numericValue {
                out.append(Unicode.Scalar(UInt8(48 + Int(v))))
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// Underscores only between digits, as Python allows them.
    static func validUnderscores(_ s: Substring, allowLeading: Bool = false) -> Bool {
        let u = Array(s.utf8)
        for (i, c) in u.enumerated() where c == UInt8(ascii: "_") {
            if i == u.count - 1 || u[i + 1] == UInt8(ascii: "_") { return false }
            if i == 0 && !allowLeading { return false }
        }
        return true
    }

    /// `int(text, base)`; nil where Python raises ValueError.
    static func parseInt(_ text: String, base: Int) -> Value? {
        guard base == 0 || (2...36).contains(base) else { return nil }
        var s = Substring(normalized(text))
        var negative = false
        if let f = s.first, f == "+" || f == "-" { negative = f == "-"; s = s.dropFirst() }
        var b = base
        let lower = s.lowercased()
        var prefixed = false
        for (p, r) in [("0x", 16), ("0o", 8), ("0b", 2)] where (b == r || b == 0) && lower.hasPrefix(p) {
            s = s.dropFirst(2)
            b = r
            prefixed = true
        }
        if b == 0 {
            b = 10
            // Base 0 refuses leading zeros in decimal numbers ("010").
            if s.count > 1 && s.first == "0" && s.contains(where: { $0 != "0" && $0 != "_" }) { return nil }
        }
        guard !s.isEmpty, validUnderscores(s, allowLeading: prefixed) else { return nil }
        let digits = s.filter { $0 != "_" }
        guard !digits.isEmpty, digits.utf8.count <= maxIntDigits else { return nil }
        if let v = Int(digits, radix: b) { return .int(negative ? -v : v) }
        guard let big = BigInt(digits, radix: b) else { return nil }
        return .integer(negative ? -big : big)
    }

    /// `float(text)`; nil where Python raises ValueError.
    static func parseFloat(_ text: String) -> Double? {
        let s = normalized(text)
        switch s.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        guard !s.isEmpty else { return nil }
        // Underscores only between digits.
        let u = Array(s.utf8)
        for (i, c) in u.enumerated() where c == UInt8(ascii: "_") {
            guard i > 0, i + 1 < u.count, (48...57).contains(u[i - 1]), (48...57).contains(u[i + 1]) else { return nil }
        }
        let cleaned = s.replacingOccurrences(of: "_", with: "")
        guard cleaned.utf8.allSatisfy({ (48...57).contains($0) || "+-.eE".utf8.contains($0) }),
              cleaned.utf8.contains(where: { (48...57).contains($0) }) else { return nil }
        return Double(cleaned)
    }
}



/// Python's `repr(float)`.
public func pyFloatRepr(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
    let (digits, exp) = shortestDigits(abs(d))
    var s = d < 0 ? "-" : ""
    if exp < -4 || exp >= 16 {
        s += String(digits.first!)
        if digits.count > 1 { s += "." + digits.dropFirst() }
        s += "e" + (exp < 0 ? "-" : "+") + (abs(exp) < 10 ? "0" : "") + String(abs(exp))
    } else if exp < 0 {
        s += "0." + String(repeating: "0", count: -exp - 1) + digits
    } else if digits.count <= exp + 1 {
        s += digits + String(repeating: "0", count: exp + 1 - digits.count) + ".0"
    } else {
        let i = digits.index(digits.startIndex, offsetBy: exp + 1)
        s += digits[..<i] + "." + digits[i...]
    }
    return s
}

/// Shortest round-trip significant digits of a positive double and the decimal
/// exponent of the first digit. Swift's `description` already finds the shortest
/// digits; this only lays them out again.
func shortestDigits(_ d: Double) -> (String, Int) {
    var text = d.description
    var exp = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        exp = Int(text[text.index(after: e)...])!
        text = String(text[..<e])
    }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    let intPart = String(parts[0])
    var all = intPart + (parts.count > 1 ? String(parts[1]) : "")
    var point = intPart.count
    while all.first == "0" { all.removeFirst(); point -= 1 }
    while all.last == "0" { all.removeLast() }
    if all.isEmpty { return ("0", 0) }
    return (all, point - 1 + exp)
}

/// Python's `repr(str)`.
public func pyStringRepr(_ s: String) -> String {
    let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
    var out = String(quote)
    for u in s.unicodeScalars {
        switch u {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if Character(u) == quote {
                out += "\\" + String(quote)
            } else if isPrintable(u) {
                out.unicodeScalars.append(u)
            } else if u.value < 0x100 {
                out += "\\x" + hex(u.value, 2)
            } else if u.value < 0x10000 {
                out += "\\u" + hex(u.value, 4)
            } else {
                out += "\\U" + hex(u.value, 8)
            }
        }
    }
    out.append(quote)
    return out
}

func hex(_ v: UInt32, _ width: Int) -> String {
    let h = String(v, radix: 16)
    return String(repeating: "0", count: max(0, width - h.count)) + h
}

/// Python's `str.isprintable()` for one code point.
func isPrintable(_ u: Unicode.Scalar) -> Bool {
    if u == " " { return true }
    switch u.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
        return false
    default:
        return true
    }
}
