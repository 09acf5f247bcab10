/// The methods of Python's `str`, `list` and `dict` that templates call
/// (`name.upper()`, `d.items()`, `path.split('/')`), with Python's argument checks.
enum Methods {
    typealias Body = FunctionBody

    /// Whether `name` is a dict method (a switch: cheaper than hashing on every lookup).
    static func isDictMethod(_ name: String) -> Bool {
        // Called for every attribute of a dict: rule out most names by length and first
        // byte before comparing strings.
        let n = name.utf8.count
        guard n >= 3, n <= 6, let first = name.utf8.first,
              first == UInt8(ascii: "i") || first == UInt8(ascii: "k") || first == UInt8(ascii: "v")
                || first == UInt8(ascii: "g") || first == UInt8(ascii: "c") else { return false }
        switch name {
        case "items", "keys", "values", "get", "copy": return true
        default: return false
        }
    }

    /// `value.name` as a bound method, or nil when the type has no such method.
    static func bound(_ value: Value, _ name: String) -> Value? {
        let body: Body?
        switch value {
        case .string(let s): body = stringMethod(s, name, safe: false)
        case .markup(let s): body = stringMethod(s, name, safe: true)
        case .list(let items): body = listMethod(items, name)
        case .tuple(let items): body = name == "index" || name == "count" ? listMethod(items, name) : nil
        case .dict(let d): body = dictMethod(d, name)
        case .double(let d):
            if name == "is_integer" {
                body = { a, _ in
                    try a.none("float.is_integer")
                    return .bool(d == d.rounded())
                }
            } else {
                body = nil
            }
        default: body = nil
        }
        return body.map { .function(Function(name: name, $0)) }
    }

    /// A string argument, as Python's str methods require one.
    static func string(_ v: Value?, _ method: String) throws -> String {
        switch v {
        case .string(let s)?, .markup(let s)?: return s
        case let v?: throw TemplateError(.type, "\(method)() argument must be str, not \(v.pyTypeName)")
        case nil: throw TemplateError(.type, "\(method)() takes at least 1 argument (0 given)")
        }
    }

    static func optString(_ v: Value?, _ method: String) throws -> String? {
        guard let v, !v.isNone else { return nil }
        return try string(v, method)
    }

    static func integer(_ v: Value?, _ method: String, default d: Int) throws -> Int {
        guard let v else { return d }
        guard let i = v.clampedInt else { throw TemplateError(.type, "'\(v.pyTypeName)' object cannot be interpreted as an integer") }
        return i
    }

    static func stringMethod(_ s: String, _ name: String, safe: Bool) -> Body? {
        @Sendable func text(_ r: String) -> Value { safe ? .markup(r) : .string(r) }
        switch name {
        case "upper": return { a, _ in try a.none("str.upper"); return text(PyText.upper(s)) }
        case "lower": return { a, _ in try a.none("str.lower"); return text(PyText.lower(s)) }
        case "casefold": return { a, _ in try a.none("str.casefold"); return text(PyText.casefold(s)) }
        case "title": return { a, _ in try a.none("str.title"); return text(PyText.pyTitle(s)) }
        case "capitalize": return { a, _ in try a.none("str.capitalize"); return text(PyText.capitalize(s)) }
        case "swapcase": return { a, _ in try a.none("str.swapcase"); return text(PyText.swapcase(s)) }
        case "strip", "lstrip", "rstrip":
            return { a, _ in
                let chars = try optString(try a.bound(name, "chars")[0], name)
                return text(PyString.strip(s, chars, left: name != "rstrip", right: name != "lstrip"))
            }
        case "split", "rsplit":
            return { a, _ in
                let p = try a.bound(name, "sep,maxsplit")
                let sep = try optString(p[0], name)
                if sep == "" { throw TemplateError(.value, "empty separator") }
                let max = try integer(p[1], name, default: -1)
                let parts = name == "split" ? PyString.split(s, sep, max) : PyString.rsplit(s, sep, max)
                return .list(parts.map { text($0) })
            }
        case "splitlines":
            return { a, _ in
                let keep = try a.bound(name, "keepends")[0]?.truthy() ?? false
                return .list(PyString.splitlines(s, keepends: keep).map { text($0) })
            }
        case "replace":
            return { a, ctx in
                let p = try a.bound(name, "old,new,count")
                guard p[0] != nil, p[1] != nil else { throw TemplateError(.type, "replace expected at least 2 arguments, got \(a.positional.count)") }
                let old = try string(p[0], name), new = try string(p[1], name)
                let count = try integer(p[2], name, default: -1)
                try ctx.reserve(PyString.replacedLength(s, old, new, count), "string")
                return text(PyString.replace(s, old, new, count))
            }
        case "startswith", "endswith":
            return { a, _ in
                guard let prefix = a[0], a.positional.count == 1, a.keywords.isEmpty else {
                    throw TemplateError(.type, "\(name)() takes at least 1 argument (0 given)")
                }
                let options: [Value]
                if case .tuple(let t) = prefix { options = t } else { options = [prefix] }
                return .bool(try options.contains {
                    let p = try string($0, name)
                    return name == "startswith" ? PyString.hasPrefix(s, p) : PyString.hasSuffix(s, p)
                })
            }
        case "format":
            return { a, ctx in text(try PyFormat.format(s, a, ctx)) }
        case "join":
            return { a, ctx in
                guard let items = a[0], a.positional.count == 1 else { throw TemplateError(.type, "str.join() takes exactly one argument (\(a.positional.count) given)") }
                let parts = try items.iterate().enumerated().map { i, v -> String in
                    switch v {
                    case .string(let x), .markup(let x): return x
                    default: throw TemplateError(.type, "sequence item \(i): expected str instance, \(v.pyTypeName) found")
                    }
                }
                try ctx.reserve(parts.reduce(0) { $0 + $1.utf8.count } + s.utf8.count * max(0, parts.count - 1), "string")
                return text(parts.joined(separator: s))
            }
        case "count":
            return { a, _ in .int(PyString.occurrences(s, try string(a[0], name))) }
        case "find", "index", "rfind", "rindex":
            return { a, _ in
                let sub = try string(a[0], name)
                guard let at = PyString.find(s, sub, last: name.hasPrefix("r")) else {
                    if name.hasSuffix("index") { throw TemplateError(.value, "substring not found") }
                    return .int(-1)
                }
                return .int(at)
            }
        case "zfill":
            return { a, ctx in
                let width = try integer(a[0], name, default: 0)
                try ctx.reserve(width, "string")
                return text(PyString.zfill(s, width))
            }
        case "ljust", "rjust", "center":
            return { a, ctx in
                let p = try a.bound(name, "width,fillchar")
                guard p[0] != nil else { throw TemplateError(.type, "\(name) expected at least 1 argument, got 0") }
                let width = try integer(p[0], name, default: 0)
                var fill: Unicode.Scalar = " "
                if let f = p[1] {
                    let u = Array(try string(f, name).unicodeScalars)
                    guard u.count == 1 else { throw TemplateError(.type, "The fill character must be exactly one character long") }
                    fill = u[0]
                }
                try ctx.reserve(width, "string")
                switch name {
                case "ljust": return text(PyString.ljust(s, width, fill))
                case "rjust": return text(PyString.rjust(s, width, fill))
                default: return text(PyString.center(s, width, fill))
                }
            }
        case "partition", "rpartition":
            return { a, _ in
                let sep = try string(a[0], name)
                if sep.isEmpty { throw TemplateError(.value, "empty separator") }
                guard let (before, after) = PyString.partition(s, sep, last: name == "rpartition") else {
                    return name == "partition" ? .tuple([text(s), text(""), text("")]) : .tuple([text(""), text(""), text(s)])
                }
                return .tuple([text(before), text(sep), text(after)])
            }
        case "isdigit", "isnumeric", "isdecimal":
            return { _, _ in
                .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { u in
                    guard let t = u.properties.numericType else { return false }
                    switch name {
                    case "isdecimal": return t == .decimal
                    case "isdigit": return t == .decimal || t == .digit
                    default: return true
                    }
                })
            }
        case "isalpha": return { _, _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(PyText.isAlpha)) }
        case "isalnum": return { _, _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { PyText.isAlpha($0) || $0.properties.numericType != nil }) }
        case "isspace": return { _, _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(PyText.isSpace)) }
        case "islower": return { _, _ in .bool(PyText.isLower(s)) }
        case "isupper": return { _, _ in .bool(PyText.isUpper(s)) }
        case "istitle": return { _, _ in .bool(PyText.isTitle(s)) }
        case "removeprefix":
            return { a, _ in
                let p = try string(a[0], name)
                return text(PyString.hasPrefix(s, p) ? PyString.dropPrefix(s, bytes: p.utf8.count) : s)
            }
        case "removesuffix":
            return { a, _ in
                let p = try string(a[0], name)
                return text(!p.isEmpty && PyString.hasSuffix(s, p) ? PyString.dropSuffix(s, bytes: p.utf8.count) : s)
            }
        default: return nil
        }
    }

    static func listMethod(_ items: [Value], _ name: String) -> Body? {
        switch name {
        case "index":
            return { a, _ in
                guard let x = a[0] else { throw TemplateError(.type, "index expected at least 1 argument, got 0") }
                guard let i = items.firstIndex(where: { $0.pyEquals(x) }) else {
                    throw TemplateError(.value, "\(try x.repr()) is not in list")
                }
                return .int(i)
            }
        case "count":
            return { a, _ in
                guard let x = a[0], a.positional.count == 1 else { throw TemplateError(.type, "count() takes exactly one argument (\(a.positional.count) given)") }
                return .int(items.filter { $0.pyEquals(x) }.count)
            }
        case "copy":
            return { a, _ in try a.none("list.copy"); return .list(items) }
        default: return nil
        }
    }

    /// `dict.items()`, `keys()`, `values()`: iterable, sized, printed as
    /// `dict_items([...])`, not indexable (Python's views).
    final class DictView: JinjaObject {
        enum Kind: String, Sendable { case items = "dict_items", keys = "dict_keys", values = "dict_values" }
        let kind: Kind
        let items: [Value]
        init(_ kind: Kind, _ items: [Value]) {
            self.kind = kind
            self.items = items
        }
        var typeName: String { "\(kind.rawValue) object" }
        func attribute(_ name: String) -> Value? { nil }
        func item(_ key: Value) -> Value? { nil }
        func iterate() -> [Value]? { items }
        var isTruthy: Bool { !items.isEmpty }
        var stringValue: String { "\(kind.rawValue)(\((try? Value.list(items).repr()) ?? "[]"))" }
        func equals(_ other: Value) -> Bool {
            guard case .object(let o as DictView) = other else { return false }
            if o === self { return true }
            // Keys and items views compare as sets; values views only by identity.
            guard kind != .values, o.kind == kind, o.items.count == items.count else { return false }
            return items.allSatisfy { x in o.items.contains { $0.pyEquals(x) } }
        }
    }

    static func dictMethod(_ d: Dict, _ name: String) -> Body? {
        switch name {
        case "items":
            return { a, _ in try a.none("dict.items"); return .object(DictView(.items, d.pairs.map { .tuple([$0.0, $0.1]) })) }
        case "keys": return { a, _ in try a.none("dict.keys"); return .object(DictView(.keys, d.keys)) }
        case "values": return { a, _ in try a.none("dict.values"); return .object(DictView(.values, d.values)) }
        case "get":
            return { a, ctx in
                if !a.keywords.isEmpty { throw TemplateError(.type, "get() takes no keyword arguments") }
                guard (1...2).contains(a.positional.count) else {
                    throw TemplateError(.type, a.positional.isEmpty ? "get expected at least 1 argument, got 0" : "get expected at most 2 arguments, got \(a.positional.count)")
                }
                try ctx.checkHashable(a.positional[0])
                return d[a.positional[0]] ?? a[1] ?? .none
            }
        case "copy": return { a, _ in try a.none("dict.copy"); return .dict(d) }
        default: return nil
        }
    }
}
