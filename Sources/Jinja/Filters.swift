import Foundation

/// Jinja2 3.1's builtin filters, with Python's behaviour for each.
enum Filters {
    static func install(into env: Environment) {
        var f: [String: FilterFunction] = [:]

        f["abs"] = { v, a, _ in
            _ = try a.bind("abs", [])
            switch v {
            case .int(let i): return .int(abs(i))
            case .double(let d): return .double(abs(d))
            case .bool(let b): return .int(b ? 1 : 0)
            default: throw TemplateError(.type, "bad operand type for abs(): '\(v.pyTypeName)'")
            }
        }
        f["attr"] = { v, a, ctx in
            let name = try a.bind("attr", ["name"])[0] ?? .none
            guard case .string(let n) = name else { return ctx.undefined(hint: "attribute name must be a string") }
            switch v {
            case .object(let o): return o.attribute(n) ?? ctx.undefined(hint: "'\(v.objectTypeRepr)' has no attribute '\(n)'")
            case .undefined(let u): throw u.error()
            default:
                return Methods.bound(v, n) ?? ctx.undefined(hint: "'\(v.objectTypeRepr)' has no attribute '\(n)'")
            }
        }
        f["batch"] = { v, a, _ in
            let p = try a.bind("batch", ["linecount", "fill_with"])
            guard let count = p[0]?.intLike, count > 0 else { throw TemplateError(.value, "batch size must be positive") }
            let fill = p[1].flatMap { $0.isNone ? nil : $0 }
            var out: [Value] = []
            var cur: [Value] = []
            for item in try v.iterate() {
                if cur.count == count { out.append(.list(cur)); cur = [] }
                cur.append(item)
            }
            if !cur.isEmpty {
                if let fill, cur.count < count { cur += Array(repeating: fill, count: count - cur.count) }
                out.append(.list(cur))
            }
            return .list(out)
        }
        f["capitalize"] = { v, _, _ in sameKind(v, PyString.capitalize(try v.str())) }
        f["center"] = { v, a, _ in
            let p = try a.bind("center", ["width"])
            return sameKind(v, PyString.center(try v.str(), p[0]?.intLike ?? 80, " "))
        }
        let count: FilterFunction = { v, _, _ in .int(try v.length()) }
        f["count"] = count
        f["length"] = count
        let defaultFilter: FilterFunction = { v, a, _ in
            let p = try a.bind("default", ["default_value", "boolean"])
            let fallback = p[0] ?? .string("")
            if v.isUndefined { return fallback }
            if try p[1]?.truthy() == true, !(try v.truthy()) { return fallback }
            return v
        }
        f["default"] = defaultFilter
        f["d"] = defaultFilter
        f["dictsort"] = { v, a, ctx in
            let p = try a.bind("dictsort", ["case_sensitive", "by", "reverse"])
            let caseSensitive = try p[0]?.truthy() ?? false
            let by = try p[1]?.str() ?? "key"
            guard by == "key" || by == "value" else { throw TemplateError(.runtime, "You can only sort by either \"key\" or \"value\"") }
            guard case .dict(let d) = v else { throw TemplateError(.type, "dictsort expects a mapping") }
            let pos = by == "key" ? 0 : 1
            let pairs = d.pairs.map { Value.tuple([$0.0, $0.1]) }
            return .list(try sortValues(pairs, reverse: try p[2]?.truthy() ?? false) { item in
                guard case .tuple(let t) = item else { return [item] }
                return [caseSensitive ? t[pos] : lowerIfString(t[pos])]
            })
        }
        let escape: FilterFunction = { v, _, _ in
            if case .markup = v { return v }
            return .markup(htmlEscape(try v.str()))
        }
        f["escape"] = escape
        f["e"] = escape
        f["filesizeformat"] = { v, a, _ in
            let p = try a.bind("filesizeformat", ["binary"])
            let binary = try p[0]?.truthy() ?? false
            let bytes = try toFloat(v)
            let base = binary ? 1024.0 : 1000.0
            let prefixes = binary ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
                                  : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
            if bytes == 1 { return .string("1 Byte") }
            if bytes < base { return .string("\(Int(bytes)) Bytes") }
            var unit = base
            for (i, prefix) in prefixes.enumerated() {
                unit = pow(base, Double(i + 2))
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
            let p = try a.bind("float", ["default"])
            if case .undefined(let u) = v { throw u.error() } // Undefined.__float__ raises
            if let d = try? toFloat(v) { return .double(d) }
            return p[0] ?? .double(0)
        }
        f["forceescape"] = { v, _, _ in .markup(htmlEscape(try v.str())) }
        f["format"] = { v, a, _ in
            if !a.positional.isEmpty && !a.keywords.isEmpty {
                throw TemplateError(.runtime, "can't handle positional and keyword arguments at the same time")
            }
            let args: Value = a.keywords.isEmpty ? .tuple(a.positional) : .dict(Dict(a.keywords))
            if case .markup(let s) = v { return .markup(try PyFormat.percent(s, args, escape: { htmlEscape($0) })) }
            return .string(try PyFormat.percent(try v.str(), args, escape: nil))
        }
        f["groupby"] = { v, a, ctx in
            let p = try a.bind("groupby", ["attribute", "default", "case_sensitive"])
            guard let attr = p[0] else { throw TemplateError(.type, "groupby() missing required argument 'attribute'") }
            let caseSensitive = try p[2]?.truthy() ?? false
            let getter = attrGetter(ctx, attr, defaultValue: p[1])
            let items = try v.iterate()
            let sorted = try sortValues(items, reverse: false) { [caseSensitive ? try getter($0) : lowerIfString(try getter($0))] }
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
        f["indent"] = { v, a, _ in
            let p = try a.bind("indent", ["width", "first", "blank"])
            let indention: String
            switch p[0] {
            case .string(let s)?: indention = s
            case let w?: indention = String(repeating: " ", count: max(0, w.intLike ?? 4))
            case nil: indention = "    "
            }
            let first = try p[1]?.truthy() ?? false
            let blank = try p[2]?.truthy() ?? false
            // Jinja2 appends "\n" to the value itself, which only strings survive.
            guard case .string(let text) = v.isSafe ? .string(try v.str()) : v else {
                throw TemplateError(.type, "unsupported operand type(s) for +=: '\(v.pyTypeName)' and 'str'")
            }
            let s = text + "\n"
            let lines = PyString.splitlines(s)
            var rv: String
            if blank {
                rv = lines.joined(separator: "\n" + indention)
            } else {
                rv = lines.first ?? ""
                if lines.count > 1 {
                    rv += "\n" + lines.dropFirst().map { $0.isEmpty ? $0 : indention + $0 }.joined(separator: "\n")
                }
            }
            if first { rv = indention + rv }
            return v.isSafe ? .markup(rv) : .string(rv)
        }
        f["int"] = { v, a, _ in
            let p = try a.bind("int", ["default", "base"])
            let def = p[0] ?? .int(0)
            let base = p[1]?.intLike ?? 10
            switch v {
            case .undefined(let u): throw u.error() // Undefined.__int__ raises
            case .int: return v
            case .bool(let b): return .int(b ? 1 : 0)
            case .double(let d):
                guard d.isFinite, abs(d) < 9.2e18 else { return def }
                return .int(Int(d))
            case .string(let s), .markup(let s):
                if let i = PyString.parseInt(s, base: base) { return .int(i) }
                if let d = PyString.parseFloat(s), d.isFinite, abs(d) < 9.2e18 { return .int(Int(d)) }
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
            let p = try a.bind("join", ["d", "attribute"])
            var items = try v.iterate()
            if let attr = p[1], !attr.isNone {
                let g = attrGetter(ctx, attr, defaultValue: nil)
                items = try items.map(g)
            }
            let sep = p[0] ?? .string("")
            if ctx.autoescape {
                if sep.isSafe || items.contains(where: \.isSafe) {
                    let s = sep.isSafe ? try sep.str() : htmlEscape(try sep.str())
                    return .markup(try items.map { $0.isSafe ? try $0.str() : htmlEscape(try $0.str()) }.joined(separator: s))
                }
            }
            return .string(try items.map { try $0.str() }.joined(separator: try sep.str()))
        }
        f["last"] = { v, _, ctx in
            if case .undefined(let u) = v, u.strict { throw u.error() }
            return try v.iterate().last ?? ctx.undefined(hint: "No last item, sequence was empty.")
        }
        f["list"] = { v, _, _ in .list(try v.iterate()) }
        f["lower"] = { v, _, _ in sameKind(v, try v.str().lowercased()) }
        f["upper"] = { v, _, _ in sameKind(v, try v.str().uppercased()) }
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
            return .list(try items.map { try filter($0, rest, ctx) })
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
        f["replace"] = { v, a, ctx in
            let p = try a.bind("replace", ["old", "new", "count"])
            guard let old = p[0], let new = p[1] else { throw TemplateError(.type, "replace() missing required arguments") }
            let count = p[2]?.intLike ?? -1
            if !ctx.autoescape {
                return .string(PyString.replace(try v.str(), try old.str(), try new.str(), count))
            }
            let escapeArgs: (Value) throws -> String = { $0.isSafe ? try $0.str() : htmlEscape(try $0.str()) }
            if (old.isSafe || new.isSafe) && !v.isSafe {
                return .markup(PyString.replace(htmlEscape(try v.str()), try escapeArgs(old), try escapeArgs(new), count))
            }
            if v.isSafe {
                return .markup(PyString.replace(try v.str(), try escapeArgs(old), try escapeArgs(new), count))
            }
            return .string(PyString.replace(try v.str(), try old.str(), try new.str(), count))
        }
        f["reverse"] = { v, _, _ in
            switch v {
            case .string(let s): return .string(String(s.reversed()))
            case .markup(let s): return .markup(String(s.reversed()))
            default: return .list(try v.iterate().reversed())
            }
        }
        f["round"] = { v, a, _ in
            let p = try a.bind("round", ["precision", "method"])
            let precision = p[0]?.intLike ?? 0
            let method = try p[1]?.str() ?? "common"
            guard ["common", "ceil", "floor"].contains(method) else { throw TemplateError(.runtime, "method must be common, ceil or floor") }
            guard let x = v.numeric else {
                if case .undefined(let u) = v { throw u.error() }
                throw TemplateError(.type, "type \(v.pyTypeName) doesn't define __round__ method")
            }
            if method == "common" {
                if let i = v.intLike { return .int(i) }
                return .double(PyFormat.roundHalfEven(x, precision))
            }
            let scale = pow(10.0, Double(precision))
            return .double((method == "ceil" ? (x * scale).rounded(.up) : (x * scale).rounded(.down)) / scale)
        }
        f["safe"] = { v, _, _ in
            if case .markup = v { return v }
            return .markup(try v.str())
        }
        f["slice"] = { v, a, _ in
            let p = try a.bind("slice", ["slices", "fill_with"])
            guard let slices = p[0]?.intLike, slices > 0 else { throw TemplateError(.value, "slices must be positive") }
            let seq = try v.iterate()
            let per = seq.count / slices
            let extra = seq.count % slices
            var offset = 0
            var out: [Value] = []
            for n in 0..<slices {
                let start = offset + n * per
                if n < extra { offset += 1 }
                let end = offset + (n + 1) * per
                var tmp = Array(seq[min(start, seq.count)..<min(end, seq.count)])
                if let fill = p[1], !fill.isNone, n >= extra { tmp.append(fill) }
                out.append(.list(tmp))
            }
            return .list(out)
        }
        f["sort"] = { v, a, ctx in
            let p = try a.bind("sort", ["reverse", "case_sensitive", "attribute"])
            let caseSensitive = try p[1]?.truthy() ?? false
            let getters = multiAttrGetter(ctx, p[2])
            return .list(try sortValues(try v.iterate(), reverse: try p[0]?.truthy() ?? false) { item in
                try getters(item).map { caseSensitive ? $0 : lowerIfString($0) }
            })
        }
        f["string"] = { v, _, _ in
            if case .markup = v { return v }
            return .string(try v.str())
        }
        f["striptags"] = { v, _, _ in .string(HTMLText.striptags(try v.str())) }
        f["sum"] = { v, a, ctx in
            let p = try a.bind("sum", ["attribute", "start"])
            var items = try v.iterate()
            if let attr = p[0], !attr.isNone { items = try items.map(attrGetter(ctx, attr, defaultValue: nil)) }
            var total = p[1] ?? .int(0)
            for item in items { total = try ctx.binary("+", total, item) }
            return total
        }
        f["title"] = { v, _, _ in .string(PyString.jinjaTitle(try v.str())) }
        f["tojson"] = { v, a, _ in
            let p = try a.bind("tojson", ["indent"])
            let json = try PyJSON.dumps(v, indent: p[0]?.intLike, sortKeys: true)
            return .markup(json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
                .replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "'", with: "\\u0027"))
        }
        f["trim"] = { v, a, _ in
            let p = try a.bind("trim", ["chars"])
            let chars = try p[0].flatMap { $0.isNone ? nil : try $0.str() }
            return sameKind(v, PyString.strip(try v.str(), chars, left: true, right: true))
        }
        f["truncate"] = { v, a, _ in
            let p = try a.bind("truncate", ["length", "killwords", "end", "leeway"])
            // Jinja2 measures the value itself: sized non-strings pass when short enough.
            switch v {
            case .string, .markup: break
            case .undefined(let u):
                if u.strict { throw u.error() }
                return v // len(Undefined) is 0: returned as is
            case .list, .tuple, .dict:
                if try v.length() <= (p[0]?.intLike ?? 255) + (p[3]?.intLike ?? 5) { return v }
                throw TemplateError(.type, "'\(v.pyTypeName)' object has no attribute 'rsplit'")
            default: throw TemplateError(.type, "object of type '\(v.pyTypeName)' has no len()")
            }
            let s = try v.str()
            let length = p[0]?.intLike ?? 255
            let killwords = try p[1]?.truthy() ?? false
            let end = try p[2]?.str() ?? "..."
            let leeway = p[3]?.intLike ?? 5
            guard length >= end.count else { throw TemplateError(.runtime, "expected length >= \(end.count), got \(length)") }
            guard leeway >= 0 else { throw TemplateError(.runtime, "expected leeway >= 0, got \(leeway)") }
            let chars = Array(s)
            if chars.count <= length + leeway { return .string(s) }
            let head = String(chars[0..<max(0, length - end.count)])
            if killwords { return .string(head + end) }
            if let r = head.range(of: " ", options: .backwards) { return .string(String(head[..<r.lowerBound]) + end) }
            return .string(head + end)
        }
        f["unique"] = { v, a, ctx in
            let p = try a.bind("unique", ["case_sensitive", "attribute"])
            let caseSensitive = try p[0]?.truthy() ?? false
            let g = attrGetter(ctx, p[1] ?? .none, defaultValue: nil)
            var seen: [Value] = []
            var out: [Value] = []
            for item in try v.iterate() {
                var key = try g(item)
                if !caseSensitive { key = lowerIfString(key) }
                if !seen.contains(where: { $0.pyEquals(key) }) {
                    seen.append(key)
                    out.append(item)
                }
            }
            return .list(out)
        }
        f["urlencode"] = { v, _, _ in
            switch v {
            case .dict(let d):
                return .string(try d.pairs.map { "\(URLQuote.quote(try $0.0.str(), forQuery: true))=\(URLQuote.quote(try $0.1.str(), forQuery: true))" }.joined(separator: "&"))
            case .list(let items), .tuple(let items):
                return .string(try items.map { item -> String in
                    let kv = try item.iterate()
                    guard kv.count == 2 else { throw TemplateError(.value, "urlencode expects (key, value) pairs") }
                    return "\(URLQuote.quote(try kv[0].str(), forQuery: true))=\(URLQuote.quote(try kv[1].str(), forQuery: true))"
                }.joined(separator: "&"))
            default:
                return .string(URLQuote.quote(try v.str(), forQuery: false))
            }
        }
        f["urlize"] = { v, a, ctx in
            let p = try a.bind("urlize", ["trim_url_limit", "nofollow", "target", "rel", "extra_schemes"])
            var rel = Set((try p[3].flatMap { $0.isNone ? nil : try $0.str() } ?? "").split(separator: " ").map(String.init))
            if try p[1]?.truthy() == true { rel.insert("nofollow") }
            rel.insert("noopener")
            let schemes = try p[4].flatMap { $0.isNone ? nil : try $0.iterate().map { try $0.str() } } ?? []
            let out = Urlize.urlize(try v.str(), trimLimit: p[0]?.intLike, rel: rel.sorted().joined(separator: " "),
                                    target: try p[2].flatMap { $0.isNone ? nil : try $0.str() }, extraSchemes: schemes)
            return ctx.autoescape ? .markup(out) : .string(out)
        }
        f["wordcount"] = { v, _, _ in .int(PyString.wordCount(try v.str())) }
        f["wordwrap"] = { v, a, _ in
            let p = try a.bind("wordwrap", ["width", "break_long_words", "wrapstring", "break_on_hyphens"])
            let width = p[0]?.intLike ?? 79
            let wrap = try p[2].flatMap { $0.isNone ? nil : try $0.str() } ?? "\n"
            let paragraphs = PyString.splitlines(try v.str())
            return .string(paragraphs.map {
                TextWrap.wrap($0, width: width, breakLongWords: (try? p[1]?.truthy()) ?? true,
                              breakOnHyphens: (try? p[3]?.truthy()) ?? true).joined(separator: wrap)
            }.joined(separator: wrap))
        }
        f["xmlattr"] = { v, a, ctx in
            let p = try a.bind("xmlattr", ["autospace"])
            guard case .dict(let d) = v else { throw TemplateError(.type, "xmlattr expects a mapping") }
            var items: [String] = []
            for (k, val) in d.pairs {
                if val.isNone || val.isUndefined { continue }
                let key = try k.str()
                if key.contains(where: { $0.isWhitespace || $0 == "/" || $0 == ">" || $0 == "=" }) {
                    throw TemplateError(.value, "Invalid character in attribute name: \(pyStringRepr(key))")
                }
                items.append("\(htmlEscape(key))=\"\(val.isSafe ? try val.str() : htmlEscape(try val.str()))\"")
            }
            var rv = items.joined(separator: " ")
            if try p[0]?.truthy() ?? true, !rv.isEmpty { rv = " " + rv }
            return ctx.autoescape ? .markup(rv) : .string(rv)
        }
        env.filters.merge(f) { _, new in new }
    }

    // MARK: Helpers

    /// Markup stays Markup through str methods (MarkupSafe wraps their results).
    static func sameKind(_ v: Value, _ s: String) -> Value { v.isSafe ? .markup(s) : .string(s) }

    static func toFloat(_ v: Value, strict: Bool = false) throws -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .string(let s), .markup(let s):
            if let d = PyString.parseFloat(s) { return d }
            throw TemplateError(.value, "could not convert string to float: \(pyStringRepr(s))")
        case .undefined(let u): throw u.error()
        default: throw TemplateError(.type, "must be real number, not \(v.pyTypeName)")
        }
    }

    static func lowerIfString(_ v: Value) -> Value {
        if case .string(let s) = v { return .string(s.lowercased()) }
        if case .markup(let s) = v { return .markup(s.lowercased()) }
        return v
    }

    /// Jinja2's attribute getter: dotted paths, digit parts as integer indexes.
    static func attrGetter(_ ctx: RenderContext, _ attribute: Value, defaultValue: Value?) -> (Value) throws -> Value {
        var parts: [Value] = []
        switch attribute {
        case .none: parts = []
        case .string(let s):
            parts = s.split(separator: ".", omittingEmptySubsequences: false).map {
                $0.allSatisfy(\.isNumber) && !$0.isEmpty ? .int(Int($0)!) : .string(String($0))
            }
        default: parts = [attribute]
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
            getters = s.split(separator: ",", omittingEmptySubsequences: false).map { attrGetter(ctx, .string(String($0)), defaultValue: nil) }
        } else {
            getters = [attrGetter(ctx, attribute, defaultValue: nil)]
        }
        return { item in try getters.map { try $0(item) } }
    }

    /// Python's stable `sorted` with a key function giving a list of keys.
    static func sortValues(_ items: [Value], reverse: Bool, key: (Value) throws -> [Value]) throws -> [Value] {
        let keyed = try items.enumerated().map { ($0.offset, $0.element, try key($0.element)) }
        var failure: Error?
        let sorted = keyed.sorted { a, b in
            if failure != nil { return false }
            do {
                let c = try Value.list(a.2).pyCompare(.list(b.2))
                if c != 0 { return reverse ? c > 0 : c < 0 }
            } catch {
                failure = error
            }
            return a.0 < b.0
        }
        if let failure { throw failure }
        return sorted.map(\.1)
    }

    static func minMax(_ v: Value, _ a: Arguments, _ ctx: RenderContext, wantMax: Bool) throws -> Value {
        let p = try a.bind(wantMax ? "max" : "min", ["case_sensitive", "attribute"])
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
        return .list(try v.iterate().filter { try test(try getter($0)) == keep })
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
