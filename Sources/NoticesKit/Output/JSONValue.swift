import Foundation
import Jinja

/// JSON we write. `pythonDumps()` gives exactly the bytes of Python's
/// `json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)` (SPEC §3.1).
package indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    package static func == (a: JSONValue, b: JSONValue) -> Bool {
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

    package func pythonDumps() -> String {
        var out = ""
        write(into: &out, indent: 0)
        return out
    }

    /// Appends the value as `pythonDumps` would write it nested `indent` spaces deep
    /// (for output written piece by piece).
    package func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            // json.dumps writes NaN/Infinity for the special values, repr() otherwise.
            out += d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : pyFloatRepr(d)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                JSONValue.indent(indent + 2, &out)
                item.write(into: &out, indent: indent + 2)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            JSONValue.indent(indent, &out)
            out += "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            // sort_keys compares str keys by code point.
            let sorted = pairs.sorted { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
            out += "{\n"
            for (i, (k, v)) in sorted.enumerated() {
                JSONValue.indent(indent + 2, &out)
                JSONValue.quote(k, into: &out)
                out += ": "
                v.write(into: &out, indent: indent + 2)
                out += i == sorted.count - 1 ? "\n" : ",\n"
            }
            JSONValue.indent(indent, &out)
            out += "}"
        }
    }

    private static let spaces = (0...16).map { String(repeating: " ", count: $0) }

    private static func indent(_ n: Int, _ out: inout String) {
        out += n < spaces.count ? spaces[n] : String(repeating: " ", count: n)
    }

    static func quote(_ s: String, into out: inout String) {
        PyJSON.quote(s, &out, asciiOnly: false)
    }
}
