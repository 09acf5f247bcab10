import BigInt
import Foundation

/// Python's `%` formatting and float formatting.
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
            if n > 320 { return x }
            return Double(String(format: "%.\(n)f", x)) ?? x
        }
        if n < -320 { return copysign(0, x) }
        let scale = pow(10.0, Double(-n))
        return (x / scale).rounded(.toNearestOrEven) * scale
    }

    struct Spec {
        var flags = Set<Character>()
        var width: Int?
        var precision: Int?
        var conversion: Character = "s"
    }

    /// A width or precision from the format or from `*`: sizes beyond the value size
    /// limit are refused before anything is built.
    static func checkedSize(_ n: Int?, _ ctx: RenderContext) throws -> Int? {
        guard let n else { return nil }
        if n > ctx.environment.limits.maxValueSize {
            throw TemplateError(.limit, "format width or precision too large: \(n) (the limit is \(ctx.environment.limits.maxValueSize))")
        }
        return n
    }

    /// `fmt % args`. `escape` is applied to interpolated text (Markup formatting).
    static func percent(_ fmt: String, _ args: Value, escape: ((String) -> String)?, _ ctx: RenderContext) throws -> String {
        var positional: [Value] = []
        var mapping: Dict?
        // As in CPython: a non-tuple argument that supports indexing (dict, list)
        // is a "mapping", so unused arguments are not an error.
        var indexable = false
        switch args {
        case .tuple(let items): positional = items
        case .dict(let d): mapping = d; positional = [args]; indexable = true
        case .list, .undefined: positional = [args]; indexable = true
        default: positional = [args]
        }
        var used = 0
        var out = ""
        let chars = Array(fmt.unicodeScalars)
        var i = 0
        func next() throws -> Value {
            guard used < positional.count else { throw TemplateError(.type, "not enough arguments for format string") }
            used += 1
            return positional[used - 1]
        }
        func number(_ v: Value) throws -> Int {
            guard let n = v.clampedInt else { throw TemplateError(.type, "* wants int") }
            return n
        }
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else { out.unicodeScalars.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw TemplateError(.value, "incomplete format") }
            var value: Value?
            if chars[i] == "(" {
                guard let mapping else { throw TemplateError(.type, "format requires a mapping") }
                var depth = 1
                var key = String.UnicodeScalarView()
                i += 1
                while i < chars.count {
                    if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1; if depth == 0 { break } }
                    key.append(chars[i])
                    i += 1
                }
                guard i < chars.count else { throw TemplateError(.value, "incomplete format key") }
                i += 1
                guard let v = mapping[.string(String(key))] else { throw TemplateError(.type, "KeyError: \(pyStringRepr(String(key)))") }
                value = v
            }
            var spec = Spec()
            while i < chars.count, "-+ #0".unicodeScalars.contains(chars[i]) { spec.flags.insert(Character(chars[i])); i += 1 }
            if i < chars.count, chars[i] == "*" {
                var w = try number(try next())
                if w < 0 { spec.flags.insert("-"); w = -w }
                spec.width = try checkedSize(w, ctx)
                i += 1
            } else {
                var w = ""
                while i < chars.count, chars[i].isASCII, ("0"..."9").contains(chars[i]) { w.unicodeScalars.append(chars[i]); i += 1 }
                spec.width = try checkedSize(w.isEmpty ? nil : (Int(w) ?? Int.max), ctx)
            }
            if i < chars.count, chars[i] == "." {
                i += 1
                if i < chars.count, chars[i] == "*" {
                    spec.precision = try checkedSize(max(0, try number(try next())), ctx)
                    i += 1
                } else {
                    var p = ""
                    while i < chars.count, chars[i].isASCII, ("0"..."9").contains(chars[i]) { p.unicodeScalars.append(chars[i]); i += 1 }
                    spec.precision = try checkedSize(p.isEmpty ? 0 : (Int(p) ?? Int.max), ctx)
                }
            }
            while i < chars.count, "hlL".unicodeScalars.contains(chars[i]) { i += 1 }
            guard i < chars.count else { throw TemplateError(.value, "incomplete format") }
            spec.conversion = Character(chars[i])
            i += 1
            if spec.conversion == "%" { out.append("%"); continue }
            let v = try value ?? next()
            var text = try convert(v, spec)
            if let escape, spec.conversion == "s" || spec.conversion == "r" || spec.conversion == "a", !v.isSafe { text = escape(text) }
            out += pad(text, spec, numeric: "diouxXeEfFgGc".contains(spec.conversion))
            try ctx.reserve(out.utf8.count, "formatted string")
        }
        if !indexable && used < positional.count {
            throw TemplateError(.type, "not all arguments converted during string formatting")
        }
        return out
    }

    static func pad(_ s: String, _ spec: Spec, numeric: Bool) -> String {
        let n = PyText.length(s)
        guard let w = spec.width, n < w else { return s }
        if spec.flags.contains("-") { return s + String(repeating: " ", count: w - n) }
        if spec.flags.contains("0") && numeric && spec.conversion != "c" {
            var body = Substring(s)
            var sign = ""
            if let f = body.first, "+- ".contains(f) { sign = String(f); body = body.dropFirst() }
            var prefix = ""
            if body.hasPrefix("0x") || body.hasPrefix("0X") || body.hasPrefix("0o") { prefix = String(body.prefix(2)); body = body.dropFirst(2) }
            return sign + prefix + String(repeating: "0", count: w - n) + body
        }
        return String(repeating: " ", count: w - n) + s
    }

    static func convert(_ v: Value, _ spec: Spec) throws -> String {
        func num() throws -> Double {
            if v.isNumber { return try Numbers.toDouble(v) }
            throw TemplateError(.type, "must be real number, not \(v.pyTypeName)")
        }
        func sign(_ negative: Bool) -> String {
            negative ? "-" : (spec.flags.contains("+") ? "+" : (spec.flags.contains(" ") ? " " : ""))
        }
        func integerDigits(_ i: BigInt, radix: Int, upper: Bool = false) throws -> String {
            var digits = try bigIntString(BigInt(i.magnitude), radix: radix)
            if upper { digits = digits.uppercased() }
            if let p = spec.precision, digits.count < p { digits = String(repeating: "0", count: p - digits.count) + digits }
            return digits
        }
        switch spec.conversion {
        case "s":
            let s = try v.str()
            return spec.precision.map { PyText.string(s.unicodeScalars.prefix($0)) } ?? s
        case "r", "a":
            let s = try v.repr()
            return spec.precision.map { PyText.string(s.unicodeScalars.prefix($0)) } ?? s
        case "d", "i", "u":
            let i: BigInt
            if let x = v.bigIntLike { i = x } else if case .double(let d) = v, d.isFinite { i = BigInt(d.rounded(.towardZero)) }
            else if case .double = v { throw TemplateError(.value, "cannot convert float infinity or NaN to integer") }
            else { throw TemplateError(.type, "%\(spec.conversion) format: a real number is required, not \(v.pyTypeName)") }
            return sign(i.signum() < 0) + (try integerDigits(i, radix: 10))
        case "x", "X", "o":
            guard let i = v.bigIntLike else { throw TemplateError(.type, "%\(spec.conversion) format: an integer is required, not \(v.pyTypeName)") }
            var digits = try integerDigits(i, radix: spec.conversion == "o" ? 8 : 16, upper: spec.conversion == "X")
            if spec.flags.contains("#") { digits = (spec.conversion == "o" ? "0o" : (spec.conversion == "X" ? "0X" : "0x")) + digits }
            return sign(i.signum() < 0) + digits
        case "f", "F":
            let d = try num()
            var s = fixed(abs(d), spec.precision ?? 6)
            if spec.conversion == "F" { s = s.uppercased() }
            return sign(d < 0 || (d == 0 && d.sign == .minus)) + s
        case "e", "E":
            let d = try num()
            return sign(d < 0 || (d == 0 && d.sign == .minus)) + exponent(abs(d), spec.precision ?? 6, upper: spec.conversion == "E")
        case "g", "G":
            let d = try num()
            return sign(d < 0 || (d == 0 && d.sign == .minus)) + general(abs(d), spec.precision ?? 6, upper: spec.conversion == "G", alt: spec.flags.contains("#"))
        case "c":
            if let i = v.clampedInt {
                guard i >= 0, i < 0x110000 else { throw TemplateError(.value, "%c arg not in range(0x110000)") }
                return Unicode.Scalar(UInt32(i)).map { String($0) } ?? "\u{FFFD}"
            }
            if case .string(let s) = v, PyText.length(s) == 1 { return s }
            throw TemplateError(.type, "%c requires an int or a unicode character, not \(v.pyTypeName)")
        default:
            throw TemplateError(.value, "unsupported format character '\(spec.conversion)'")
        }
    }

    static func exponent(_ x: Double, _ precision: Int, upper: Bool) -> String {
        if x.isNaN { return upper ? "NAN" : "nan" }
        if x.isInfinite { return upper ? "INF" : "inf" }
        return String(format: upper ? "%.\(precision)E" : "%.\(precision)e", x)
    }

    /// `%g`: precision significant digits, trailing zeros removed.
    static func general(_ x: Double, _ p0: Int, upper: Bool, alt: Bool = false) -> String {
        if x.isNaN { return upper ? "NAN" : "nan" }
        if x.isInfinite { return upper ? "INF" : "inf" }
        let p = p0 == 0 ? 1 : p0
        return String(format: (alt ? "%#." : "%.") + "\(p)" + (upper ? "G" : "g"), x)
    }
}
