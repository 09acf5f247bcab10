import Foundation

/// Jinja2 3.1's builtin tests (`x is defined`, `x is divisibleby(3)`, …).
enum Tests {
    static func install(into env: inout Environment) {
        var t: [String: TestFunction] = [:]
        t["boolean"] = { v, _, _ in if case .bool = v { return true }; return false }
        t["callable"] = { v, _, _ in
            switch v {
            // Undefined has __call__ (it raises), so Python calls it callable.
            case .function, .undefined: return true
            case .object(let o): return o is LoopObject
            default: return false
            }
        }
        t["defined"] = { v, _, _ in !v.isUndefined }
        t["undefined"] = { v, _, _ in v.isUndefined }
        t["divisibleby"] = { v, a, ctx in
            guard let n = a[0] else { throw TemplateError(.type, "divisibleby() missing argument 'num'") }
            return try Numbers.arithmetic(.modulo, v, n).pyEquals(.int(0))
        }
        let eq: TestFunction = { v, a, _ in v.pyEquals(a[0] ?? .none) }
        let ne: TestFunction = { v, a, _ in !v.pyEquals(a[0] ?? .none) }
        t["eq"] = eq; t["=="] = eq; t["equalto"] = eq
        t["ne"] = ne; t["!="] = ne
        let lt: TestFunction = { v, a, _ in try v.pyCompare(a[0] ?? .none, op: "<") < 0 }
        let le: TestFunction = { v, a, _ in try v.pyCompare(a[0] ?? .none, op: "<=") <= 0 }
        let gt: TestFunction = { v, a, _ in try v.pyCompare(a[0] ?? .none, op: ">") > 0 }
        let ge: TestFunction = { v, a, _ in try v.pyCompare(a[0] ?? .none, op: ">=") >= 0 }
        t["lt"] = lt; t["<"] = lt; t["lessthan"] = lt
        t["le"] = le; t["<="] = le
        t["gt"] = gt; t[">"] = gt; t["greaterthan"] = gt
        t["ge"] = ge; t[">="] = ge
        t["escaped"] = { v, _, _ in v.isSafe }
        // Jinja2 computes `value % 2`, with Python's operator (floats and strings too).
        t["even"] = { v, _, ctx in try ctx.binary(.modulo, v, .int(2)).pyEquals(.int(0)) }
        t["odd"] = { v, _, ctx in try ctx.binary(.modulo, v, .int(2)).pyEquals(.int(1)) }
        t["false"] = { v, _, _ in if case .bool(false) = v { return true }; return false }
        t["true"] = { v, _, _ in if case .bool(true) = v { return true }; return false }
        t["filter"] = { v, _, ctx in
            guard case .string(let s) = v else { return false }
            return ctx.environment.filters[s] != nil
        }
        t["test"] = { v, _, ctx in
            guard case .string(let s) = v else { return false }
            return ctx.environment.tests[s] != nil
        }
        t["float"] = { v, _, _ in if case .double = v { return true }; return false }
        t["integer"] = { v, _, _ in
            switch v {
            case .int, .bigint: return true
            default: return false
            }
        }
        t["in"] = { v, a, ctx in try ctx.contains(a[0] ?? .none, v) }
        t["iterable"] = { v, _, _ in
            switch v {
            case .list, .tuple, .dict, .string, .markup, .undefined: return true
            case .object(let o): return o.iterate() != nil
            default: return false
            }
        }
        // Jinja2 tests str(value), whatever its type.
        t["lower"] = { v, _, _ in PyText.isLower(try v.str()) }
        t["upper"] = { v, _, _ in PyText.isUpper(try v.str()) }
        t["mapping"] = { v, _, _ in if case .dict = v { return true }; return false }
        t["none"] = { v, _, _ in v.isNone }
        t["number"] = { v, _, _ in v.isNumber }
        t["sameas"] = { v, a, _ in
            let o = a[0] ?? .none
            switch (v, o) {
            case (.none, .none): return true
            case let (.bool(x), .bool(y)): return x == y
            case let (.int(x), .int(y)): return x == y && (-5...256).contains(x)
            case let (.object(x), .object(y)): return x === y
            case let (.function(x), .function(y)): return x === y
            case let (.string(x), .string(y)): return x == y && x.count <= 1
            default: return false
            }
        }
        t["sequence"] = { v, _, _ in
            switch v {
            case .list, .tuple, .dict, .string, .markup: return true
            case .undefined(let u):
                // Undefined has __len__ and __getitem__, so Jinja2 calls it a sequence.
                if u.strict { throw u.error() }
                return true
            case .object(let o): return o.iterate() != nil && !(o is Methods.DictView)
            default: return false
            }
        }
        t["string"] = { v, _, _ in
            switch v {
            case .string, .markup: return true
            default: return false
            }
        }
        env.tests.merge(t) { _, new in new }
    }
}
