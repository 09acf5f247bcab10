import Foundation

/// A value inside a template. Values behave like the Python objects Jinja2 would see:
/// they print, compare, test true and iterate the way Python's do.
public enum Value {
    case undefined(Undefined)
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// A string marked safe for HTML (Jinja2's `Markup`).
    case markup(String)
    case list([Value])
    case tuple([Value])
    case dict(Dict)
    /// A host object (event, datetime, namespace, loop, …).
    case object(any JinjaObject)
    case function(Function)
}

/// Why a value is missing. Printing it gives "" (or an error under strict mode);
/// looking into it is an error that says what was missing.
///
/// A class, so that `Value` stays two words wide (copies of values are the hot path).
public final class Undefined: Sendable {
    public let name: String?
    /// Jinja2's hint, e.g. "'dict object' has no attribute 'x'".
    public let hint: String?
    public let strict: Bool

    public init(name: String? = nil, hint: String? = nil, strict: Bool = false) {
        self.name = name
        self.hint = hint
        self.strict = strict
    }

    public var message: String {
        if let hint { return hint }
        if let name { return "'\(name)' is undefined" }
        return "'undefined' is undefined"
    }

    func error() -> TemplateError { TemplateError(.undefined, message) }
}

/// Objects the host application passes to templates.
public protocol JinjaObject: AnyObject {
    /// Python-style type description for errors: "Maintenance object".
    var typeName: String { get }
    /// `obj.name`; nil when the object has no such attribute.
    func attribute(_ name: String) -> Value?
    /// `obj[key]`; by default the attribute of that name.
    func item(_ key: Value) -> Value?
    /// `str(obj)`.
    var stringValue: String { get }
    /// `repr(obj)`, used inside lists and dicts.
    var reprValue: String { get }
    /// The items `for` walks over; nil when not iterable.
    func iterate() -> [Value]?
    var isTruthy: Bool { get }
    /// Ordering against another value: -1, 0, 1, or nil when not comparable.
    func compare(_ other: Value) -> Int?
    func equals(_ other: Value) -> Bool
    /// Calling the object; nil when it is not callable.
    func call(_ args: Arguments, _ ctx: RenderContext) throws -> Value?
    /// Assigning an attribute (`{% set ns.x = 1 %}`); false when refused.
    func setAttribute(_ name: String, _ value: Value) -> Bool
}

extension JinjaObject {
    public func item(_ key: Value) -> Value? {
        if case .string(let s) = key { return attribute(s) }
        return nil
    }
    public var reprValue: String { stringValue }
    public func iterate() -> [Value]? { nil }
    public var isTruthy: Bool { true }
    public func compare(_ other: Value) -> Int? { nil }
    public func equals(_ other: Value) -> Bool {
        if case .object(let o) = other { return o === self }
        return false
    }
    public func call(_ args: Arguments, _ ctx: RenderContext) throws -> Value? { nil }
    public func setAttribute(_ name: String, _ value: Value) -> Bool { false }
}

/// A callable value: a builtin global, a macro, a bound method.
public final class Function {
    public let name: String
    let body: (Arguments, RenderContext) throws -> Value
    /// Macros keep their signature for `caller`, `varargs` and attribute access.
    let macro: MacroInfo?

    public init(name: String, _ body: @escaping (Arguments, RenderContext) throws -> Value) {
        self.name = name
        self.body = body
        self.macro = nil
    }

    init(name: String, macro: MacroInfo, _ body: @escaping (Arguments, RenderContext) throws -> Value) {
        self.name = name
        self.body = body
        self.macro = macro
    }
}

struct MacroInfo {
    var arguments: [String]
    var catchKwargs: Bool
    var catchVarargs: Bool
    var caller: Bool
}

/// Positional and keyword arguments of a call.
public struct Arguments {
    public var positional: [Value]
    public var keywords: [(String, Value)]

    public init(_ positional: [Value] = [], keywords: [(String, Value)] = []) {
        self.positional = positional
        self.keywords = keywords
    }

    public subscript(_ i: Int) -> Value? { i < positional.count ? positional[i] : nil }

    public func keyword(_ name: String) -> Value? {
        keywords.last { $0.0 == name }?.1
    }

    /// Binds arguments to a Python-style signature; the result is in parameter order,
    /// nil where the caller gave nothing.
    public func bind(_ function: String, _ params: [String], allowExtraKeywords: Bool = false) throws -> [Value?] {
        if keywords.isEmpty && positional.count <= params.count {
            // The common case: positional arguments only.
            var out = [Value?](repeating: nil, count: params.count)
            for (i, v) in positional.enumerated() { out[i] = v }
            return out
        }
        if positional.count > params.count {
            throw TemplateError(.type, "\(function)() takes at most \(params.count) argument\(params.count == 1 ? "" : "s") (\(positional.count) given)")
        }
        var out: [Value?] = positional.map { Optional($0) } + Array(repeating: nil, count: params.count - positional.count)
        for (k, v) in keywords {
            guard let i = params.firstIndex(of: k) else {
                if allowExtraKeywords { continue }
                throw TemplateError(.type, "\(function)() got an unexpected keyword argument '\(k)'")
            }
            if out[i] != nil && i < positional.count {
                throw TemplateError(.type, "\(function)() got multiple values for argument '\(k)'")
            }
            out[i] = v
        }
        return out
    }
}

/// A Python dict: insertion-ordered, keyed by hashable values. String keys (nearly
/// all of them) have their own index, which hashes faster than `Value`.
public struct Dict {
    /// The entries live in a class with copy-on-write, so that `Value` stays two words
    /// wide (copies of values are the hot path).
    private final class Storage {
        var keys: [Value] = []
        var values: [Value] = []
        var stringIndex: [String: Int] = [:]
        var otherIndex: [Value: Int] = [:]

        init() {}

        init(copying other: Storage) {
            keys = other.keys
            values = other.values
            stringIndex = other.stringIndex
            otherIndex = other.otherIndex
        }
    }

    private var storage = Storage()

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
        return storage
    }

    public var keys: [Value] { storage.keys }
    public var values: [Value] { storage.values }
    private var stringIndex: [String: Int] { storage.stringIndex }
    private var otherIndex: [Value: Int] { storage.otherIndex }

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        for (k, v) in pairs { self[.string(k)] = v }
    }

    public init(pairs: [(Value, Value)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { keys.count }

    private func slot(_ key: Value) -> Int? {
        switch key {
        case .string(let s), .markup(let s): return slot(s)
        default: return otherIndex[key]
        }
    }

    /// Small dicts are searched linearly; comparing short strings beats hashing them.
    private func slot(_ name: String) -> Int? {
        let keys = storage.keys
        if keys.count <= 8 {
            let count = name.utf8.count
            for i in keys.indices {
                switch keys[i] {
                case .string(let k), .markup(let k): if k.utf8.count == count && k == name { return i }
                default: continue
                }
            }
            return nil
        }
        return stringIndex[name]
    }

    public subscript(key: Value) -> Value? {
        get { slot(key).map { storage.values[$0] } }
        set {
            if let i = slot(key) {
                if let newValue { unique().values[i] = newValue } else { remove(at: i) }
            } else if let newValue {
                let s = unique()
                switch key {
                case .string(let k), .markup(let k): s.stringIndex[k] = s.keys.count
                default: s.otherIndex[key] = s.keys.count
                }
                s.keys.append(key)
                s.values.append(newValue)
            }
        }
    }

    public subscript(name: String) -> Value? {
        get { slot(name).map { storage.values[$0] } }
        set { self[.string(name)] = newValue }
    }

    private mutating func remove(at i: Int) {
        let s = unique()
        s.keys.remove(at: i)
        s.values.remove(at: i)
        s.stringIndex = [:]
        s.otherIndex = [:]
        for (j, k) in s.keys.enumerated() {
            switch k {
            case .string(let name), .markup(let name): s.stringIndex[name] = j
            default: s.otherIndex[k] = j
            }
        }
    }

    public var pairs: [(Value, Value)] { Array(zip(keys, values)) }
}

extension Value: Hashable {
    public static func == (a: Value, b: Value) -> Bool { a.pyEquals(b) }

    public func hash(into h: inout Hasher) {
        switch self {
        case .none: h.combine(0)
        case .bool(let b): h.combine(b ? 1.0 : 0.0)
        case .int(let i): h.combine(Double(i))
        case .double(let d): h.combine(d)
        case .string(let s), .markup(let s): h.combine(s)
        case .tuple(let items), .list(let items): h.combine(items)
        case .undefined: h.combine(-1)
        case .dict(let d): h.combine(d.count)
        case .object(let o): h.combine(ObjectIdentifier(o))
        case .function(let f): h.combine(ObjectIdentifier(f))
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
                 ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral s: String) { self = .string(s) }
    public init(integerLiteral i: Int) { self = .int(i) }
    public init(booleanLiteral b: Bool) { self = .bool(b) }
    public init(floatLiteral d: Double) { self = .double(d) }
    public init(arrayLiteral items: Value...) { self = .list(items) }
    public init(nilLiteral: ()) { self = .none }
}

// MARK: - Python behaviour

extension Value {
    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    public var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    /// Python's type name, as in "'int' object" messages.
    public var pyTypeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .markup: return "Markup"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .object(let o): return o.typeName.hasSuffix(" object") ? String(o.typeName.dropLast(7)) : o.typeName
        case .function: return "function"
        }
    }

    /// Jinja2's `object_type_repr`: "'None'", "'dict object'", ….
    var objectTypeRepr: String {
        switch self {
        case .none: return "None"
        case .object(let o): return o.typeName
        case .markup: return "markupsafe.Markup object"
        case .function: return "function object"
        default: return "\(pyTypeName) object"
        }
    }

    /// `bool(value)`. Raises for strict undefined values.
    public func truthy() throws -> Bool {
        switch self {
        case .undefined(let u):
            if u.strict { throw u.error() }
            return false
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
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
        case .object(let o): return o.stringValue
        default: return try repr()
        }
    }

    /// `repr(value)` (strings quoted), used for items inside containers.
    public func repr() throws -> String {
        switch self {
        case .undefined(let u):
            if u.strict { throw u.error() }
            return "Undefined"
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
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

    /// Python `==`.
    public func pyEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined): return true
        case (.none, .none): return true
        case let (.string(a), .string(b)), let (.markup(a), .markup(b)),
             let (.string(a), .markup(b)), let (.markup(a), .string(b)): return a == b
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
            if let x = numeric, let y = other.numeric { return x == y }
            return false
        }
    }

    /// The number behind bools, ints and floats.
    var numeric: Double? {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    var isNumber: Bool { numeric != nil }

    /// Python ordering: -1, 0 or 1; TypeError for unorderable pairs.
    public func pyCompare(_ other: Value, op: String = "<") throws -> Int {
        switch (self, other) {
        case let (.int(a), .int(b)): return a < b ? -1 : (a == b ? 0 : 1)
        case let (.string(a), .string(b)), let (.markup(a), .markup(b)),
             let (.string(a), .markup(b)), let (.markup(a), .string(b)):
            if a == b { return 0 }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : 1
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
            if let x = numeric, let y = other.numeric { return x < y ? -1 : (x == y ? 0 : 1) }
        }
        throw TemplateError(.type, "'\(op)' not supported between instances of '\(pyTypeName)' and '\(other.pyTypeName)'")
    }

    /// The items `for` walks over, as Python's `iter()` would give them.
    public func iterate() throws -> [Value] {
        switch self {
        case .undefined(let u):
            if u.strict { throw u.error() }
            return []
        case .list(let l), .tuple(let l): return l
        case .dict(let d): return d.keys
        case .string(let s): return s.map { .string(String($0)) }
        case .markup(let s): return s.map { .string(String($0)) } // Markup iterates as plain str
        case .object(let o):
            if let items = o.iterate() { return items }
        default: break
        }
        throw TemplateError(.type, "'\(pyTypeName)' object is not iterable")
    }

    /// `len(value)`.
    public func length() throws -> Int {
        switch self {
        case .string(let s), .markup(let s): return s.count
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

    var isSafe: Bool {
        if case .markup = self { return true }
        return false
    }
}

// MARK: - Python text forms

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
