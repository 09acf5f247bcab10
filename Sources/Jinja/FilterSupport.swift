/// Attribute getters, sorting and selection shared by the filters.
extension Filters {
    /// Jinja2's attribute getter: dotted paths, digit parts as integer indexes.
    static func attrGetter(_ ctx: RenderContext, _ attribute: Value, defaultValue: Value?) -> (Value) throws -> Value {
        var parts: [Value] = []
        switch attribute {
        case .none: parts = []
        case .string(let s):
            parts = PyString.split(s, ".", -1).map {
                $0.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) && !$0.isEmpty && $0.utf8.count < 19 ? .int(Int($0)!) : .string($0)
            }
        default: parts = [attribute]
        }
        // String parts, the common case, are looked up in dicts by their tags,
        // computed once here.
        let names = parts.compactMap { p -> String? in
            if case .string(let name) = p { return name }
            return nil
        }
        if names.count == parts.count {
            let tags = names.map(StringTag.init)
            let fallback = defaultValue.flatMap { $0.isNone ? nil : $0 }
            return { item in
                var cur = item
                for k in names.indices {
                    if case .dict(let d) = cur, let v = d.value(named: names[k], tag: tags[k]) {
                        cur = v
                        continue
                    }
                    cur = try ctx.getitem(cur, .string(names[k]))
                    if let fallback, cur.isUndefined { cur = fallback }
                }
                return cur
            }
        }
        return { item in
            var cur = item
            for p in parts {
                cur = try ctx.getitem(cur, p)
                if let defaultValue, !defaultValue.isNone, cur.isUndefined { cur = defaultValue }
            }
            return cur
        }
    }

    static func multiAttrGetter(_ ctx: RenderContext, _ attribute: Value?) -> (Value) throws -> [Value] {
        guard let attribute, !attribute.isNone else { return { [$0] } }
        let getters: [(Value) throws -> Value]
        if case .string(let s) = attribute {
            getters = PyString.split(s, ",", -1).map { attrGetter(ctx, .string($0), defaultValue: nil) }
        } else {
            getters = [attrGetter(ctx, attribute, defaultValue: nil)]
        }
        return { item in try getters.map { try $0(item) } }
    }

    /// Python's stable `sorted` with a key function giving a list of keys.
    /// `bare`: each key is one value compared as itself (Jinja2's single attribute
    /// getters), not a list of keys (its multi-attribute getter): Python compares
    /// lists item by item with `==` first, so undefined keys only fail bare.
    static func sortValues(_ items: [Value], reverse: Bool, bare: Bool = false, key: (Value) throws -> [Value]) throws -> [Value] {
        let keys = try items.map(key)
        // Sorting positions keeps the comparisons free of value copies; ties keep
        // their order (Python's sort is stable, in reverse too).
        var order = Array(items.indices)
        try order.sort { i, j in
            let a = keys[i], b = keys[j]
            let c: Int
            if a.count == 1 && b.count == 1 {
                c = try compareKey(a[0], b[0], bare: bare)
            } else {
                c = try Value.list(a).pyCompare(.list(b))
            }
            if c != 0 { return reverse ? c > 0 : c < 0 }
            return i < j
        }
        return order.map { items[$0] }
    }

    /// Python's stable sort of `items` by one key each; `foldCase`: by the keys'
    /// lower case (Jinja2's `ignore_case`, which lowers strings only).
    static func sortByKeys(_ items: [Value], _ keys: [Value], reverse: Bool, bare: Bool, foldCase: Bool = false) throws -> [Value] {
        if let strings = SortKeys.strings(keys, foldCase: foldCase) {
            return strings.order(reverse: reverse).map { items[$0] }
        }
        let keys = foldCase ? keys.map(lowerIfString) : keys
        var order = Array(items.indices)
        try keys.withUnsafeBufferPointer { k in
            try order.sort { i, j in
                let c = try compareKey(k[i], k[j], bare: bare)
                if c != 0 { return reverse ? c > 0 : c < 0 }
                return i < j
            }
        }
        return order.map { items[$0] }
    }

    /// One sort key against another. In a list of keys Python compares items with
    /// `==` before `<`; a bare key only with `<`.
    @inline(__always)
    static func compareKey(_ a: Value, _ b: Value, bare: Bool) throws -> Int {
        if case .string(let x) = a, case .string(let y) = b { return pyStringCompare(x, y) }
        if case .int(let x) = a, case .int(let y) = b { return x < y ? -1 : (x == y ? 0 : 1) }
        if !bare && a.pyEquals(b) { return 0 }
        return try a.pyCompare(b)
    }

    static func minMax(_ v: Value, _ a: Arguments, _ ctx: RenderContext, wantMax: Bool) throws -> Value {
        let p = try a.bound(wantMax ? "max" : "min", "case_sensitive,attribute")
        let caseSensitive = try p[0]?.truthy() ?? false
        let g = attrGetter(ctx, p[1] ?? .none, defaultValue: nil)
        let items = try v.iterate()
        guard var best = items.first else {
            return ctx.undefined(hint: "No aggregated item, sequence was empty.")
        }
        func key(_ x: Value) throws -> Value { caseSensitive ? try g(x) : lowerIfString(try g(x)) }
        var bestKey = try key(best)
        for item in items.dropFirst() {
            let k = try key(item)
            let c = try k.pyCompare(bestKey)
            if wantMax ? c > 0 : c < 0 {
                best = item
                bestKey = k
            }
        }
        return best
    }

    static func selectOrReject(_ v: Value, _ a: Arguments, _ ctx: RenderContext, keep: Bool, attribute: Bool) throws -> Value {
        // Jinja2 checks `if value:` before iterating, so falsy values give nothing.
        if try !v.truthy() { return .list([]) }
        var args = a.positional
        var getter: (Value) throws -> Value = { $0 }
        if attribute {
            guard !args.isEmpty else { throw TemplateError(.runtime, "Missing parameter for attribute name") }
            getter = attrGetter(ctx, args.removeFirst(), defaultValue: nil)
        }
        var test: ((Value) throws -> Bool)
        if let name = args.first {
            let testName = try name.str()
            guard let t = ctx.environment.tests[testName] else { throw TemplateError(.syntax, "No test named '\(testName)'.") }
            let rest = Arguments(Array(args.dropFirst()), keywords: a.keywords)
            test = { try t($0, rest, ctx) }
        } else {
            test = { try $0.truthy() }
        }
        return .list(try v.iterate().filter { try ctx.burn(); return try test(try getter($0)) == keep })
    }
}
