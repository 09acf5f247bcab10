/// Objects the host application passes to templates. They are shared between
/// threads like every value, so their state is immutable or synchronized.
public protocol JinjaObject: AnyObject, Sendable {
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

/// The body of a callable: it gets the render it runs in, so it needs to capture
/// nothing of a render itself.
public typealias FunctionBody = @Sendable (Arguments, RenderContext) throws -> Value

/// A callable value: a builtin global, a macro, a bound method.
public final class Function: Sendable {
    public let name: String
    let body: FunctionBody
    /// Macros keep their signature for `caller`, `varargs` and attribute access.
    let macro: MacroInfo?

    public init(name: String, _ body: @escaping FunctionBody) {
        self.name = name
        self.body = body
        self.macro = nil
    }

    init(name: String, macro: MacroInfo, _ body: @escaping FunctionBody) {
        self.name = name
        self.body = body
        self.macro = macro
    }
}

struct MacroInfo: Sendable {
    var arguments: [String]
    var catchKwargs: Bool
    var catchVarargs: Bool
    var caller: Bool
}

/// Positional and keyword arguments of a call.
public struct Arguments: Sendable {
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

    /// `bind` for the builtins, without allocating: the parameter names come as one
    /// comma-separated literal, read only when there are keyword arguments or
    /// several positional ones.
    func bound(_ function: String, _ names: StaticString) throws -> BoundArguments {
        if keywords.isEmpty {
            if positional.count > 1 || (positional.count == 1 && names.utf8CodeUnitCount == 0) {
                let count = Arguments.parameterCount(names)
                if positional.count > count {
                    throw TemplateError(.type, "\(function)() takes at most \(count) argument\(count == 1 ? "" : "s") (\(positional.count) given)")
                }
            }
            return BoundArguments(positional)
        }
        // Keyword arguments (mostly constant ones like `attribute='x'`): matched
        // against the names' bytes, without making the list of names.
        let count = Arguments.parameterCount(names)
        if positional.count > count {
            throw TemplateError(.type, "\(function)() takes at most \(count) argument\(count == 1 ? "" : "s") (\(positional.count) given)")
        }
        var out = [Value?](repeating: nil, count: count)
        for (i, v) in positional.enumerated() { out[i] = v }
        for (k, v) in keywords {
            guard let i = Arguments.parameterIndex(names, k) else {
                throw TemplateError(.type, "\(function)() got an unexpected keyword argument '\(k)'")
            }
            if out[i] != nil && i < positional.count {
                throw TemplateError(.type, "\(function)() got multiple values for argument '\(k)'")
            }
            out[i] = v
        }
        return BoundArguments(out)
    }

    static func parameterCount(_ names: StaticString) -> Int {
        names.utf8CodeUnitCount == 0 ? 0 : names.withUTF8Buffer { $0.reduce(1) { $1 == UInt8(ascii: ",") ? $0 + 1 : $0 } }
    }

    /// The position of `name` in a comma-separated list of parameter names.
    static func parameterIndex(_ names: StaticString, _ name: String) -> Int? {
        names.withUTF8Buffer { list in
            withBytes(name) { key in
                var index = 0, start = 0
                for end in 0...list.count where end == list.count || list[end] == UInt8(ascii: ",") {
                    if end - start == key.count && (0..<key.count).allSatisfy({ list[start + $0] == key[$0] }) { return index }
                    index += 1
                    start = end + 1
                }
                return nil
            }
        }
    }

    /// Refuses any argument: Python's "takes no arguments" for methods like `dict.keys()`.
    func none(_ function: String) throws {
        let n = positional.count + keywords.count
        if !keywords.isEmpty { throw TemplateError(.type, "\(function)() takes no keyword arguments") }
        if n > 0 { throw TemplateError(.type, "\(function)() takes no arguments (\(n) given)") }
    }
}

/// Bound arguments of a builtin, in parameter order.
struct BoundArguments {
    private let positional: [Value]
    private let bound: [Value?]

    init(_ positional: [Value]) {
        self.positional = positional
        bound = []
    }

    init(_ bound: [Value?]) {
        positional = []
        self.bound = bound
    }

    subscript(_ i: Int) -> Value? {
        if i < positional.count { return positional[i] }
        return i < bound.count ? bound[i] : nil
    }
}
