import BigInt

/// How values print, compare, test true and iterate: Python's rules.
extension Value {
    /// `bool(value)`. Raises for strict undefined values.
    public func truthy() throws -> Bool {
        switch self {
        case .undefined(let u):
            if u.strict { throw u.error() }
            return false
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .bigint: return true
        case .double(let d): return d != 0
        case .string(let s), .markup(let s): return !s.isEmpty
        case .list(let l), .tuple(let l): return !l.isEmpty
        case .dict(let d): return d.count > 0
        case .object(let o): return o.isTruthy
        case .function: return true
        }
    }

    /// `str(value)`.
    public func str() throws -> String {
        switch self {
        case .undefined(let u):
            if u.strict { throw u.error() }
            return ""
        case .string(let s), .markup(let s): return s
        case .int(let i): return String(i)
        case .object(let o): return o.stringValue
        default: return try repr()
        }
    }

    /// `repr(value)` (strings quoted), used for items inside containers.
    public func repr() throws -> String {
        switch self {
        // StrictUndefined keeps Undefined's __repr__: only str, iteration, comparison
        // and hashing fail.
        case .undefined: return "Undefined"
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigint(let b): return try bigIntString(b)
        case .double(let d): return pyFloatRepr(d)
        case .string(let s): return pyStringRepr(s)
        case .markup(let s): return "Markup(\(pyStringRepr(s)))"
        case .list(let items): return "[" + (try items.map { try $0.repr() }).joined(separator: ", ") + "]"
        case .tuple(let items):
            if items.count == 1 { return "(" + (try items[0].repr()) + ",)" }
            return "(" + (try items.map { try $0.repr() }).joined(separator: ", ") + ")"
        case .dict(let d):
            return "{" + (try d.pairs.map { try $0.0.repr() + ": " + $0.1.repr() }).joined(separator: ", ") + "}"
        case .object(let o): return o.reprValue
        case .function(let f): return "<function \(f.name)>"
        }
    }

    /// Python `==`: strings by code points, numbers by exact value across types.
    public func pyEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case let (.int(a), .int(b)): return a == b
        case let (.string(a), .string(b)), let (.markup(a), .markup(b)),
             let (.string(a), .markup(b)), let (.markup(a), .string(b)): return pyStringsEqual(a, b)
        case (.undefined, .undefined): return true
        case (.none, .none): return true
        case let (.list(a), .list(b)), let (.tuple(a), .tuple(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.pyEquals($1) }
        case let (.dict(a), .dict(b)):
            guard a.count == b.count else { return false }
            for (k, v) in a.pairs {
                guard let w = b[k], v.pyEquals(w) else { return false }
            }
            return true
        case (.object(let o), _): return o.equals(other)
        case (_, .object(let o)): return o.equals(self)
        case let (.function(a), .function(b)): return a === b
        default:
            return Numbers.compare(self, other) == 0
        }
    }

    /// Python ordering: -1, 0 or 1; TypeError for unorderable pairs. NaN compares as
    /// unordered: `pyLess` and friends say false for it.
    public func pyCompare(_ other: Value, op: String = "<") throws -> Int {
        switch (self, other) {
        case let (.int(a), .int(b)): return a < b ? -1 : (a == b ? 0 : 1)
        case let (.string(a), .string(b)), let (.markup(a), .markup(b)),
             let (.string(a), .markup(b)), let (.markup(a), .string(b)):
            return pyStringCompare(a, b)
        case let (.list(a), .list(b)), let (.tuple(a), .tuple(b)):
            for (x, y) in zip(a, b) where !x.pyEquals(y) { return try x.pyCompare(y, op: op) }
            return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
        case (.object(let o), _):
            if let c = o.compare(other) { return c }
        case (_, .object(let o)):
            if let c = o.compare(self) { return -c }
        case (.undefined(let u), _): throw u.error()
        case (_, .undefined(let u)): throw u.error()
        default:
            if self.isNumber && other.isNumber {
                // Unordered (NaN) sorts as "not less", like Python's comparisons.
                return Numbers.compare(self, other) ?? 1
            }
        }
        throw TemplateError(.type, "'\(op)' not supported between instances of '\(pyTypeName)' and '\(other.pyTypeName)'")
    }

    /// The items `for` walks over, as Python's `iter()` would give them: a string
    /// gives its code points.
    public func iterate() throws -> [Value] {
        switch self {
        case .undefined(let u):
            if u.strict { throw u.error() }
            return []
        case .list(let l), .tuple(let l): return l
        case .dict(let d): return d.keys
        case .string(let s), .markup(let s): return s.unicodeScalars.map { .string(String($0)) } // Markup iterates as plain str
        case .object(let o):
            if let items = o.iterate() { return items }
        default: break
        }
        throw TemplateError(.type, "'\(pyTypeName)' object is not iterable")
    }

    /// `len(value)`: code points for strings.
    public func length() throws -> Int {
        switch self {
        case .string(let s), .markup(let s): return PyText.length(s)
        case .list(let l), .tuple(let l): return l.count
        case .dict(let d): return d.count
        case .undefined(let u):
            if u.strict { throw u.error() }
            return 0
        case .object(let o):
            if let items = o.iterate() { return items.count }
        default: break
        }
        throw TemplateError(.type, "object of type '\(pyTypeName)' has no len()")
    }

    /// The number behind bools, ints and floats (big integers approximately).
    var numeric: Double? {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .bigint(let b): return Double(b)
        case .double(let d): return d
        default: return nil
        }
    }

    var isStringLike: Bool {
        switch self {
        case .string, .markup: return true
        default: return false
        }
    }

    var isNumber: Bool {
        switch self {
        case .bool, .int, .bigint, .double: return true
        default: return false
        }
    }

    /// A number Python prints with a leading minus sign (-0.0 included).
    var isNegativeNumber: Bool {
        switch self {
        case .int(let i): return i < 0
        case .bigint(let b): return b.signum() < 0
        case .double(let d): return d.sign == .minus && !d.isNaN
        default: return false
        }
    }

    /// Ints and bools as Python ints, when they fit in `Int`.
    var intLike: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Ints and bools as Python ints, whatever their size.
    var bigIntLike: BigInt? {
        switch self {
        case .int(let i): return BigInt(i)
        case .bool(let b): return b ? 1 : 0
        case .bigint(let b): return b
        default: return nil
        }
    }

    /// An integer argument for sizes and counts: big integers clamp to `Int`'s range
    /// (sizes that large fail the size limits anyway).
    var clampedInt: Int? {
        if let i = intLike { return i }
        if case .bigint(let b) = self { return b.signum() < 0 ? Int.min : Int.max }
        return nil
    }

    /// Bools index like ints.
    var normalizedIndex: Value {
        if case .bool(let b) = self { return .int(b ? 1 : 0) }
        return self
    }
}

/// Python refuses to print integers of more than 4,300 digits (CPython 3.11's
/// `sys.int_info.default_max_str_digits`), and so do we.
let maxIntDigits = 4300

func bigIntString(_ b: BigInt, radix: Int = 10) throws -> String {
    if radix == 10 && b.magnitude.bitWidth > 14_000 {
        let s = String(b)
        let digits = s.hasPrefix("-") ? s.utf8.count - 1 : s.utf8.count
        if digits > maxIntDigits {
            throw TemplateError(.value, "Exceeds the limit (\(maxIntDigits) digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit")
        }
        return s
    }
    return String(b, radix: radix)
}
