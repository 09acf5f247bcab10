import Foundation
import BigInt

/// Python's `str.format` and its format-spec mini-language.
extension PyFormat {
    static func format(_ fmt: String, _ args: Arguments, _ ctx: RenderContext) throws -> String {
        var out = ""
        let chars = Array(fmt.unicodeScalars).map(Character.init)
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
                out += try formatSpec(value, spec, ctx)
                try ctx.reserve(out.utf8.count, "formatted string")
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
    static func formatSpec(_ v: Value, _ spec: String, _ ctx: RenderContext) throws -> String {
        if spec.isEmpty { return try v.str() }
        var s = Array(spec.unicodeScalars).map(Character.init)
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
        while let f = s.first, f.isASCII, f.isNumber { w.append(f); s.removeFirst() }
        var grouping: Character?
        if let f = s.first, f == "," || f == "_" { grouping = f; s.removeFirst() }
        var precision: Int?
        if s.first == "." {
            s.removeFirst()
            var p = ""
            while let f = s.first, f.isASCII, f.isNumber { p.append(f); s.removeFirst() }
            precision = try checkedSize(p.isEmpty ? nil : (Int(p) ?? Int.max), ctx)
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
            if let precision { body = PyText.string(body.unicodeScalars.prefix(precision)) }
        case "d", "n", "x", "X", "o", "b", "c":
            guard let i = v.bigIntLike else { throw TemplateError(.value, "Unknown format code '\(type!)' for object of type '\(v.pyTypeName)'") }
            negative = i.signum() < 0
            let m = BigInt(i.magnitude)
            switch type {
            case "x": body = (alt ? "0x" : "") + (try bigIntString(m, radix: 16))
            case "X": body = (alt ? "0X" : "") + (try bigIntString(m, radix: 16)).uppercased()
            case "o": body = (alt ? "0o" : "") + (try bigIntString(m, radix: 8))
            case "b": body = (alt ? "0b" : "") + (try bigIntString(m, radix: 2))
            case "c":
                guard let c = Int(exactly: i), c >= 0, c < 0x110000 else { throw TemplateError(.value, "%c arg not in range(0x110000)") }
                body = Unicode.Scalar(UInt32(c)).map { String($0) } ?? "\u{FFFD}"
            default: body = try bigIntString(m)
            }
        case "f", "F", "e", "E", "g", "G", "%":
            guard v.isNumber else { throw TemplateError(.value, "Unknown format code '\(type!)' for object of type '\(v.pyTypeName)'") }
            let d = try Numbers.toDouble(v)
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
            } else if let i = v.bigIntLike {
                negative = i.signum() < 0
                body = try bigIntString(BigInt(i.magnitude))
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
        let width = try checkedSize(w.isEmpty ? 0 : (Int(w) ?? Int.max), ctx) ?? 0
        let total = signText.count + PyText.length(body)
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
