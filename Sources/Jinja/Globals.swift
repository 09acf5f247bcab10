import Synchronization

/// The default globals: `range`, `dict`, `namespace`, `cycler`, `joiner`, `lipsum`.
enum Globals {
    static func install(into env: inout Environment) {
        env.globals["range"] = .function(Function(name: "range") { a, ctx in
            if !a.keywords.isEmpty { throw TemplateError(.type, "range() takes no keyword arguments") }
            let n = try a.positional.map { v -> Int in
                guard let i = v.intLike else {
                    if case .bigint = v { throw TemplateError(.value, "Python int too large to convert to C ssize_t") }
                    throw TemplateError(.type, "'\(v.pyTypeName)' object cannot be interpreted as an integer")
                }
                return i
            }
            var start = 0, stop = 0, step = 1
            switch n.count {
            case 1: stop = n[0]
            case 2: start = n[0]; stop = n[1]
            case 3: start = n[0]; stop = n[1]; step = n[2]
            case 0: throw TemplateError(.type, "range expected at least 1 argument, got 0")
            default: throw TemplateError(.type, "range expected at most 3 arguments, got \(n.count)")
            }
            if step == 0 { throw TemplateError(.value, "range() arg 3 must not be zero") }
            let r = RangeObject(start: start, stop: stop, step: step)
            // Jinja2's range is lazy; ours holds its items, so it is bounded like
            // any list a template builds (and costs steps by its length).
            try ctx.reserve(r.count, items: true, "range")
            r.materialize()
            return .object(r)
        })
        env.globals["dict"] = .function(Function(name: "dict") { a, ctx in
            var pairs: [(Value, Value)] = []
            if a.positional.count > 1 { throw TemplateError(.type, "dict expected at most 1 argument, got \(a.positional.count)") }
            if let first = a.positional.first {
                switch first {
                case .dict(let other): pairs = other.pairs
                default:
                    for (i, pair) in try first.iterate().enumerated() {
                        let kv = try pair.iterate()
                        guard kv.count == 2 else { throw TemplateError(.value, "dictionary update sequence element #\(i) has length \(kv.count); 2 is required") }
                        try ctx.checkHashable(kv[0])
                        pairs.append((kv[0], kv[1]))
                    }
                }
            }
            for (k, v) in a.keywords { pairs.append((.string(k), v)) }
            return .dict(Dict(pairs: pairs))
        })
        env.globals["namespace"] = .function(Function(name: "namespace") { a, _ in
            var pairs: [(Value, Value)] = []
            if a.positional.count > 1 { throw TemplateError(.type, "dict expected at most 1 argument, got \(a.positional.count)") }
            if let first = a.positional.first {
                guard case .dict(let d) = first else { throw TemplateError(.type, "'\(first.pyTypeName)' object is not iterable") }
                pairs = d.pairs
            }
            for (k, v) in a.keywords { pairs.append((.string(k), v)) }
            return .object(Namespace(Dict(pairs: pairs)))
        })
        env.globals["cycler"] = .function(Function(name: "cycler") { a, _ in
            if a.positional.isEmpty { throw TemplateError(.runtime, "at least one item has to be provided") }
            return .object(Cycler(a.positional))
        })
        env.globals["joiner"] = .function(Function(name: "joiner") { a, _ in
            let sep = try a.bound("joiner", "sep")[0] ?? .string(", ")
            return .object(Joiner(sep))
        })
        env.globals["lipsum"] = .function(Function(name: "lipsum") { a, ctx in
            let p = try a.bound("lipsum", "n,html,min,max")
            let n = try p[0].map { try Filters.intArg($0) } ?? 5
            let html = try p[1]?.truthy() ?? true
            // About 50 words of about 6 bytes per paragraph.
            try ctx.reserve(max(0, n).multipliedReportingOverflow(by: 320).overflow ? -1 : max(0, n) * 320, "lipsum text")
            let words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua".split(separator: " ")
            let paras = (0..<max(0, n)).map { i in
                var text = (0..<(20 + i * 7 % 30)).map { String(words[($0 + i) % words.count]) }.joined(separator: " ")
                text = PyText.capitalize(text) + "."
                return html ? "<p>\(text)</p>" : text
            }
            return html ? .markup(paras.joined(separator: "\n")) : .string(paras.joined(separator: "\n\n"))
        })
    }
}

/// Python's `range`: prints as `range(0, 3)`, indexes and iterates like a list.
final class RangeObject: JinjaObject {
    let start: Int, stop: Int, step: Int
    private let items = Mutex<[Value]>([])

    init(start: Int, stop: Int, step: Int) {
        self.start = start
        self.stop = stop
        self.step = step
    }

    /// The number of items, computed without overflow; -1 when beyond `Int`.
    var count: Int {
        let (lo, hi) = step > 0 ? (start, stop) : (stop, start)
        guard hi > lo else { return 0 }
        // The span fits in UInt even when it does not in Int.
        let span = UInt(bitPattern: hi &- lo), s = step.magnitude
        let n = (span - 1) / s + 1
        return n > UInt(Int.max) ? -1 : Int(n)
    }

    func materialize() {
        let n = count
        items.withLock { $0 = (0..<n).map { .int(start &+ $0 &* step) } }
    }

    var typeName: String { "range object" }
    var stringValue: String { step == 1 ? "range(\(start), \(stop))" : "range(\(start), \(stop), \(step))" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "start": return .int(start)
        case "stop": return .int(stop)
        case "step": return .int(step)
        default: return nil
        }
    }
    func item(_ key: Value) -> Value? {
        guard let i = key.normalizedIndex.intLike else { return nil }
        return items.withLock { all in
            let j = i < 0 ? i + all.count : i
            return j >= 0 && j < all.count ? all[j] : nil
        }
    }
    func iterate() -> [Value]? { items.withLock { $0 } }
    var isTruthy: Bool { count != 0 }
    func equals(_ other: Value) -> Bool {
        guard case .object(let o as RangeObject) = other else { return false }
        return iterate()! == o.iterate()!
    }
}

/// `namespace(...)`: the one object templates may assign attributes to.
final class Namespace: JinjaObject {
    private let attrs: Mutex<Dict>
    init(_ attrs: Dict) { self.attrs = Mutex(attrs) }
    var typeName: String { "Namespace" }
    func attribute(_ name: String) -> Value? { attrs.withLock { $0[name] } }
    func setAttribute(_ name: String, _ value: Value) -> Bool {
        attrs.withLock { $0[name] = value }
        return true
    }
    /// Python's repr, `<Namespace {...}>`; a namespace inside itself prints as `{...}`
    /// there, as Python's dict repr does.
    var stringValue: String {
        if Namespace.printing.withLock({ !$0.insert(ObjectIdentifier(self)).inserted }) { return "<Namespace {...}>" }
        defer { _ = Namespace.printing.withLock { $0.remove(ObjectIdentifier(self)) } }
        return "<Namespace \((try? Value.dict(attrs.withLock { $0 }).repr()) ?? "{}")>"
    }

    /// Namespaces whose repr is being built (on any thread; a namespace belongs to
    /// one render, so threads do not meet here in practice).
    private static let printing = Mutex<Set<ObjectIdentifier>>([])
}

final class Cycler: JinjaObject {
    let items: [Value]
    private let pos = Atomic<Int>(0)
    init(_ items: [Value]) { self.items = items }
    var typeName: String { "Cycler object" }
    var stringValue: String { "<jinja2.utils.Cycler object>" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "current": return items[pos.load(ordering: .relaxed)]
        case "next":
            return .function(Function(name: "next") { [self] _, _ in
                let i = self.pos.load(ordering: .relaxed)
                self.pos.store((i + 1) % self.items.count, ordering: .relaxed)
                return self.items[i]
            })
        case "reset":
            return .function(Function(name: "reset") { [self] _, _ in
                self.pos.store(0, ordering: .relaxed)
                return .none
            })
        default: return nil
        }
    }
}

final class Joiner: JinjaObject {
    let sep: Value
    private let used = Atomic<Bool>(false)
    init(_ sep: Value) { self.sep = sep }
    var typeName: String { "Joiner object" }
    var stringValue: String { "<jinja2.utils.Joiner object>" }
    func attribute(_ name: String) -> Value? { nil }
    func call(_ args: Arguments, _ ctx: RenderContext) throws -> Value? {
        if !used.exchange(true, ordering: .relaxed) { return .string("") }
        return sep
    }
}

enum Builtins {
    static func install(into env: inout Environment) {
        Filters.install(into: &env)
        Tests.install(into: &env)
        Globals.install(into: &env)
    }
}
