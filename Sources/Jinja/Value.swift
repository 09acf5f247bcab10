import BigInt

/// A value inside a template. Values behave like the Python objects Jinja2 would see:
/// they print, compare, test true and iterate the way Python's do. Values are
/// immutable and `Sendable`, so parsed templates and configured environments can be
/// shared between threads.
public enum Value: Sendable {
    case undefined(Undefined)
    case none
    case bool(Bool)
    case int(Int)
    /// An integer outside `Int`'s range (Python's integers are unbounded). Never holds
    /// a value that fits in `Int`: arithmetic stays on `Int` and falls back to this
    /// only on overflow.
    indirect case bigint(BigInt)
    case double(Double)
    /// Python `str`: a sequence of Unicode code points, compared without normalization.
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

extension Value: Hashable {
    public static func == (a: Value, b: Value) -> Bool { a.pyEquals(b) }

    /// Equal values hash alike, across types as in Python (1, 1.0 and True).
    public func hash(into h: inout Hasher) {
        switch self {
        case .none: h.combine(0)
        case .bool(let b): h.combine(b ? 1.0 : 0.0)
        case .int(let i): h.combine(Double(i))
        case .bigint(let b): h.combine(Double(b))
        case .double(let d): h.combine(d)
        case .string(let s), .markup(let s): hashUTF8(s, &h)
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

extension Value {
    /// An integer value: `.int` when it fits, `.bigint` otherwise.
    public static func integer(_ b: BigInt) -> Value {
        if let i = Int(exactly: b) { return .int(i) }
        return .bigint(b)
    }

    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    public var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    var isSafe: Bool {
        if case .markup = self { return true }
        return false
    }

    /// Python's type name, as in "'int' object" messages.
    public var pyTypeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int, .bigint: return "int"
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
}
