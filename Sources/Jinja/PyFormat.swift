import Foundation

/// Python's `%` formatting, `str.format` and float formatting.
enum PyFormat {
    /// `"%.Nf" % x` (C printf rounds the exact binary value, as Python does).
    static func fixed(_ x: Double, _ precision: Int) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return String(format: "%.\(precision)f", x)
    }

    /// Python's `round(x, n)` for floats.
    static func roundHalfEven(_ x: Double, _ n: Int) -> Double {
        guard x.isFinite else { return x }
        if n >= 0 {
            return Double(String(format: "%.\(min(n, 300))f", x)) ?? x
        }
        let scale = pow(10.0, Double(-n))
        return (x / scale).rounded(.toNearestOrEven) * scale
    }

    struct Spec {
        var flags = Set<Character>()
        var width: Int?
        var precision: Int?
        var conversion: Character = "s"
    }

    /// `fmt % args`. `escape` is applied to interpolated text (Markup formatting).
    static func percent(_ fmt: String, _ args: Value, escape: ((String) -> String)?) throws -> String {
        var positional: [Value] = []
        var mapping: Dict?
        // As in CPython: a non-tuple argument that supports indexing (dict, list)
        // is a "mapping", so unused arguments are not an error.
        var indexable = false
        switch args {
        case .tuple(let items): positional = items
        case .dict(let d): mapping = d; positional = [args]; indexable = true
        case .list: positional = [args]; indexable = true
        default: positional = [args]
        }
        var used = 0
        var usedMapping = false
        var out = ""
        let chars = Array(fmt)
        var i = 0
        func next() throws -> Value {
            guard used < positional.count else { throw TemplateError(.type, "not enough arguments for format string") }
            used += 1
            return positional[used - 1]
        }
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else { out.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw TemplateError(.value, "incomplete format") }
            var value: Value?
            if chars[i] == "(" {
                guard let mapping else { throw TemplateError(.type, "format requires a mapping") }
                var depth = 1
                var key = ""
                i += 1
                while i < chars.count {
                    if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1; if depth == 0 { break } }
                    key.append(chars[i])
                    i += 1
                }
                i += 1
                guard let v = mapping[.string(key)] else { throw TemplateError(.type, "KeyError: \(pyStringRepr(key))") }
                value = v
                usedMapping = true
            }
            var spec = Spec()
            while i < chars.count, "-+ #0".contains(chars[i]) { spec.flags.insert(chars[i]); i += 1 }
            if i < chars.count, chars[i] == "*" {
                spec.width = try next().intLike
                i += 1
            } else {
                var w = ""
                while i < chars.count, chars[i].isASCII, chars[i].isNumber { w.append(chars[i]); i += 1 }
                spec.width = Int(w)
            }
            if i < chars.count, chars[i] == "." {
                i += 1
                if i < chars.count, chars[i] == "*" {
                    spec.precision = try next().intLike
                    i += 1
                } else {
                    var p = ""
                    while i < chars.count, chars[i].isASCII, chars[i].isNumber { p.append(chars[i]); i += 1 }
                    spec.precision = Int(p) ?? 0
                }
            }
            while i < chars.count, "hlL".contains(chars[i]) { i += 1 }
            guard i < chars.count else { throw TemplateError(.value, "incomplete format") }
            spec.conversion = chars[i]
            i += 1
            if spec.conversion == "%" { out.append("%"); continue }
            let v = try value ?? next()
            var text = try convert(v, spec)
            if let escape, spec.conversion == "s" || spec.conversion == "r" || spec.conversion == "a", !v.isSafe { text = escape(text) }
            out += pad(text, spec, numeric: "diouxXeEfFgGc".contains(spec.conversion))
        }
        if !indexable && used < positional.count {
            throw TemplateError(.type, "not all arguments converted during string formatting")
        }
        _ = usedMapping
        return out
    }

    static func pad(_ s: String, _ spec: Spec, numeric: Bool) -> String {
        guard let w = spec.width, s.count < w else { return s }
        if spec.flags.contains("-") { return s + String(repeating: " ", count: w - s.count) }
        if spec.flags.contains("0") && numeric && spec.conversion != "c" {
            var body = Substring(s)
            var sign = ""
            if let f = body.first, "+- ".contains(f) { sign = String(f); body = body.dropFirst() }
            var prefix = ""
            if body.hasPrefix("0x") || body.hasPrefix("0X") || body.hasPrefix("0o") { prefix = String(body.prefix(2)); body = body.dropFirst(2) }
            return sign + prefix + String(repeating: "0", count: w - s.count) + body
        }
        return String(repeating: " ", count: w - s.count) + s
    }

    static func convert(_ v: Value, _ spec: Spec) throws -> String {
        func num() throws -> Double {
            if let d = v.numeric { return d }
            throw TemplateError(.type, "must be real number, not \(v.pyTypeName)")
        }
        func sign(_ negative: Bool) -> String {
            negative ? "-" : (spec.flags.contains("+") ? "+" : (spec.flags.contains(" ") ? " " : ""))
        }
        switch spec.conversion {
        case "s":
            let s = try v.str()
            return spec.precision.map { String(s.prefix($0)) } ?? s
        case "r", "a":
            let s = try v.repr()
            return spec.precision.map { String(s.prefix($0)) } ?? s
        case "d", "i", "u":
            let i: Int
            if let x = v.intLike { i = x } else if case .double(let d) = v, d.isFinite { i = Int(d.rounded(.towardZero)) }
            else { throw TemplateError(.type, "%\(spec.conversion) format: a real number is required, not \(v.pyTypeName)") }
            var digits = String(i.magnitude)
            if let p = spec.precision, digits.count < p { digits = String(repeating: "0", count: p - digits.count) + digits }
            return sign(i < 0) + digits
        case "x", "X", "o":
            guard let i = v.intLike else { throw TemplateError(.type, "%\(spec.conversion) format: an integer is required, not \(v.pyTypeName)") }
            var digits = String(i.magnitude, radix: spec.conversion == "o" ? 8 : 16, uppercase: spec.conversion == "X")
            if let p = spec.precision, digits.count < p { digits = String(repeating: "0", count: p - digits.count) + digits }
            if spec.flags.contains("#") { digits = (spec.conversion == "o" ? "0o" : (spec.conversion == "X" ? "0X" : "0x")) + digits }
            return sign(i < 0) + digits
        case "f", "F":
            let d = try num()
            var s = fixed(abs(d), spec.precision ?? 6)
            if spec.conversion == "F" { s = s.uppercased() }
            return sign(d < 0 || (d == 0 && d.sign == .minus)) + s
        case "e", "E":
            let d = try num()
            let s = exponent(abs(d), spec.precision ?? 6, upper: spec.conversion == "E")
            return sign(d < 0) + s
        case "g", "G":
            let d = try num()
            return sign(d < 0) + general(abs(d), spec.precision ?? 6, upper: spec.conversion == "G", alt: spec.flags.contains("#"))
        case "c":
            if let i = v.intLike, let u = Unicode.Scalar(UInt32(clamping: i)) { return String(Character(u)) }
            if case .string(let s) = v, s.count == 1 { return s }
            throw TemplateError(.type, "%c requires an int or a unicode character, not \(v.pyTypeName)")
        default:
            throw TemplateError(.value, "unsupported format character '\(spec.conversion)'")
        }
    }

    static func exponent(_ x: Double, _ precision: Int, upper: Bool) -> String {
        if x.isNaN { return upper ? "NAN" : "nan" }
        if x.isInfinite { return upper ? "INF" : "inf" }
        let s = String(format: upper ? "%.\(precision)E" : "%.\(precision)e", x)
        return s
    }

    /// `%g`: precision significant digits, trailing zeros removed.
    static func general(_ x: Double, _ p0: Int, upper: Bool, alt: Bool = false) -> String {
        if x.isNaN { return upper ? "NAN" : "nan" }
        if x.isInfinite { return upper ? "INF" : "inf" }
        let p = p0 == 0 ? 1 : p0
        return String(format: (alt ? "%#." : "%.") + "\(p)" + (upper ? "G" : "g"), x)
    }

    // MARK: str.format

    static func format(_ fmt: String, _ args: Arguments, _ ctx: RenderContext) throws -> String {
        var out = ""
        let chars = Array(fmt)
        var i = 0
        var auto = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count, chars[i + 1] == "{" { out.append("{"); i += 2; continue }
                var depth = 1
                var field = ""
                i += 1
                while i < chars.count {
                    if chars[i] == "{" { depth += 1 }
                    if chars[i] == "}" { depth -= 1; if depth == 0 { break } }
                    field.append(chars[i])
                    i += 1
                }
                guard i < chars.count else { throw TemplateError(.value, "expected '}' before end of string") }
                i += 1
                var spec = ""
                var conversion: Character?
                if let colon = field.firstIndex(of: ":") {
                    spec = String(field[field.index(after: colon)...])
                    field = String(field[..<colon])
                }
                if let bang = field.firstIndex(of: "!") {
                    conversion = field[field.index(after: bang)...].first
                    field = String(field[..<bang])
                }
                // The field name: index or name, then .attr / [key] parts.
                var nameEnd = field.firstIndex { $0 == "." || $0 == "[" } ?? field.endIndex
                let first = String(field[..<nameEnd])
                var value: Value
                if first.isEmpty {
                    guard auto < args.positional.count else { throw TemplateError(.runtime, "IndexError: Replacement index \(auto) out of range for positional args tuple") }
                    value = args.positional[auto]
                    auto += 1
                } else if let n = Int(first) {
                    guard n < args.positional.count else { throw TemplateError(.runtime, "IndexError: Replacement index \(n) out of range for positional args tuple") }
                    value = args.positional[n]
                } else {
                    guard let v = args.keyword(first) else { throw TemplateError(.runtime, "KeyError: \(pyStringRepr(first))") }
                    value = v
                }
                while nameEnd < field.endIndex {
                    if field[nameEnd] == "." {
                        let start = field.index(after: nameEnd)
                        let end = field[start...].firstIndex { $0 == "." || $0 == "[" } ?? field.endIndex
                        value = try ctx.getattr(value, String(field[start..<end]))
                        nameEnd = end
                    } else {
                        let start = field.index(after: nameEnd)
                        guard let close = field[start...].firstIndex(of: "]") else { throw TemplateError(.value, "Missing ']' in format string") }
                        let key = String(field[start..<close])
                        value = try ctx.getitem(value, Int(key).map { .int($0) } ?? .string(key))
                        nameEnd = field.index(after: close)
                    }
                }
                if conversion == "r" { value = .string(try value.repr()) }
                else if conversion == "s" { value = .string(try value.str()) }
                out += try formatSpec(value, spec)
            } else if c == "}" {
                if i + 1 < chars.count, chars[i + 1] == "}" { out.append("}"); i += 2; continue }
                throw TemplateError(.value, "Single '}' encountered in format string")
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// The format-spec mini-language: [[fill]align][sign][#][0][width][,|_][.precision][type].
    static func formatSpec(_ v: Value, _ spec: String) throws -> String {
        if spec.isEmpty { return try v.str() }
        var s = Array(spec)
        var fill: Character = " "
        var align: Character?
        if s.count >= 2, "<>=^".contains(s[1]) { fill = s[0]; align = s[1]; s.removeFirst(2) }
        else if let f = s.first, "<>=^".contains(f) { align = f; s.removeFirst() }
        var signChar: Character = "-"
        if let f = s.first, "+- ".contains(f) { signChar = f; s.removeFirst() }
        var alt = false
        if s.first == "#" { alt = true; s.removeFirst() }
        if s.first == "0" { if align == nil { fill = "0"; align = "=" }; s.removeFirst() }
        var w = ""
        while let f = s.first, f.isNumber { w.append(f); s.removeFirst() }
        var grouping: Character?
        if let f = s.first, f == "," || f == "_" { grouping = f; s.removeFirst() }
        var precision: Int?
        if s.first == "." {
            s.removeFirst()
            var p = ""
            while let f = s.first, f.isNumber { p.append(f); s.removeFirst() }
            precision = Int(p)
        }
        let type = s.first
        if s.count > 1 { throw TemplateError(.value, "Invalid format specifier") }
        var body: String
        var negative = false
        let isNumber = v.isNumber && !(type == "s")
        switch type {
        case nil where !v.isNumber, "s":
            guard !v.isNumber || type == nil else { throw TemplateError(.value, "Unknown format code 's' for object of type '\(v.pyTypeName)'") }
            body = try v.str()
            if let precision { body = String(body.prefix(precision)) }
        case "d", "n", "x", "X", "o", "b", "c":
            guard let i = v.intLike else { throw TemplateError(.value, "Unknown format code '\(type!)' for object of type '\(v.pyTypeName)'") }
            negative = i < 0
            switch type {
            case "x": body = (alt ? "0x" : "") + String(i.magnitude, radix: 16)
            case "X": body = (alt ? "0X" : "") + String(i.magnitude, radix: 16, uppercase: true)
            case "o": body = (alt ? "0o" : "") + String(i.magnitude, radix: 8)
            case "b": body = (alt ? "0b" : "") + String(i.magnitude, radix: 2)
            case "c": body = Unicode.Scalar(UInt32(clamping: i)).map { String(Character($0)) } ?? ""
            default: body = String(i.magnitude)
            }
        case "f", "F", "e", "E", "g", "G", "%":
            guard let d = v.numeric else { throw TemplateError(.value, "Unknown format code '\(type!)' for object of type '\(v.pyTypeName)'") }
            negative = d < 0 || (d == 0 && d.sign == .minus)
            let x = abs(d)
            switch type {
            case "f", "F": body = fixed(x, precision ?? 6)
            case "e", "E": body = exponent(x, precision ?? 6, upper: type == "E")
            case "%": body = fixed(x * 100, precision ?? 6) + "%"
            default: body = general(x, precision ?? 6, upper: type == "G", alt: alt)
            }
        case nil:
            // Numbers without a type: ints as d, floats as repr (or g-like with precision).
            if case .double(let d) = v {
                negative = d < 0
                body = precision.map { general(abs(d), $0, upper: false) } ?? pyFloatRepr(abs(d))
            } else if let i = v.intLike {
                negative = i < 0
                body = String(i.magnitude)
            } else {
                body = try v.str()
            }
        default:
            throw TemplateError(.value, "Unknown format code '\(type!)' for object of type '\(v.pyTypeName)'")
        }
        if let grouping, isNumber {
            var parts = body.split(separator: ".", maxSplits: 1).map(String.init)
            var digits = Array(parts[0])
            var grouped = ""
            while digits.count > 3 {
                grouped = String(grouping) + String(digits.suffix(3)) + grouped
                digits.removeLast(3)
            }
            parts[0] = String(digits) + grouped
            body = parts.joined(separator: ".")
        }
        var signText = ""
        if isNumber {
            signText = negative ? "-" : (signChar == "+" ? "+" : (signChar == " " ? " " : ""))
        }
        let width = Int(w) ?? 0
        let total = signText.count + body.count
        guard total < width else { return signText + body }
        let padCount = width - total
        switch align ?? (isNumber ? ">" : "<") {
        case "<": return signText + body + String(repeating: fill, count: padCount)
        case "^":
            let left = padCount / 2
            return String(repeating: fill, count: left) + signText + body + String(repeating: fill, count: padCount - left)
        case "=": return signText + String(repeating: fill, count: padCount) + body
        default: return String(repeating: fill, count: padCount) + signText + body
        }
    }
}

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

/// Python's `pprint.pformat` (width 80): dicts sorted by key; a value whose repr is
/// too long is split one item per line, the way pprint lays out containers.
enum PrettyPrint {
    static func format(_ v: Value) throws -> String {
        try layout(v, indent: 0, room: 80)
    }

    static func flat(_ v: Value) throws -> String {
        switch v {
        case .dict(let d):
            let pairs = try sortedPairs(d)
            return "{" + (try pairs.map { try flat($0.0) + ": " + flat($0.1) }).joined(separator: ", ") + "}"
        case .list(let items): return "[" + (try items.map(flat)).joined(separator: ", ") + "]"
        case .tuple(let items):
            if items.count == 1 { return "(" + (try flat(items[0])) + ",)" }
            return "(" + (try items.map(flat)).joined(separator: ", ") + ")"
        default: return try v.repr()
        }
    }

    static func sortedPairs(_ d: Dict) throws -> [(Value, Value)] {
        var failure: Error?
        let sorted = d.pairs.sorted { a, b in
            do { return try a.0.pyCompare(b.0) < 0 } catch { failure = error; return false }
        }
        if failure != nil { return d.pairs } // pprint falls back to a safe order for mixed keys
        return sorted
    }

    static func layout(_ v: Value, indent: Int, room: Int) throws -> String {
        let text = try flat(v)
        if text.count <= room { return text }
        let pad = String(repeating: " ", count: indent + 1)
        switch v {
        case .list(let items) where !items.isEmpty:
            return "[" + (try items.enumerated().map { i, x in
                try layout(x, indent: indent + 1, room: room - 1 - (i == items.count - 1 ? 1 : 1))
            }).joined(separator: ",\n" + pad) + "]"
        case .tuple(let items) where items.count > 1:
            return "(" + (try items.map { try layout($0, indent: indent + 1, room: room - 2) }).joined(separator: ",\n" + pad) + ")"
        case .dict(let d) where d.count > 0:
            let pairs = try sortedPairs(d)
            return "{" + (try pairs.map { k, val in
                let key = try k.repr() + ": "
                return key + (try layout(val, indent: indent + 1 + key.count, room: room - 1 - key.count - 1))
            }).joined(separator: ",\n" + pad) + "}"
        default:
            return text
        }
    }
}
