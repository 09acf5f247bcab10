/// The methods of Python's `str`, `list` and `dict` that templates call
/// (`name.upper()`, `d.items()`, `path.split('/')`).
enum Methods {
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
        let body: ((Arguments, RenderContext) throws -> Value)?
        switch value {
        case .string(let s): body = stringMethod(s, name, safe: false)
        case .markup(let s): body = stringMethod(s, name, safe: true)
        case .list(let items): body = listMethod(items, name)
        case .tuple(let items): body = name == "index" || name == "count" ? listMethod(items, name) : nil
        case .dict(let d): body = dictMethod(d, name)
        case .double(let d):
            body = name == "is_integer" ? { _, _ in .bool(d == d.rounded()) } : nil
        default: body = nil
        }
        return body.map { .function(Function(name: name, $0)) }
    }

    static func stringMethod(_ s: String, _ name: String, safe: Bool) -> ((Arguments, RenderContext) throws -> Value)? {
        func text(_ r: String) -> Value { safe ? .markup(r) : .string(r) }
        func optString(_ v: Value?) throws -> String? {
            guard let v, !v.isNone else { return nil }
            return try v.str()
        }
        switch name {
        case "upper": return { _, _ in text(s.uppercased()) }
        case "lower": return { _, _ in text(s.lowercased()) }
        case "casefold": return { _, _ in text(s.lowercased()) }
        case "title": return { _, _ in text(PyString.pyTitle(s)) }
        case "capitalize": return { _, _ in text(PyString.capitalize(s)) }
        case "swapcase": return { _, _ in text(String(s.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })) }
        case "strip", "lstrip", "rstrip":
            return { a, _ in
                let chars = try optString(try a.bind(name, ["chars"])[0])
                return text(PyString.strip(s, chars, left: name != "rstrip", right: name != "lstrip"))
            }
        case "split", "rsplit":
            return { a, _ in
                let p = try a.bind(name, ["sep", "maxsplit"])
                let sep = try optString(p[0])
                if sep == "" { throw TemplateError(.value, "empty separator") }
                let parts = name == "split" ? PyString.split(s, sep, p[1]?.intLike ?? -1) : PyString.rsplit(s, sep, p[1]?.intLike ?? -1)
                return .list(parts.map { text($0) })
            }
        case "splitlines":
            return { a, _ in
                let keep = try a.bind(name, ["keepends"])[0]?.truthy() ?? false
                return .list(PyString.splitlines(s, keepends: keep).map { text($0) })
            }
        case "replace":
            return { a, _ in
                let p = try a.bind(name, ["old", "new", "count"])
                guard let old = p[0], let new = p[1] else { throw TemplateError(.type, "replace expected at least 2 arguments") }
                return text(PyString.replace(s, try old.str(), try new.str(), p[2]?.intLike ?? -1))
            }
        case "startswith", "endswith":
            return { a, _ in
                guard let prefix = a[0] else { throw TemplateError(.type, "\(name) takes at least 1 argument") }
                let options: [Value]
                if case .tuple(let t) = prefix { options = t } else { options = [prefix] }
                return .bool(try options.contains { name == "startswith" ? s.hasPrefix(try $0.str()) : s.hasSuffix(try $0.str()) })
            }
        case "format":
            return { a, ctx in text(try PyFormat.format(s, a, ctx)) }
        case "join":
            return { a, _ in
                guard let items = a[0] else { throw TemplateError(.type, "join() takes exactly one argument") }
                return text(try items.iterate().map { v -> String in
                    guard case .string(let x) = v else {
                        if case .markup(let x) = v { return x }
                        throw TemplateError(.type, "sequence item: expected str instance, \(v.pyTypeName) found")
                    }
                    return x
                }.joined(separator: s))
            }
        case "count":
            return { a, _ in
                let sub = try a[0]?.str() ?? ""
                if sub.isEmpty { return .int(s.count + 1) }
                return .int(s.components(separatedBy: sub).count - 1)
            }
        case "find", "index", "rfind", "rindex":
            return { a, _ in
                let sub = try a[0]?.str() ?? ""
                let r = name.hasPrefix("r") ? s.range(of: sub, options: .backwards) : s.range(of: sub)
                guard let r else {
                    if name.hasSuffix("index") { throw TemplateError(.value, "substring not found") }
                    return .int(-1)
                }
                return .int(s.distance(from: s.startIndex, to: r.lowerBound))
            }
        case "zfill":
            return { a, _ in text(PyString.zfill(s, a[0]?.intLike ?? 0)) }
        case "ljust", "rjust", "center":
            return { a, _ in
                let p = try a.bind(name, ["width", "fillchar"])
                let width = p[0]?.intLike ?? 0
                let fill = try p[1].map { try $0.str() }.flatMap(\.first) ?? " "
                switch name {
                case "ljust": return text(PyString.ljust(s, width, fill))
                case "rjust": return text(PyString.rjust(s, width, fill))
                default: return text(PyString.center(s, width, fill))
                }
            }
        case "partition", "rpartition":
            return { a, _ in
                let sep = try a[0]?.str() ?? ""
                let r = name == "partition" ? s.range(of: sep) : s.range(of: sep, options: .backwards)
                guard let r else {
                    return name == "partition" ? .tuple([text(s), text(""), text("")]) : .tuple([text(""), text(""), text(s)])
                }
                return .tuple([text(String(s[..<r.lowerBound])), text(sep), text(String(s[r.upperBound...]))])
            }
        case "isdigit", "isnumeric", "isdecimal":
            return { _, _ in .bool(!s.isEmpty && s.allSatisfy { $0.isNumber }) }
        case "isalpha": return { _, _ in .bool(!s.isEmpty && s.allSatisfy { $0.isLetter }) }
        case "isalnum": return { _, _ in .bool(!s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber }) }
        case "isspace": return { _, _ in .bool(!s.isEmpty && s.allSatisfy(PyString.isPySpace)) }
        case "islower": return { _, _ in .bool(PyString.isLower(s)) }
        case "isupper": return { _, _ in .bool(PyString.isUpper(s)) }
        case "istitle": return { _, _ in .bool(!s.isEmpty && PyString.pyTitle(s) == s && s.contains(where: \.isCased)) }
        case "removeprefix":
            return { a, _ in
                let p = try a[0]?.str() ?? ""
                return text(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
            }
        case "removesuffix":
            return { a, _ in
                let p = try a[0]?.str() ?? ""
                return text(s.hasSuffix(p) && !p.isEmpty ? String(s.dropLast(p.count)) : s)
            }
        default: return nil
        }
    }

    static func listMethod(_ items: [Value], _ name: String) -> ((Arguments, RenderContext) throws -> Value)? {
        switch name {
        case "index":
            return { a, _ in
                guard let x = a[0], let i = items.firstIndex(where: { $0.pyEquals(x) }) else {
                    throw TemplateError(.value, "\((try? a[0]?.repr()) ?? "value") is not in list")
                }
                return .int(i)
            }
        case "count":
            return { a, _ in .int(items.filter { $0.pyEquals(a[0] ?? .none) }.count) }
        case "copy":
            return { _, _ in .list(items) }
        default: return nil
        }
    }

    static func dictMethod(_ d: Dict, _ name: String) -> ((Arguments, RenderContext) throws -> Value)? {
        switch name {
        case "items": return { _, _ in .list(d.pairs.map { .tuple([$0.0, $0.1]) }) }
        case "keys": return { _, _ in .list(d.keys) }
        case "values": return { _, _ in .list(d.values) }
        case "get":
            return { a, _ in
                let p = try a.bind("get", ["key", "default"])
                return d[p[0] ?? .none] ?? p[1] ?? .none
            }
        case "copy": return { _, _ in .dict(d) }
        default: return nil
        }
    }
}
