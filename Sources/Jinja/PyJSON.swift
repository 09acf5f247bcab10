import Foundation

/// Python's `json.dumps` (ensure_ascii, the default separators) for `tojson`.
public enum PyJSON {
    static func dumps(_ v: Value, indent: Int?, sortKeys: Bool) throws -> String {
        var out = ""
        try write(v, &out, indent: indent, level: 0, sortKeys: sortKeys)
        return out
    }

    static func write(_ v: Value, _ out: inout String, indent: Int?, level: Int, sortKeys: Bool) throws {
        switch v {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .bigint(let b): out += try bigIntString(b)
        case .double(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else { out += pyFloatRepr(d) }
        case .string(let s), .markup(let s): quote(s, &out)
        case .list(let items), .tuple(let items):
            try container("[", "]", items.count, &out, indent: indent, level: level) { i, o in
                try write(items[i], &o, indent: indent, level: level + 1, sortKeys: sortKeys)
            }
        case .dict(let d):
            var pairs = try d.pairs.map { (k, val) -> (String, Value) in
                switch k {
                case .string(let s), .markup(let s): return (s, val)
                case .int(let i): return (String(i), val)
                case .bigint(let b): return (try bigIntString(b), val)
                case .double(let x): return (pyFloatRepr(x), val)
                case .bool(let b): return (b ? "true" : "false", val)
                case .none: return ("null", val)
                default: throw TemplateError(.type, "keys must be str, int, float, bool or None, not \(k.pyTypeName)")
                }
            }
            if sortKeys { pairs.sort { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) } }
            try container("{", "}", pairs.count, &out, indent: indent, level: level) { i, o in
                quote(pairs[i].0, &o)
                o += ": "
                try write(pairs[i].1, &o, indent: indent, level: level + 1, sortKeys: sortKeys)
            }
        case .undefined(let u):
            if u.strict { throw u.error() }
            throw TemplateError(.type, "Object of type Undefined is not JSON serializable")
        default:
            throw TemplateError(.type, "Object of type \(v.pyTypeName) is not JSON serializable")
        }
    }

    static func container(_ open: String, _ close: String, _ n: Int, _ out: inout String, indent: Int?, level: Int,
                          _ item: (Int, inout String) throws -> Void) throws {
        out += open
        if n == 0 { out += close; return }
        if let indent {
            let pad = String(repeating: " ", count: indent * (level + 1))
            for i in 0..<n {
                out += (i == 0 ? "\n" : ",\n") + pad
                try item(i, &out)
            }
            out += "\n" + String(repeating: " ", count: indent * level) + close
        } else {
            for i in 0..<n {
                if i > 0 { out += ", " }
                try item(i, &out)
            }
            out += close
        }
    }

    /// A JSON string as Python writes it; `asciiOnly` is `ensure_ascii`.
    public static func quote(_ s: String, _ out: inout String, asciiOnly: Bool = true) {
        out += "\""
        // Most strings need no escape at all: copy them whole.
        if !s.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || (asciiOnly && $0 > 0x7F) }) {
            out += s
            out += "\""
            return
        }
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
                if u.value < 0x20 || (asciiOnly && u.value > 0x7f) {
                    if u.value > 0xFFFF {
                        let v = u.value - 0x10000
                        out += "\\u" + hex(0xD800 + (v >> 10), 4) + "\\u" + hex(0xDC00 + (v & 0x3FF), 4)
                    } else {
                        out += "\\u" + hex(u.value, 4)
                    }
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

