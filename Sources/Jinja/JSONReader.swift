import BigInt

/// Reads JSON into template values as Python's `json.loads` would: objects keep their
/// key order (a repeated key keeps its first place and its last value), integers
/// have no size limit, numbers with a fraction or exponent are floats, and `NaN`,
/// `Infinity` and `-Infinity` are accepted.
public enum JSONReader {
    /// A JSON object as template variables.
    public static func context(_ text: String) throws -> [String: Value] {
        guard case .dict(let d) = try value(text) else {
            throw TemplateError(.value, "the context must be a JSON object", line: 1, column: 1)
        }
        var out: [String: Value] = [:]
        for (k, v) in d.pairs { out[try k.str()] = v }
        return out
    }

    public static func value(_ text: String) throws -> Value {
        try withBytes(text) { bytes in
            var p = Parser(b: bytes)
            p.skipSpace()
            let v = try p.value(depth: 0)
            p.skipSpace()
            if p.i < bytes.count { throw p.error("extra data") }
            return v
        }
    }

    /// Nesting beyond this is refused (Python's json gives up near its recursion limit).
    static let maxDepth = 500

    struct Parser {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        func error(_ what: String) -> TemplateError {
            var line = 1, column = 1
            for k in 0..<min(i, b.count) {
                if b[k] == 0x0A { line += 1; column = 1 } else if b[k] & 0xC0 != 0x80 { column += 1 }
            }
            return TemplateError(.value, "invalid JSON: \(what)", line: line, column: column)
        }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        mutating func literal(_ word: String, _ v: Value) throws -> Value {
            for c in word.utf8 {
                guard i < b.count, b[i] == c else { throw error("expecting value") }
                i += 1
            }
            return v
        }

        mutating func value(depth: Int) throws -> Value {
            guard depth < JSONReader.maxDepth else { throw error("nested too deeply") }
            guard i < b.count else { throw error("expecting value") }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1
                var pairs: [(Value, Value)] = []
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .dict(Dict()) }
                while true {
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw error("expecting property name enclosed in double quotes") }
                    let key = try string()
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { throw error("expecting ':' delimiter") }
                    i += 1
                    skipSpace()
                    pairs.append((.string(key), try value(depth: depth + 1)))
                    skipSpace()
                    guard i < b.count else { throw error("expecting ',' delimiter") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "}") { i += 1; return .dict(Dict(pairs: pairs)) }
                    throw error("expecting ',' delimiter")
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [Value] = []
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .list([]) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < b.count else { throw error("expecting ',' delimiter") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
                    throw error("expecting ',' delimiter")
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .none)
            case UInt8(ascii: "N"): return try literal("NaN", .double(.nan))
            case UInt8(ascii: "I"): return try literal("Infinity", .double(.infinity))
            default: return try number()
            }
        }

        mutating func number() throws -> Value {
            let start = i
            if i < b.count, b[i] == UInt8(ascii: "-") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "I") { return try literal("Infinity", .double(-.infinity)) }
            }
            func digits() -> Int {
                let s = i
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                return i - s
            }
            let intDigits = digits()
            guard intDigits > 0 else { i = start; throw error("expecting value") }
            if intDigits > 1 && b[i - intDigits] == 0x30 { i = start; throw error("leading zeros") }
            var isFloat = false
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                guard digits() > 0 else { throw error("expecting digits after '.'") }
                isFloat = true
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { throw error("expecting exponent digits") }
                isFloat = true
            }
            let text = makeString(UnsafeBufferPointer(rebasing: b[start..<i]))
            if isFloat { return .double(Double(text) ?? .nan) }
            if let v = Int(text) { return .int(v) }
            guard intDigits <= maxIntDigits, let big = BigInt(text) else {
                throw error("Exceeds the limit (\(maxIntDigits) digits) for integer string conversion")
            }
            return .integer(big)
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= b.count else { throw error("invalid \\uXXXX escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = b[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw error("invalid \\uXXXX escape")
                }
                v = v * 16 + d
                i += 1
            }
            return v
        }

        mutating func string() throws -> String {
            i += 1 // the opening quote
            var out = ByteBuilder(capacity: 16)
            var runStart = i
            while true {
                guard i < b.count else { throw error("unterminated string") }
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    out.append(b[runStart..<i])
                    i += 1
                    return out.string
                }
                if c < 0x20 { throw error("invalid control character") }
                if c != UInt8(ascii: "\\") { i += 1; continue }
                out.append(b[runStart..<i])
                i += 1
                guard i < b.count else { throw error("unterminated string") }
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var v = try hex4()
                    if v >= 0xD800 && v < 0xDC00, i + 6 <= b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low < 0xE000 { v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00) } else { i = save }
                    }
                    // A lone surrogate (valid in Python, not in Swift) becomes U+FFFD.
                    out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
                default: throw error("invalid \\escape")
                }
                runStart = i
            }
        }
    }
}
