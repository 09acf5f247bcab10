import BigInt
import Foundation

/// Jinja2's filters on sequences, mappings and numbers.
extension Filters {
    static func installCollections(_ f: inout [String: FilterFunction]) {
        f["attr"] = { v, a, ctx in
            let name = try a.bound("attr", "name")[0] ?? .none
            guard case .string(let n) = name else { return ctx.undefined(hint: "attribute name must be a string") }
            switch v {
            case .object(let o): return o.attribute(n) ?? ctx.undefined(hint: "'\(v.objectTypeRepr)' has no attribute '\(n)'")
            case .undefined(let u): throw u.error()
            default:
                return Methods.bound(v, n) ?? ctx.undefined(hint: "'\(v.objectTypeRepr)' has no attribute '\(n)'")
            }
        }
        f["batch"] = { v, a, ctx in
            let p = try a.bound("batch", "linecount,fill_with")
            guard let countValue = p[0] else { throw TemplateError(.type, "do_batch() missing 1 required positional argument: 'linecount'") }
            let count = try intArg(countValue)
            let fill = p[1].flatMap { $0.isNone ? nil : $0 }
            var out: [Value] = []
            var cur: [Value] = []
            for item in try v.iterate() {
                if cur.count == count { out.append(.list(cur)); cur = [] }
                cur.append(item)
            }
            if !cur.isEmpty {
                if let fill, cur.count < count {
                    try ctx.reserve(count, items: true, "batch")
                    cur += Array(repeating: fill, count: count - cur.count)
                }
                out.append(.list(cur))
            }
            return .list(out)
        }
        let count: FilterFunction = { v, _, _ in .int(try v.length()) }
        f["count"] = count
        f["length"] = count
        let defaultFilter: FilterFunction = { v, a, _ in
            let p = try a.bound("default", "default_value,boolean")
            let fallback = p[0] ?? .string("")
            if v.isUndefined { return fallback }
            if try p[1]?.truthy() == true, !(try v.truthy()) { return fallback }
            return v
        }
        f["default"] = defaultFilter
        f["d"] = defaultFilter
        f["dictsort"] = { v, a, _ in
            let p = try a.bound("dictsort", "case_sensitive,by,reverse")
            let caseSensitive = try p[0]?.truthy() ?? false
            let by = try p[1]?.str() ?? "key"
            guard by == "key" || by == "value" else { throw TemplateError(.runtime, "You can only sort by either \"key\" or \"value\"") }
            guard case .dict(let d) = v else { throw TemplateError(.type, "dictsort expects a mapping") }
            let pos = by == "key" ? 0 : 1
            let pairs = d.pairs.map { Value.tuple([$0.0, $0.1]) }
            return .list(try sortValues(pairs, reverse: try p[2]?.truthy() ?? false, bare: true) { item in
                guard case .tuple(let t) = item else { return [item] }
                return [caseSensitive ? t[pos] : lowerIfString(t[pos])]
            })
        }
        f["filesizeformat"] = { v, a, _ in
            let p = try a.bound("filesizeformat", "binary")
            let binary = try p[0]?.truthy() ?? false
            let bytes = try toFloat(v)
            let base = binary ? 1024.0 : 1000.0
            let prefixes = binary ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
                                  : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
            if bytes == 1 { return .string("1 Byte") }
            if bytes < base { return .string("\(try Value.integer(BigInt(bytes.isFinite ? bytes : 0)).str()) Bytes") }
            for (i, prefix) in prefixes.enumerated() {
                let unit = pow(base, Double(i + 2))
                if bytes < unit || i == prefixes.count - 1 {
                    return .string(PyFormat.fixed(base * bytes / unit, 1) + " " + prefix)
                }
            }
            return .string("")
        }
        f["first"] = { v, _, ctx in
            if case .undefined(let u) = v, u.strict { throw u.error() }
            return try v.iterate().first ?? ctx.undefined(hint: "No first item, sequence was empty.")
        }
        f["float"] = { v, a, _ in
            let p = try a.bound("float", "default")
            if case .undefined(let u) = v { throw u.error() } // Undefined.__float__ raises
            do { return .double(try toFloat(v)) } catch let e as TemplateError where e.kind == .value || e.kind == .type {
                if case .bigint = v { throw e } // OverflowError is not caught
                return p[0] ?? .double(0)
            }
        }
        f["groupby"] = { v, a, ctx in
            let p = try a.bound("groupby", "attribute,default,case_sensitive")
            guard let attr = p[0] else { throw TemplateError(.type, "groupby() missing required argument 'attribute'") }
            let caseSensitive = try p[2]?.truthy() ?? false
            let getter = attrGetter(ctx, attr, defaultValue: p[1])
            let items = try v.iterate()
            let sorted = try sortValues(items, reverse: false, bare: true) { [caseSensitive ? try getter($0) : lowerIfString(try getter($0))] }
            var groups: [(Value, [Value])] = []
            for item in sorted {
                let key = try getter(item)
                let cmp = caseSensitive ? key : lowerIfString(key)
                if let last = groups.last, (caseSensitive ? last.0 : lowerIfString(last.0)).pyEquals(cmp) {
                    groups[groups.count - 1].1.append(item)
                } else {
                    groups.append((key, [item]))
                }
            }
            return .list(groups.map { .object(GroupTuple(grouper: $0.0, list: $0.1)) })
        }
        f["int"] = { v, a, _ in
            let p = try a.bound("int", "default,base")
            let def = p[0] ?? .int(0)
            let base = try p[1].map { try intArg($0) } ?? 10
            switch v {
            case .undefined(let u): throw u.error() // Undefined.__int__ raises
            case .int, .bigint: return v
            case .bool(let b): return .int(b ? 1 : 0)
            case .double(let d):
                guard d.isFinite else { return def }
                return .integer(BigInt(d.rounded(.towardZero)))
            case .string(let s), .markup(let s):
                if let i = NumberText.parseInt(s, base: base) { return i }
                if let d = NumberText.parseFloat(s), d.isFinite { return .integer(BigInt(d.rounded(.towardZero))) }
                return def
            default: return def
            }
        }
        f["items"] = { v, _, _ in
            switch v {
            case .undefined(let u):
                if u.strict { throw u.error() }
                return .list([])
            case .dict(let d): return .list(d.pairs.map { .tuple([$0.0, $0.1]) })
            default: throw TemplateError(.type, "Can only get item pairs from a mapping.")
            }
        }
        f["join"] = { v, a, ctx in
            let p = try a.bound("join", "d,attribute")
            var items = try v.iterate()
            if let attr = p[1], !attr.isNone {
                let g = attrGetter(ctx, attr, defaultValue: nil)
                items = try items.map(g)
            }
            let sep = p[0] ?? .string("")
            let escaping = ctx.autoescape && (sep.isSafe || items.contains(where: \.isSafe))
            let sepText = escaping && !sep.isSafe ? htmlEscape(try sep.str()) : try sep.str()
            let parts = try items.map { escaping && !$0.isSafe ? htmlEscape(try $0.str()) : try $0.str() }
            try ctx.reserve(parts.reduce(0) { $0 + $1.utf8.count } + sepText.utf8.count * max(0, parts.count - 1), "string")
            let joined = PyString.join(parts, separator: sepText)
            return escaping ? .markup(joined) : .string(joined)
        }
        f["last"] = { v, _, ctx in
            if case .undefined(let u) = v, u.strict { throw u.error() }
            return try v.iterate().last ?? ctx.undefined(hint: "No last item, sequence was empty.")
        }
        f["list"] = { v, _, _ in .list(try v.iterate()) }
        f["map"] = { v, a, ctx in
            if try v.isUndefined || !v.truthy() { return .list([]) }
            let items = try v.iterate()
            if a.positional.isEmpty, let attr = a.keyword("attribute") {
                let def = a.keyword("default")
                if let extra = a.keywords.first(where: { $0.0 != "attribute" && $0.0 != "default" }) {
                    throw TemplateError(.runtime, "Unexpected keyword argument '\(extra.0)'")
                }
                let g = attrGetter(ctx, attr, defaultValue: def)
                return .list(try items.map(g))
            }
            guard case .string(let name)? = a.positional.first else {
                throw TemplateError(.runtime, "map requires a filter argument")
            }
            guard let filter = ctx.environment.filters[name] else { throw TemplateError(.syntax, "No filter named '\(name)'.") }
            let rest = Arguments(Array(a.positional.dropFirst()), keywords: a.keywords)
            return .list(try items.map { try ctx.burn(); return try filter($0, rest, ctx) })
        }
        f["max"] = { v, a, ctx in try minMax(v, a, ctx, wantMax: true) }
        f["min"] = { v, a, ctx in try minMax(v, a, ctx, wantMax: false) }
        f["pprint"] = { v, _, _ in .string(try PrettyPrint.format(v)) }
        f["random"] = { v, _, ctx in
            let items = try v.iterate()
            return items.randomElement() ?? ctx.undefined(hint: "No random item, sequence was empty.")
        }
        f["reject"] = { v, a, ctx in try selectOrReject(v, a, ctx, keep: false, attribute: false) }
        f["rejectattr"] = { v, a, ctx in try selectOrReject(v, a, ctx, keep: false, attribute: true) }
        f["select"] = { v, a, ctx in try selectOrReject(v, a, ctx, keep: true, attribute: false) }
        f["selectattr"] = { v, a, ctx in try selectOrReject(v, a, ctx, keep: true, attribute: true) }
        f["reverse"] = { v, _, _ in
            switch v {
            case .string(let s): return .string(PyText.string(s.unicodeScalars.reversed()))
            case .markup(let s): return .markup(PyText.string(s.unicodeScalars.reversed()))
            default: return .list(try v.iterate().reversed())
            }
        }
        f["round"] = { v, a, _ in
            let p = try a.bound("round", "precision,method")
            let precision = try p[0].map { try intArg($0) } ?? 0
            let method = try p[1]?.str() ?? "common"
            guard ["common", "ceil", "floor"].contains(method) else { throw TemplateError(.runtime, "method must be common, ceil or floor") }
            guard v.isNumber else {
                if case .undefined(let u) = v { throw u.error() }
                throw TemplateError(.type, "type \(v.pyTypeName) doesn't define __round__ method")
            }
            if method == "common" {
                if let i = v.bigIntLike { return .integer(roundInteger(i, precision)) }
                return .double(PyFormat.roundHalfEven(try Numbers.toDouble(v), precision))
            }
            // Jinja2: math.ceil/floor(value * 10 ** precision) / 10 ** precision. The
            // ceiling is an int (no negative zero); int / int is exact division.
            if precision >= 0 {
                let scale = BigInt(10).power(min(precision, 400))
                let n: BigInt
                if let i = v.bigIntLike {
                    n = i * scale
                } else {
                    let x = try Numbers.toDouble(v) * Double(scale)
                    guard x.isFinite else { throw TemplateError(.value, "cannot convert float infinity or NaN to integer") }
                    n = BigInt(method == "ceil" ? x.rounded(.up) : x.rounded(.down))
                }
                return .double(try Numbers.trueDivide(n, scale))
            }
            let scale = pow(10.0, Double(precision))
            let x = try Numbers.toDouble(v) * scale
            guard x.isFinite else { throw TemplateError(.value, "cannot convert float infinity or NaN to integer") }
            return .double(((method == "ceil" ? x.rounded(.up) : x.rounded(.down)) + 0.0) / scale)
        }
        f["slice"] = { v, a, ctx in
            let p = try a.bound("slice", "slices,fill_with")
            guard let slicesValue = p[0] else { throw TemplateError(.type, "do_slice() missing 1 required positional argument: 'slices'") }
            let slices = try intArg(slicesValue)
            if slices == 0 { throw TemplateError(.value, "integer division or modulo by zero") }
            let seq = try v.iterate()
            guard slices > 0 else { return .list([]) }
            try ctx.reserve(slices, items: true, "slice")
            let per = seq.count / slices
            let extra = seq.count % slices
            var offset = 0
            var out: [Value] = []
            for n in 0..<slices {
                let start = offset + n * per
                if n < extra { offset += 1 }
                let end = offset + (n + 1) * per
                var tmp = Array(seq[min(start, seq.count)..<min(max(start, end), seq.count)])
                if let fill = p[1], !fill.isNone, n >= extra { tmp.append(fill) }
                out.append(.list(tmp))
            }
            return .list(out)
        }
        f["sort"] = { v, a, ctx in
            let p = try a.bound("sort", "reverse,case_sensitive,attribute")
            let caseSensitive = try p[1]?.truthy() ?? false
            let items = try v.iterate()
            let reverse = try p[0]?.truthy() ?? false
            // No attribute, or one: one key per item (a list of one key compares the same).
            if p[2]?.isNone ?? true {
                return .list(try sortByKeys(items, items, reverse: reverse, bare: false, foldCase: !caseSensitive))
            }
            if let attr = p[2], case .string(let path) = attr, !path.utf8.contains(UInt8(ascii: ",")) {
                let getter = attrGetter(ctx, attr, defaultValue: nil)
                let keys = try items.map(getter)
                return .list(try sortByKeys(items, keys, reverse: reverse, bare: false, foldCase: !caseSensitive))
            }
            let getters = multiAttrGetter(ctx, p[2])
            return .list(try sortValues(items, reverse: reverse) { item in
                try getters(item).map { caseSensitive ? $0 : lowerIfString($0) }
            })
        }
        f["sum"] = { v, a, ctx in
            let p = try a.bound("sum", "attribute,start")
            var items = try v.iterate()
            if let attr = p[0], !attr.isNone { items = try items.map(attrGetter(ctx, attr, defaultValue: nil)) }
            var total = p[1] ?? .int(0)
            for item in items { total = try ctx.binary(.add, total, item) }
            return total
        }
        f["tojson"] = { v, a, _ in
            let p = try a.bound("tojson", "indent")
            let json = try PyJSON.dumps(v, indent: p[0]?.clampedInt, sortKeys: true)
            return .markup(json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
                .replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "'", with: "\\u0027"))
        }
        f["unique"] = { v, a, ctx in
            let p = try a.bound("unique", "case_sensitive,attribute")
            let caseSensitive = try p[0]?.truthy() ?? false
            let g = attrGetter(ctx, p[1] ?? .none, defaultValue: nil)
            var seen = Set<Value>()
            var out: [Value] = []
            for item in try v.iterate() {
                var key = try g(item)
                if !caseSensitive { key = lowerIfString(key) }
                if case .undefined(let u) = key, u.strict { throw u.error() }
                try ctx.checkHashable(key)
                if seen.insert(key).inserted { out.append(item) }
            }
            return .list(out)
        }
    }

    /// Python's `round(int, ndigits)`: negative ndigits round half to even.
    static func roundInteger(_ i: BigInt, _ ndigits: Int) -> BigInt {
        guard ndigits < 0 else { return i }
        guard ndigits > -400 else { return 0 }
        let scale = BigInt(10).power(-ndigits)
        var (q, r) = i.quotientAndRemainder(dividingBy: scale)
        if r.signum() < 0 { q -= 1; r += scale }
        let twice = r * 2
        if twice > scale || (twice == scale && q.words[0] & 1 == 1) { q += 1 }
        return q * scale
    }
}

/// What `groupby` yields: a (grouper, list) tuple with named fields.
final class GroupTuple: JinjaObject {
    let grouper: Value
    let list: [Value]
    init(grouper: Value, list: [Value]) {
        self.grouper = grouper
        self.list = list
    }
    var typeName: String { "_GroupTuple object" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "grouper": return grouper
        case "list": return .list(list)
        default: return nil
        }
    }
    func item(_ key: Value) -> Value? {
        switch key.intLike {
        case 0, -2: return grouper
        case 1, -1: return .list(list)
        default: return nil
        }
    }
    var stringValue: String { (try? Value.tuple([grouper, .list(list)]).repr()) ?? "" }
    func iterate() -> [Value]? { [grouper, .list(list)] }
    func equals(_ other: Value) -> Bool { Value.tuple([grouper, .list(list)]).pyEquals(other) }
}
