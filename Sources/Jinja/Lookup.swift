/// Attribute, item and slice lookup.
extension RenderContext {
    /// `obj.name`: the attribute first, then the item (Jinja2's getattr rule).
    /// `dictMethod`: whether `name` is a dict method, when the caller knows already.
    func getattr(_ obj: Value, _ name: String, dictMethod: Bool? = nil) throws -> Value {
        switch obj {
        case .undefined(let u):
            throw u.error()
        case .dict(let d):
            // A method of that name wins over the key, as in Python.
            if dictMethod ?? Methods.isDictMethod(name), let m = Methods.bound(obj, name) { return m }
            if let v = d[name] { return v }
        case .object(let o):
            if let v = o.attribute(name) { return v }
        case .function(let f):
            if let m = f.macro {
                switch name {
                case "name": return .string(f.name)
                case "arguments": return .tuple(m.arguments.map { .string($0) })
                case "catch_kwargs": return .bool(m.catchKwargs)
                case "catch_varargs": return .bool(m.catchVarargs)
                case "caller": return .bool(m.caller)
                default: break
                }
            }
        case .int, .bigint, .double, .bool:
            if name == "real" { return obj.bigIntLike.map { .integer($0) } ?? obj }
            if name == "imag" { return obj.bigIntLike != nil ? .int(0) : .double(0) }
            if let m = Methods.bound(obj, name) { return m }
        default:
            if let m = Methods.bound(obj, name) { return m }
        }
        return undefined(hint: "'\(obj.objectTypeRepr)' has no attribute '\(name)'")
    }

    /// `obj[key]`: the item first, then the attribute.
    func getitem(_ obj: Value, _ key: Value) throws -> Value {
        switch obj {
        case .undefined(let u):
            throw u.error()
        case .dict(let d):
            if let v = d[key] { return v }
        case .list(let items), .tuple(let items):
            if let i = key.normalizedIndex.clampedInt {
                let j = i < 0 ? i &+ items.count : i
                if j >= 0 && j < items.count { return items[j] }
                return undefined(hint: "\(obj.objectTypeRepr) has no element \(try key.repr())")
            }
        case .string(let s), .markup(let s):
            if let i = key.normalizedIndex.clampedInt {
                let scalars = s.unicodeScalars
                let n = PyText.length(s)
                let j = i < 0 ? i &+ n : i
                if j >= 0 && j < n {
                    let c = String(scalars[scalars.index(scalars.startIndex, offsetBy: j)])
                    return obj.isSafe ? .markup(c) : .string(c)
                }
                return undefined(hint: "\(obj.objectTypeRepr) has no element \(try key.repr())")
            }
        case .object(let o):
            if let v = o.item(key) { return v }
        default: break
        }
        if case .string(let name) = key { return try getattr(obj, name) }
        return undefined(hint: "\(obj.objectTypeRepr) has no element \(try key.repr())")
    }

    /// The positions a Python slice `[a:b:c]` selects from a sequence of `n` items.
    func sliceIndices(_ n: Int, _ a: Value?, _ b: Value?, _ c: Value?) throws -> StrideTo<Int> {
        func intOrNil(_ x: Value?) throws -> Int? {
            guard let x, !x.isNone else { return nil }
            guard let i = x.normalizedIndex.clampedInt else {
                throw TemplateError(.type, "slice indices must be integers or None or have an __index__ method")
            }
            return i
        }
        let step = try intOrNil(c) ?? 1
        if step == 0 { throw TemplateError(.value, "slice step cannot be zero") }
        let start = try intOrNil(a), stop = try intOrNil(b)
        if step > 0 {
            let s = start.map { $0 < 0 ? max(0, $0 &+ n) : min($0, n) } ?? 0
            let e = stop.map { $0 < 0 ? max(0, $0 &+ n) : min($0, n) } ?? n
            return stride(from: s, to: max(s, e), by: step)
        }
        let s = start.map { $0 < 0 ? max(-1, $0 &+ n) : min($0, n - 1) } ?? n - 1
        let e = stop.map { $0 < 0 ? max(-1, $0 &+ n) : min($0, n - 1) } ?? -1
        return stride(from: s, to: min(s, e), by: max(step, -Int.max))
    }

    func slice(_ v: Value, _ a: Value?, _ b: Value?, _ c: Value?) throws -> Value {
        switch v {
        case .list(let items): return .list(try sliceIndices(items.count, a, b, c).map { items[$0] })
        case .tuple(let items): return .tuple(try sliceIndices(items.count, a, b, c).map { items[$0] })
        case .string(let s), .markup(let s):
            let u = PyText.scalars(s)
            let r = PyText.string(try sliceIndices(u.count, a, b, c).lazy.map { u[$0] })
            return v.isSafe ? .markup(r) : .string(r)
        case .undefined(let u): throw u.error()
        default:
            throw TemplateError(.type, "'\(v.pyTypeName)' object is not subscriptable")
        }
    }
}
