import Foundation

/// Jinja2 3.1's builtin tests (`x is defined`, `x is divisibleby(3)`, …).
enum Tests {
    static func install(into env: Environment) {
        var t: [String: TestFunction] = [:]
        t["boolean"] = { v, _, _ in if case .bool = v { return true }; return false }
        t["callable"] = { v, _, _ in
            switch v {
            case .function: return true
            case .object(let o): return o is LoopObject
            default: return false
            }
        }
        t["defined"] = { v, _, _ in !v.isUndefined }
        t["undefined"] = { v, _, _ in v.isUndefined }
        t["divisibleby"] = { v, a, ctx in
            guard let n = a[0] else { throw TemplateError(.type, "divisibleby() missing argument 'num'") }
            return try ctx.arithmetic("%", v, n).pyEquals(.int(0))
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
        t["even"] = { v, _, ctx in try ctx.binary("%", v, .int(2)).pyEquals(.int(0)) }
        t["odd"] = { v, _, ctx in try ctx.binary("%", v, .int(2)).pyEquals(.int(1)) }
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
        t["integer"] = { v, _, _ in if case .int = v { return true }; return false }
        t["in"] = { v, a, ctx in try ctx.contains(a[0] ?? .none, v) }
        t["iterable"] = { v, _, _ in
            switch v {
            case .list, .tuple, .dict, .string, .markup, .undefined: return true
            case .object(let o): return o.iterate() != nil
            default: return false
            }
        }
        // Jinja2 tests str(value), whatever its type.
        t["lower"] = { v, _, _ in PyString.isLower(try v.str()) }
        t["upper"] = { v, _, _ in PyString.isUpper(try v.str()) }
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
            case .object(let o): return o.iterate() != nil
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

/// The default globals: `range`, `dict`, `namespace`, `cycler`, `joiner`, `lipsum`.
enum Globals {
    static func install(into env: Environment) {
        env.globals["range"] = .function(Function(name: "range") { a, ctx in
            let n = try a.positional.map { v -> Int in
                guard let i = v.intLike else { throw TemplateError(.type, "'\(v.pyTypeName)' object cannot be interpreted as an integer") }
                return i
            }
            var start = 0, stop = 0, step = 1
            switch n.count {
            case 1: stop = n[0]
            case 2: start = n[0]; stop = n[1]
            case 3: start = n[0]; stop = n[1]; step = n[2]
            default: throw TemplateError(.type, "range expected at most 3 arguments, got \(n.count)")
            }
            if step == 0 { throw TemplateError(.value, "range() arg 3 must not be zero") }
            let count = step > 0 ? max(0, (stop - start + step - 1) / step) : max(0, (start - stop - step - 1) / -step)
            // Jinja2 refuses ranges over 100,000 items (MAX_RANGE) in the sandbox; we
            // bound them by the fuel budget instead.
            try ctx.burn(count)
            return .list(stride(from: start, to: stop, by: step).map { .int($0) })
        })
        env.globals["dict"] = .function(Function(name: "dict") { a, _ in
            var d = Dict()
            if let first = a.positional.first {
                switch first {
                case .dict(let other): for (k, v) in other.pairs { d[k] = v }
                default:
                    for pair in try first.iterate() {
                        let kv = try pair.iterate()
                        guard kv.count == 2 else { throw TemplateError(.value, "dictionary update sequence element has length \(kv.count); 2 is required") }
                        d[kv[0]] = kv[1]
                    }
                }
            }
            for (k, v) in a.keywords { d[k] = v }
            return .dict(d)
        })
        env.globals["namespace"] = .function(Function(name: "namespace") { a, _ in
            let ns = Namespace()
            if let first = a.positional.first, case .dict(let d) = first {
                for (k, v) in d.pairs { ns.attrs[try k.str()] = v }
            }
            for (k, v) in a.keywords { ns.attrs[k] = v }
            return .object(ns)
        })
        env.globals["cycler"] = .function(Function(name: "cycler") { a, _ in .object(Cycler(a.positional)) })
        env.globals["joiner"] = .function(Function(name: "joiner") { a, _ in
            let sep = try a.bind("joiner", ["sep"])[0] ?? .string(", ")
            return .object(Joiner(sep))
        })
        env.globals["lipsum"] = .function(Function(name: "lipsum") { a, _ in
            let p = try a.bind("lipsum", ["n", "html", "min", "max"])
            let n = p[0]?.intLike ?? 5
            let html = try p[1]?.truthy() ?? true
            let words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua".split(separator: " ")
            let paras = (0..<max(0, n)).map { i in
                let text = (0..<(20 + i * 7 % 30)).map { String(words[($0 + i) % words.count]) }.joined(separator: " ").capitalized + "."
                return html ? "<p>\(text)</p>" : text
            }
            return html ? .markup(paras.joined(separator: "\n")) : .string(paras.joined(separator: "\n\n"))
        })
    }
}

/// `namespace(...)`: the one object templates may assign attributes to.
final class Namespace: JinjaObject {
    var attrs: [String: Value] = [:]
    var typeName: String { "Namespace" }
    func attribute(_ name: String) -> Value? { attrs[name] }
    func setAttribute(_ name: String, _ value: Value) -> Bool {
        attrs[name] = value
        return true
    }
    var stringValue: String {
        let inner = attrs.sorted { $0.key < $1.key }.map { "\($0.key)=\((try? $0.value.repr()) ?? "")" }
        return "<Namespace " + inner.joined(separator: ", ") + ">"
    }
}

final class Cycler: JinjaObject {
    let items: [Value]
    var pos = 0
    init(_ items: [Value]) { self.items = items }
    var typeName: String { "Cycler object" }
    var stringValue: String { "<jinja2.utils.Cycler object>" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "current": return items.isEmpty ? .none : items[pos]
        case "next":
            return .function(Function(name: "next") { [self] _, _ in
                guard !self.items.isEmpty else { throw TemplateError(.runtime, "at least one item has to be provided") }
                let v = self.items[self.pos]
                self.pos = (self.pos + 1) % self.items.count
                return v
            })
        case "reset":
            return .function(Function(name: "reset") { [self] _, _ in
                self.pos = 0
                return .none
            })
        default: return nil
        }
    }
}

final class Joiner: JinjaObject {
    let sep: Value
    var used = false
    init(_ sep: Value) { self.sep = sep }
    var typeName: String { "Joiner object" }
    var stringValue: String { "<jinja2.utils.Joiner object>" }
    func attribute(_ name: String) -> Value? { nil }
    func call(_ args: Arguments, _ ctx: RenderContext) throws -> Value? {
        if !used {
            used = true
            return .string("")
        }
        return sep
    }
}

enum Builtins {
    static func install(into env: Environment) {
        Filters.install(into: env)
        Tests.install(into: env)
        Globals.install(into: env)
    }
}
