import Foundation

/// Expression evaluation with Python semantics.
extension RenderContext {
    func eval(_ e: Expr, _ frame: Frame, _ blocks: BlockStack) throws -> Value {
        switch e.kind {
        case .literal(let v):
            return v
        case .name(let n):
            return frame.lookup(n) ?? undefined(n)
        case .list(let items):
            return .list(try items.map { try eval($0, frame, blocks) })
        case .tuple(let items):
            return .tuple(try items.map { try eval($0, frame, blocks) })
        case .dict(let pairs):
            var d = Dict()
            for (k, v) in pairs { d[try eval(k, frame, blocks)] = try eval(v, frame, blocks) }
            return .dict(d)
        case .getattr(let obj, let name):
            return try getattr(try eval(obj, frame, blocks), name)
        case .getitem(let obj, let key):
            return try getitem(try eval(obj, frame, blocks), try eval(key, frame, blocks))
        case .slice(let obj, let a, let b, let c):
            let v = try eval(obj, frame, blocks)
            return try slice(v, try a.map { try eval($0, frame, blocks) }, try b.map { try eval($0, frame, blocks) },
                             try c.map { try eval($0, frame, blocks) })
        case .call(let fn, let args):
            try burn()
            let callee = try eval(fn, frame, blocks)
            return try call(callee, try e.constantArgs ?? evalArgs(args, frame, blocks))
        case .filter(let value, let name, let args):
            guard let value else { throw TemplateError(.runtime, "filter without a value") }
            return try applyFilter(e, to: try eval(value, frame, blocks), frame, blocks, name: name, args: args)
        case .test(let value, let name, let args, let negated):
            guard let test = environment.tests[name] else {
                throw TemplateError(.syntax, "No test named '\(name)'.")
            }
            let v = try eval(value, frame, blocks)
            let r = try test(v, try e.constantArgs ?? evalArgs(args, frame, blocks), self)
            return .bool(negated ? !r : r)
        case .unary(let op, let x):
            let v = try eval(x, frame, blocks)
            return try unary(op, v)
        case .binary(let op, let a, let b):
            return try binary(op, try eval(a, frame, blocks), try eval(b, frame, blocks))
        case .compare(let first, let rest):
            var left = try eval(first, frame, blocks)
            for (op, rhs) in rest {
                let right = try eval(rhs, frame, blocks)
                guard try compare(op, left, right) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .and(let a, let b):
            let l = try eval(a, frame, blocks)
            return try l.truthy() ? try eval(b, frame, blocks) : l
        case .or(let a, let b):
            let l = try eval(a, frame, blocks)
            return try l.truthy() ? l : try eval(b, frame, blocks)
        case .not(let x):
            return .bool(!(try eval(x, frame, blocks).truthy()))
        case .conditional(let test, let then, let otherwise):
            if try eval(test, frame, blocks).truthy() { return try eval(then, frame, blocks) }
            if let otherwise { return try eval(otherwise, frame, blocks) }
            return undefined(hint: "the inline if-expression on line \(e.line) evaluated to false and no else section was defined.")
        case .concat(let items):
            let values = try items.map { try eval($0, frame, blocks) }
            if autoescape && values.contains(where: \.isSafe) {
                return .markup(try values.map { v -> String in
                    if case .markup(let s) = v { return s }
                    return htmlEscape(try v.str())
                }.joined())
            }
            return .string(try values.map { try $0.str() }.joined())
        }
    }

    func evalArgs(_ a: CallArgs, _ frame: Frame, _ blocks: BlockStack) throws -> Arguments {
        var args = Arguments(try a.positional.map { try eval($0, frame, blocks) },
                             keywords: try a.keywords.map { ($0.0, try eval($0.1, frame, blocks)) })
        if let s = a.star { args.positional += try eval(s, frame, blocks).iterate() }
        if let s = a.doubleStar {
            guard case .dict(let d) = try eval(s, frame, blocks) else {
                throw TemplateError(.type, "argument after ** must be a mapping")
            }
            for (k, v) in d.pairs { args.keywords.append((try k.str(), v)) }
        }
        return args
    }

    func applyFilter(_ f: Expr, to value: Value, _ frame: Frame, _ blocks: BlockStack) throws -> Value {
        guard case .filter(_, let name, let args) = f.kind else { return value }
        return try applyFilter(f, to: value, frame, blocks, name: name, args: args)
    }

    func applyFilter(_ f: Expr, to value: Value, _ frame: Frame, _ blocks: BlockStack, name: String, args: CallArgs) throws -> Value {
        let filter: FilterFunction
        if let r = f.resolvedFilter, r.owner == ObjectIdentifier(environment) {
            filter = r.function
        } else {
            guard let found = environment.filters[name] else {
                throw TemplateError(.syntax, "No filter named '\(name)'.")
            }
            filter = found
        }
        try burn()
        return try filter(value, try f.constantArgs ?? evalArgs(args, frame, blocks), self)
    }

    // MARK: Lookup

    /// `obj.name`: the attribute first, then the item (Jinja2's getattr rule).
    func getattr(_ obj: Value, _ name: String) throws -> Value {
        switch obj {
        case .undefined(let u):
            throw u.error()
        case .dict(let d):
            // A method of that name wins over the key, as in Python.
            if Methods.isDictMethod(name), let m = Methods.bound(obj, name) { return m }
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
        case .int, .double, .bool:
            if name == "real" { return obj.intLike.map { .int($0) } ?? obj }
            if name == "imag" { return obj.intLike != nil ? .int(0) : .double(0) }
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
            if case .int(let i) = key.normalizedIndex {
                let j = i < 0 ? i + items.count : i
                if j >= 0 && j < items.count { return items[j] }
                return undefined(hint: "'\(obj.objectTypeRepr)' has no element \(try key.repr())")
            }
        case .string(let s), .markup(let s):
            if case .int(let i) = key.normalizedIndex {
                let chars = Array(s)
                let j = i < 0 ? i + chars.count : i
                if j >= 0 && j < chars.count {
                    let c = String(chars[j])
                    return obj.isSafe ? .markup(c) : .string(c)
                }
                return undefined(hint: "'\(obj.objectTypeRepr)' has no element \(try key.repr())")
            }
        case .object(let o):
            if let v = o.item(key) { return v }
        default: break
        }
        if case .string(let name) = key { return try getattr(obj, name) }
        return undefined(hint: "'\(obj.objectTypeRepr)' has no element \(try key.repr())")
    }

    func slice(_ v: Value, _ a: Value?, _ b: Value?, _ c: Value?) throws -> Value {
        func intOrNil(_ x: Value?) throws -> Int? {
            guard let x, !x.isNone else { return nil }
            guard case .int(let i) = x.normalizedIndex else {
                throw TemplateError(.type, "slice indices must be integers or None or have an __index__ method")
            }
            return i
        }
        let step = try intOrNil(c) ?? 1
        if step == 0 { throw TemplateError(.value, "slice step cannot be zero") }
        func indices(_ n: Int) throws -> [Int] {
            var start = try intOrNil(a)
            var stop = try intOrNil(b)
            if step > 0 {
                start = start.map { $0 < 0 ? max(0, $0 + n) : min($0, n) } ?? 0
                stop = stop.map { $0 < 0 ? max(0, $0 + n) : min($0, n) } ?? n
                return start! < stop! ? Array(stride(from: start!, to: stop!, by: step)) : []
            } else {
                start = start.map { $0 < 0 ? max(-1, $0 + n) : min($0, n - 1) } ?? n - 1
                stop = stop.map { $0 < 0 ? max(-1, $0 + n) : min($0, n - 1) } ?? -1
                return start! > stop! ? Array(stride(from: start!, to: stop!, by: step)) : []
            }
        }
        switch v {
        case .list(let items): return .list(try indices(items.count).map { items[$0] })
        case .tuple(let items): return .tuple(try indices(items.count).map { items[$0] })
        case .string(let s), .markup(let s):
            let chars = Array(s)
            let r = String(try indices(chars.count).map { chars[$0] })
            return v.isSafe ? .markup(r) : .string(r)
        case .undefined(let u): throw u.error()
        default:
            throw TemplateError(.type, "'\(v.pyTypeName)' object is not subscriptable")
        }
    }

    func call(_ callee: Value, _ args: Arguments) throws -> Value {
        switch callee {
        case .function(let f): return try f.body(args, self)
        case .object(let o):
            if let v = try o.call(args, self) { return v }
        case .undefined(let u): throw u.error()
        default: break
        }
        throw TemplateError(.type, "'\(callee.pyTypeName)' object is not callable")
    }

    // MARK: Operators

    func unary(_ op: String, _ v: Value) throws -> Value {
        switch (op, v) {
        case ("-", .int(let i)): return .int(-i)
        case ("-", .bool(let b)): return .int(b ? -1 : 0)
        case ("-", .double(let d)): return .double(-d)
        case ("+", .int), ("+", .double): return v
        case ("+", .bool(let b)): return .int(b ? 1 : 0)
        case (_, .undefined(let u)): throw u.error()
        default:
            throw TemplateError(.type, "bad operand type for unary \(op): '\(v.pyTypeName)'")
        }
    }

    func binary(_ op: String, _ a: Value, _ b: Value) throws -> Value {
        if case .undefined(let u) = a { throw u.error() }
        if case .undefined(let u) = b { throw u.error() }
        switch op {
        case "+":
            switch (a, b) {
            case let (.string(x), .string(y)): return .string(x + y)
            case (.markup, .string), (.string, .markup), (.markup, .markup):
                return .markup(markupText(a) + markupText(b))
            case let (.list(x), .list(y)): return .list(x + y)
            case let (.tuple(x), .tuple(y)): return .tuple(x + y)
            case (.string, _), (.markup, _):
                throw TemplateError(.type, "can only concatenate str (not \"\(b.pyTypeName)\") to str")
            case (.list, _): throw TemplateError(.type, "can only concatenate list (not \"\(b.pyTypeName)\") to list")
            case (.tuple, _): throw TemplateError(.type, "can only concatenate tuple (not \"\(b.pyTypeName)\") to tuple")
            default: return try arithmetic(op, a, b)
            }
        case "*":
            switch (a, b) {
            case (.string(let s), _), (.markup(let s), _):
                guard let n = b.intLike else { throw typeError(op, a, b, "can't multiply sequence by non-int of type '\(b.pyTypeName)'") }
                let r = String(repeating: s, count: max(0, n))
                return a.isSafe ? .markup(r) : .string(r)
            case (_, .string), (_, .markup): return try binary(op, b, a)
            case (.list(let l), _):
                guard let n = b.intLike else { throw typeError(op, a, b, "can't multiply sequence by non-int of type '\(b.pyTypeName)'") }
                return .list(Array([[Value]](repeating: l, count: max(0, n)).joined()))
            case (_, .list): return try binary(op, b, a)
            case (.tuple(let l), _):
                guard let n = b.intLike else { throw typeError(op, a, b, "can't multiply sequence by non-int of type '\(b.pyTypeName)'") }
                return .tuple(Array([[Value]](repeating: l, count: max(0, n)).joined()))
            case (_, .tuple): return try binary(op, b, a)
            default: return try arithmetic(op, a, b)
            }
        case "%":
            switch a {
            case .string(let s): return .string(try PyFormat.percent(s, b, escape: nil))
            case .markup(let s): return .markup(try PyFormat.percent(s, b, escape: { htmlEscape($0) }))
            default: return try arithmetic(op, a, b)
            }
        default:
            return try arithmetic(op, a, b)
        }
    }

    private func markupText(_ v: Value) -> String {
        switch v {
        case .markup(let s): return s
        case .string(let s): return htmlEscape(s)
        default: return ""
        }
    }

    func typeError(_ op: String, _ a: Value, _ b: Value, _ msg: String? = nil) -> TemplateError {
        TemplateError(.type, msg ?? "unsupported operand type(s) for \(op): '\(a.pyTypeName)' and '\(b.pyTypeName)'")
    }

    func arithmetic(_ op: String, _ a: Value, _ b: Value) throws -> Value {
        if let x = a.intLike, let y = b.intLike {
            switch op {
            case "+": return try checked(x.addingReportingOverflow(y))
            case "-": return try checked(x.subtractingReportingOverflow(y))
            case "*": return try checked(x.multipliedReportingOverflow(by: y))
            case "/":
                if y == 0 { throw TemplateError(.value, "division by zero") }
                return .double(Double(x) / Double(y))
            case "//":
                if y == 0 { throw TemplateError(.value, "integer division or modulo by zero") }
                let q = x / y
                return .int((x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q)
            case "%":
                if y == 0 { throw TemplateError(.value, "integer division or modulo by zero") }
                let r = x % y
                return .int(r != 0 && ((r < 0) != (y < 0)) ? r + y : r)
            case "**":
                if y < 0 { return .double(pow(Double(x), Double(y))) }
                var result = 1, base = x, e = y
                while e > 0 {
                    if e & 1 == 1 { result = try intChecked(result.multipliedReportingOverflow(by: base)) }
                    e >>= 1
                    if e > 0 { base = try intChecked(base.multipliedReportingOverflow(by: base)) }
                }
                return .int(result)
            default: break
            }
        }
        guard let x = a.numeric, let y = b.numeric else { throw typeError(op, a, b) }
        switch op {
        case "+": return .double(x + y)
        case "-": return .double(x - y)
        case "*": return .double(x * y)
        case "/":
            if y == 0 { throw TemplateError(.value, "float division by zero") }
            return .double(x / y)
        case "//":
            if y == 0 { throw TemplateError(.value, "float floor division by zero") }
            return .double((x / y).rounded(.down))
        case "%":
            if y == 0 { throw TemplateError(.value, "float modulo") }
            let r = fmod(x, y)
            if r == 0 { return .double(copysign(0, y)) }
            return .double((r < 0) != (y < 0) ? r + y : r)
        case "**":
            if x < 0 && y != y.rounded() { throw TemplateError(.value, "negative number cannot be raised to a fractional power") }
            return .double(pow(x, y))
        default: throw typeError(op, a, b)
        }
    }

    private func checked(_ r: (partialValue: Int, overflow: Bool)) throws -> Value {
        .int(try intChecked(r))
    }

    private func intChecked(_ r: (partialValue: Int, overflow: Bool)) throws -> Int {
        if r.overflow { throw TemplateError(.value, "integer result too large (beyond 64 bits)") }
        return r.partialValue
    }

    func compare(_ op: String, _ a: Value, _ b: Value) throws -> Bool {
        switch op {
        case "==", "!=":
            if case .undefined(let u) = a, u.strict { throw u.error() }
            if case .undefined(let u) = b, u.strict { throw u.error() }
            let eq = a.pyEquals(b)
            return op == "==" ? eq : !eq
        case "<": return try a.pyCompare(b, op: op) < 0
        case "<=": return try a.pyCompare(b, op: op) <= 0
        case ">": return try a.pyCompare(b, op: op) > 0
        case ">=": return try a.pyCompare(b, op: op) >= 0
        case "in": return try contains(b, a)
        case "notin": return try !contains(b, a)
        default: throw TemplateError(.runtime, "unknown operator \(op)")
        }
    }

    func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .string(let s), .markup(let s):
            switch item {
            case .string(let x), .markup(let x): return x.isEmpty || s.contains(x)
            case .undefined(let u): throw u.error()
            default:
                throw TemplateError(.type, "'in <string>' requires string as left operand, not \(item.pyTypeName)")
            }
        case .list(let items), .tuple(let items): return items.contains { $0.pyEquals(item) }
        case .dict(let d):
            switch item {
            case .list, .dict: throw TemplateError(.type, "unhashable type: '\(item.pyTypeName)'")
            default: return d[item] != nil
            }
        case .undefined(let u):
            if u.strict { throw u.error() }
            return false
        case .object(let o):
            if let items = o.iterate() { return items.contains { $0.pyEquals(item) } }
        default: break
        }
        throw TemplateError(.type, "argument of type '\(container.pyTypeName)' is not iterable")
    }
}

extension Value {
    /// Ints and bools as Python ints.
    var intLike: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Bools index like ints.
    var normalizedIndex: Value {
        if case .bool(let b) = self { return .int(b ? 1 : 0) }
        return self
    }
}

/// MarkupSafe's `escape`.
public func htmlEscape(_ s: String) -> String {
    guard s.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "'" }) else { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count + 16)
    for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&#34;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}
