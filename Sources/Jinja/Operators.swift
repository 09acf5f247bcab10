import BigInt

/// Python's operators on template values.
extension RenderContext {
    func unary(_ negate: Bool, _ v: Value) throws -> Value {
        switch v {
        case .int(let i):
            if !negate { return v }
            return i == .min ? .integer(-BigInt(i)) : .int(-i)
        case .bigint(let b): return negate ? .integer(-b) : v
        case .bool(let b): return .int(negate ? (b ? -1 : 0) : (b ? 1 : 0))
        case .double(let d): return .double(negate ? -d : d)
        case .undefined(let u): throw u.error()
        default:
            throw TemplateError(.type, "bad operand type for unary \(negate ? "-" : "+"): '\(v.pyTypeName)'")
        }
    }

    func binary(_ op: ArithmeticOperator, _ a: Value, _ b: Value) throws -> Value {
        if case .int(let x) = a, case .int(let y) = b { return try Numbers.integers(op, x, y) }
        if case .undefined(let u) = a { throw u.error() }
        if case .undefined(let u) = b {
            // `'text' % undefined`: Python takes Undefined (it has __getitem__) for a
            // mapping, so unused it is no error.
            guard op == .modulo, a.isStringLike else { throw u.error() }
        }
        switch op {
        case .add:
            switch (a, b) {
            case let (.string(x), .string(y)):
                try reserve(x.utf8.count + y.utf8.count, "string")
                return .string(x + y)
            case (.markup, .string), (.string, .markup), (.markup, .markup):
                let x = markupText(a), y = markupText(b)
                try reserve(x.utf8.count + y.utf8.count, "string")
                return .markup(x + y)
            case let (.list(x), .list(y)):
                try reserve(x.count + y.count, items: true, "list")
                return .list(x + y)
            case let (.tuple(x), .tuple(y)):
                try reserve(x.count + y.count, items: true, "tuple")
                return .tuple(x + y)
            case (.string, _), (.markup, _):
                throw TemplateError(.type, "can only concatenate str (not \"\(b.pyTypeName)\") to str")
            case (.list, _): throw TemplateError(.type, "can only concatenate list (not \"\(b.pyTypeName)\") to list")
            case (.tuple, _): throw TemplateError(.type, "can only concatenate tuple (not \"\(b.pyTypeName)\") to tuple")
            default: return try Numbers.arithmetic(op, a, b)
            }
        case .multiply:
            switch (a, b) {
            case (.string(let s), _), (.markup(let s), _):
                guard let n = b.clampedInt else { throw sequenceTimes(b) }
                let count = max(0, n)
                let size = s.utf8.count.multipliedReportingOverflow(by: count)
                try reserve(size.overflow ? -1 : size.partialValue, "string")
                let r = s.isEmpty ? "" : String(repeating: s, count: count)
                return a.isSafe ? .markup(r) : .string(r)
            case (.int, .string), (.int, .markup), (.int, .list), (.int, .tuple),
                 (.bool, .string), (.bool, .markup), (.bool, .list), (.bool, .tuple),
                 (.bigint, .string), (.bigint, .markup), (.bigint, .list), (.bigint, .tuple):
                return try binary(op, b, a)
            case (_, .string), (_, .markup), (_, .list), (_, .tuple):
                throw sequenceTimes(a)
            case (.list(let l), _), (.tuple(let l), _):
                guard let n = b.clampedInt else { throw sequenceTimes(b) }
                let count = max(0, n)
                let size = l.count.multipliedReportingOverflow(by: count)
                try reserve(size.overflow ? -1 : size.partialValue, items: true, "list")
                var out: [Value] = []
                out.reserveCapacity(size.partialValue)
                for _ in 0..<(l.isEmpty ? 0 : count) { out += l }
                if case .tuple = a { return .tuple(out) }
                return .list(out)
            default: return try Numbers.arithmetic(op, a, b)
            }
        case .modulo:
            switch a {
            case .string(let s): return .string(try PyFormat.percent(s, b, escape: nil, self))
            case .markup(let s): return .markup(try PyFormat.percent(s, b, escape: { htmlEscape($0) }, self))
            default: return try Numbers.arithmetic(op, a, b)
            }
        default:
            return try Numbers.arithmetic(op, a, b)
        }
    }

    private func sequenceTimes(_ b: Value) -> TemplateError {
        TemplateError(.type, "can't multiply sequence by non-int of type '\(b.pyTypeName)'")
    }

    private func markupText(_ v: Value) -> String {
        switch v {
        case .markup(let s): return s
        case .string(let s): return htmlEscape(s)
        default: return ""
        }
    }

    /// `a ~ b ~ …`: the items' strings joined; under autoescape, escaped and safe
    /// when any item is safe (Jinja2's markup_join).
    func concat(_ values: [Value]) throws -> Value {
        if autoescape && values.contains(where: \.isSafe) {
            var parts: [String] = []
            var size = 0
            for v in values {
                let s: String
                if case .markup(let m) = v { s = m } else { s = htmlEscape(try v.str()) }
                size += s.utf8.count
                parts.append(s)
            }
            try reserve(size, "string")
            return .markup(parts.joined())
        }
        if values.count == 2, case .string(let x) = values[0], case .string(let y) = values[1] {
            try reserve(x.utf8.count + y.utf8.count, "string")
            return .string(x + y)
        }
        var parts: [String] = []
        parts.reserveCapacity(values.count)
        var size = 0
        for v in values {
            let s = try v.str()
            size += s.utf8.count
            parts.append(s)
        }
        try reserve(size, "string")
        return .string(parts.joined())
    }

    func compare(_ op: CompareOperator, _ a: Value, _ b: Value) throws -> Bool {
        switch op {
        case .equal, .notEqual:
            if case .undefined(let u) = a, u.strict { throw u.error() }
            if case .undefined(let u) = b, u.strict { throw u.error() }
            let eq = a.pyEquals(b)
            return op == .equal ? eq : !eq
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            if a.isNumber && b.isNumber {
                // NaN is unordered: every ordering comparison is false.
                guard let c = Numbers.compare(a, b) else { return false }
                return Self.holds(op, c)
            }
            return Self.holds(op, try a.pyCompare(b, op: op.rawValue))
        case .contains: return try contains(b, a)
        case .notContains: return try !contains(b, a)
        }
    }

    static func holds(_ op: CompareOperator, _ c: Int) -> Bool {
        switch op {
        case .less: return c < 0
        case .lessOrEqual: return c <= 0
        case .greater: return c > 0
        case .greaterOrEqual: return c >= 0
        default: return false
        }
    }

    func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .string(let s), .markup(let s):
            switch item {
            case .string(let x), .markup(let x): return PyString.find(s, x, last: false) != nil
            case .undefined(let u): throw u.error()
            default:
                throw TemplateError(.type, "'in <string>' requires string as left operand, not \(item.pyTypeName)")
            }
        case .list(let items), .tuple(let items): return items.contains { $0.pyEquals(item) }
        case .dict(let d):
            try checkHashable(item)
            return d[item] != nil
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

/// MarkupSafe's `escape`, on UTF-8 bytes: strings without any of `&<>"'` come back
/// as they are.
public func htmlEscape(_ s: String) -> String {
    withBytes(s) { b in
        var extra = 0
        for c in b {
            switch c {
            case 0x26: extra += 4       // &amp;
            case 0x3C, 0x3E: extra += 3 // &lt; &gt;
            case 0x22, 0x27: extra += 4 // &#34; &#39;
            default: break
            }
        }
        if extra == 0 { return s }
        var out = ByteBuilder(capacity: b.count + extra)
        for c in b {
            switch c {
            case 0x26: out.append("&amp;")
            case 0x3C: out.append("&lt;")
            case 0x3E: out.append("&gt;")
            case 0x22: out.append("&#34;")
            case 0x27: out.append("&#39;")
            default: out.append(c)
            }
        }
        return out.string
    }
}
