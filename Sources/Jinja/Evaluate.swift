/// Expression evaluation with Python semantics.
extension RenderContext {
    func eval(_ e: Expr, _ frame: Frame, _ blocks: BlockStack) throws -> Value {
        do {
            switch e.kind {
            case .literal(let v):
                return v
            case .name(let n):
                return frame.lookup(n, e.nameTag) ?? undefined(n)
            case .getattr(let obj, let name):
                let o = try defined(obj, frame, blocks)
                if case .dict(let d) = o, !e.attributeIsDictMethod, let v = d.value(named: name, tag: e.nameTag) { return v }
                return try getattr(o, name, dictMethod: e.attributeIsDictMethod)
            case .filter(let value, let name, let args):
                guard let value else { throw TemplateError(.runtime, "filter without a value") }
                return try applyFilter(e, to: try eval(value, frame, blocks), frame, blocks, name: name, args: args)
            case .list(let items):
                return .list(try items.map { try eval($0, frame, blocks) })
            case .tuple(let items):
                return .tuple(try items.map { try eval($0, frame, blocks) })
            case .dict(let pairs):
                var entries: [(Value, Value)] = []
                entries.reserveCapacity(pairs.count)
                for (k, v) in pairs {
                    let key = try eval(k, frame, blocks)
                    try checkHashable(key)
                    entries.append((key, try eval(v, frame, blocks)))
                }
                return .dict(Dict(pairs: entries))
            case .getitem(let obj, let key):
                return try getitem(try defined(obj, frame, blocks), try eval(key, frame, blocks))
            case .slice(let obj, let a, let b, let c):
                let v = try eval(obj, frame, blocks)
                return try slice(v, try a.map { try eval($0, frame, blocks) }, try b.map { try eval($0, frame, blocks) },
                                 try c.map { try eval($0, frame, blocks) })
            case .call(let fn, let args):
                try burn()
                let callee = try defined(fn, frame, blocks)
                return try call(callee, try e.constantArgs ?? evalArgs(args, frame, blocks))
            case .test(let value, let name, let args, let negated):
                guard let test = environment.tests[name] else {
                    throw TemplateError(.syntax, "No test named '\(name)'.")
                }
                let v = try eval(value, frame, blocks)
                let r = try test(v, try e.constantArgs ?? evalArgs(args, frame, blocks), self)
                return .bool(negated ? !r : r)
            case .unary(let negate, let x):
                return try unary(negate, try eval(x, frame, blocks))
            case .binary(let op, let a, let b):
                let left = try eval(a, frame, blocks)
                let right = try eval(b, frame, blocks)
                // Jinja2 writes a folded negative constant bare into the Python it
                // generates, so `-3 ** x` runs as Python's `-3 ** x`: `-(3 ** x)`.
                if op == .power, a.isConstant, !e.isConstant, left.isNegativeNumber {
                    return try unary(true, try binary(.power, try unary(true, left), right))
                }
                return try binary(op, left, right)
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
                // Jinja2's implicit else is a plain Undefined, even in strict mode.
                return .undefined(Undefined(hint: "the inline if-expression on line \(e.line) evaluated to false and no else section was defined."))
            case .concat(let items):
                let values = try items.map { try eval($0, frame, blocks) }
                // Jinja2 folds an all-constant `~` to plain text when compiling.
                if e.isConstant { return .string(try values.map { try $0.str() }.joined()) }
                return try concat(values)
            }
        } catch let err as TemplateError where err.line == 0 {
            throw located(err, line: e.line, column: e.column)
        }
    }

    /// The value of an expression that is looked into (`x.y`, `x[0]`, `x()`): an
    /// undefined one is an error at its own position.
    @inline(__always)
    func defined(_ e: Expr, _ frame: Frame, _ blocks: BlockStack) throws -> Value {
        let v = try eval(e, frame, blocks)
        if case .undefined(let u) = v { throw located(u.error(), line: e.line, column: e.column) }
        return v
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
        do {
            return try applyFilter(f, to: value, frame, blocks, name: name, args: args)
        } catch let err as TemplateError where err.line == 0 {
            throw located(err, line: f.line, column: f.column)
        }
    }

    func applyFilter(_ f: Expr, to value: Value, _ frame: Frame, _ blocks: BlockStack, name: String, args: CallArgs) throws -> Value {
        if let filter = f.resolvedFilter {
            try burn()
            // Constant arguments are passed as they are stored (no copy of an optional).
            if let constant = f.constantArgs { return try filter(value, constant, self) }
            return try filter(value, try evalArgs(args, frame, blocks), self)
        }
        guard let filter = environment.filters[name] else {
            throw TemplateError(.syntax, "No filter named '\(name)'.")
        }
        try burn()
        return try filter(value, try f.constantArgs ?? evalArgs(args, frame, blocks), self)
    }

    /// Python refuses lists and dicts as dict keys.
    func checkHashable(_ key: Value) throws {
        switch key {
        case .list, .dict: throw TemplateError(.type, "unhashable type: '\(key.pyTypeName)'")
        case .undefined(let u) where u.strict: throw u.error()
        case .object(let o as Methods.DictView) where o.kind != .values:
            throw TemplateError(.type, "unhashable type: '\(key.pyTypeName)'")
        case .tuple(let items): for i in items { try checkHashable(i) }
        default: break
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
}
