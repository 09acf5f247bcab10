import Foundation

/// JSON we write. `pythonDumps()` gives exactly the bytes of Python's
/// `json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)` (SPEC §3.1).
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func pythonDumps() -> String {
        var out = ""
        write(into: &out, indent: 0)
        return out
    }

    private func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += pythonFloatRepr(d)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                item.write(into: &out, indent: indent + 2)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            // sort_keys compares str keys by code point.
            let sorted = pairs.sorted { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
            out += "{\n"
            for (i, (k, v)) in sorted.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                JSONValue.quote(k, into: &out)
                out += ": "
                v.write(into: &out, indent: indent + 2)
                out += i == sorted.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{c}": out += "\\f"
            default:
                if u.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

/// Python's `repr(float)`: shortest round-trip digits, exponent form outside 1e-4..1e16.
public func pythonFloatRepr(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
    return PythonFloat.repr(d)
}

public enum PythonFloat {
    /// `repr(x)` for finite x, as Python prints it.
    public static func repr(_ d: Double) -> String {
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description gives the shortest round-trip digits; re-lay them out.
        let (neg, digits, exp) = decompose(d)
        var s = neg ? "-" : ""
        // exp is the decimal exponent of the first digit (d.ddd × 10^exp).
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

    /// Sign, significant digits (no leading/trailing zeros) and decimal exponent.
    static func decompose(_ d: Double) -> (Bool, String, Int) {
        var text = "\(abs(d))"
        var exp = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exp = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0])
        let frac = parts.count > 1 ? String(parts[1]) : ""
        var all = intPart + frac
        var pointPos = intPart.count // digits before the point
        // strip leading zeros
        while all.first == "0" { all.removeFirst(); pointPos -= 1 }
        while all.last == "0" { all.removeLast() }
        if all.isEmpty { return (d < 0, "0", 0) }
        return (d.sign == .minus, all, pointPos - 1 + exp)
    }
}
