import BigInt
import Foundation

/// Jinja2 3.1's builtin filters, with Python's behaviour for each. Text filters are
/// here, the others in CollectionFilters.swift.
enum Filters {
    static func install(into env: inout Environment) {
        var f: [String: FilterFunction] = [:]
        installText(&f)
        installCollections(&f)
        env.filters.merge(f) { _, new in new }
    }

    static func installText(_ f: inout [String: FilterFunction]) {
        f["abs"] = { v, a, _ in
            _ = try a.bound("abs", "")
            switch v {
            case .int(let i): return i == .min ? .integer(-BigInt(i)) : .int(abs(i))
            case .bigint(let b): return .integer(BigInt(b.magnitude))
            case .double(let d): return .double(abs(d))
            case .bool(let b): return .int(b ? 1 : 0)
            case .undefined(let u): throw u.error()
            default: throw TemplateError(.type, "bad operand type for abs(): '\(v.pyTypeName)'")
            }
        }
        f["capitalize"] = { v, _, _ in sameKind(v, PyText.capitalize(try v.str())) }
        f["center"] = { v, a, ctx in
            let width = try a.bound("center", "width")[0].map { try intArg($0) } ?? 80
            try ctx.reserve(width, "string")
            return sameKind(v, PyString.center(try v.str(), width, " "))
        }
        let escape: FilterFunction = { v, _, _ in
            if case .markup = v { return v }
            return .markup(htmlEscape(try v.str()))
        }
        f["escape"] = escape
        f["e"] = escape
        f["forceescape"] = { v, _, _ in .markup(htmlEscape(try v.str())) }
        f["format"] = { v, a, ctx in
            if !a.positional.isEmpty && !a.keywords.isEmpty {
                throw TemplateError(.runtime, "can't handle positional and keyword arguments at the same time")
            }
            let args: Value = a.keywords.isEmpty ? .tuple(a.positional) : .dict(Dict(a.keywords))
            if case .markup(let s) = v { return .markup(try PyFormat.percent(s, args, escape: { htmlEscape($0) }, ctx)) }
            return .string(try PyFormat.percent(try v.str(), args, escape: nil, ctx))
        }
        f["indent"] = { v, a, ctx in
            let p = try a.bound("indent", "width,first,blank")
            let indention: String
            switch p[0] {
            case .string(let s)?, .markup(let s)?: indention = s
            case let w?:
                let n = max(0, try intArg(w))
                try ctx.reserve(n, "indentation")
                indention = String(repeating: " ", count: n)
            case nil: indention = "    "
            }
            let first = try p[1]?.truthy() ?? false
            let blank = try p[2]?.truthy() ?? false
            // Jinja2 appends "\n" to the value itself, which only strings survive.
            guard case .string(let text) = v.isSafe ? .string(try v.str()) : v else {
                throw TemplateError(.type, "unsupported operand type(s) for +=: '\(v.pyTypeName)' and 'str'")
            }
            let lines = PyString.splitlines(text + "\n")
            try ctx.reserve(text.utf8.count + (lines.count + 1) * (indention.utf8.count + 1), "string")
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
        f["lower"] = { v, _, _ in sameKind(v, PyText.lower(try v.str())) }
        f["upper"] = { v, _, _ in sameKind(v, PyText.upper(try v.str())) }
        f["replace"] = { v, a, ctx in
            // The common case, `text|replace('a', 'b')` without autoescape: no binding.
            if !ctx.autoescape, a.keywords.isEmpty, a.positional.count == 2, case .string(let s) = v,
               case .string(let old) = a.positional[0], case .string(let new) = a.positional[1] {
                try ctx.reserve(PyString.replacedLength(s, old, new, -1), "string")
                return .string(PyString.replace(s, old, new, -1))
            }
            let p = try a.bound("replace", "old,new,count")
            guard let old = p[0], let new = p[1] else { throw TemplateError(.type, "do_replace() missing required arguments") }
            let count = try p[2].map { try intArg($0) } ?? -1
            func run(_ s: String, _ o: String, _ n: String) throws -> String {
                try ctx.reserve(PyString.replacedLength(s, o, n, count), "string")
                return PyString.replace(s, o, n, count)
            }
            if !ctx.autoescape {
                return .string(try run(try v.str(), try old.str(), try new.str()))
            }
            let escapeArgs: (Value) throws -> String = { $0.isSafe ? try $0.str() : htmlEscape(try $0.str()) }
            if (old.isSafe || new.isSafe) && !v.isSafe {
                return .markup(try run(htmlEscape(try v.str()), try escapeArgs(old), try escapeArgs(new)))
            }
            if v.isSafe {
                return .markup(try run(try v.str(), try escapeArgs(old), try escapeArgs(new)))
            }
            return .string(try run(try v.str(), try old.str(), try new.str()))
        }
        f["safe"] = { v, _, _ in
            if case .markup = v { return v }
            return .markup(try v.str())
        }
        f["string"] = { v, _, _ in
            if case .markup = v { return v }
            return .string(try v.str())
        }
        f["striptags"] = { v, _, _ in .string(HTMLText.striptags(try v.str())) }
        // Jinja2 joins plain strings here: even Markup comes back as str.
        f["title"] = { v, _, _ in .string(PyText.jinjaTitle(try v.str())) }
        f["trim"] = { v, a, _ in
            let p = try a.bound("trim", "chars")
            let chars = try p[0].flatMap { $0.isNone ? nil : try $0.str() }
            return sameKind(v, PyString.strip(try v.str(), chars, left: true, right: true))
        }
        f["truncate"] = { v, a, _ in
            let p = try a.bound("truncate", "length,killwords,end,leeway")
            let length = try p[0].map { try intArg($0) } ?? 255
            let leeway = try p[3].map { try intArg($0) } ?? 5
            let (limit, overflow) = length.addingReportingOverflow(leeway)
            // Jinja2 measures the value itself: sized non-strings pass when short enough.
            switch v {
            case .string, .markup: break
            case .undefined(let u):
                if u.strict { throw u.error() }
                return v // len(Undefined) is 0: returned as is
            case .list, .tuple, .dict, .object:
                let n = try v.length() // dict views and loops have a length; others fail here
                if overflow || n <= limit { return v }
                throw TemplateError(.type, "'\(v.pyTypeName)' object has no attribute 'rsplit'")
            default: throw TemplateError(.type, "object of type '\(v.pyTypeName)' has no len()")
            }
            let s = try v.str()
            let killwords = try p[1]?.truthy() ?? false
            let end = try p[2]?.str() ?? "..."
            let endLength = PyText.length(end)
            guard length >= endLength else { throw TemplateError(.runtime, "expected length >= \(endLength), got \(length)") }
            guard leeway >= 0 else { throw TemplateError(.runtime, "expected leeway >= 0, got \(leeway)") }
            let u = PyText.scalars(s)
            if overflow || u.count <= limit { return .string(s) }
            let head = PyText.string(u.prefix(length - endLength))
            if killwords { return .string(head + end) }
            return .string(PyString.rsplit(head, " ", 1)[0] + end)
        }
        f["urlencode"] = { v, _, _ in
            switch v {
            case .dict(let d):
                return .string(try d.pairs.map { "\(URLQuote.quote(try $0.0.str(), forQuery: true))=\(URLQuote.quote(try $0.1.str(), forQuery: true))" }.joined(separator: "&"))
            default:
                // Any other iterable but a string (lists, tuples, dict views…) holds pairs.
                let iterable: [Value]?
                switch v {
                case .list(let items), .tuple(let items): iterable = items
                case .object(let o): iterable = o.iterate()
                default: iterable = nil
                }
                guard let pairs = iterable else { return .string(URLQuote.quote(try v.str(), forQuery: false)) }
                return .string(try pairs.map { item -> String in
                    let kv = try item.iterate()
                    guard kv.count == 2 else { throw TemplateError(.value, "urlencode expects (key, value) pairs") }
                    return "\(URLQuote.quote(try kv[0].str(), forQuery: true))=\(URLQuote.quote(try kv[1].str(), forQuery: true))"
                }.joined(separator: "&"))
            }
        }
        f["urlize"] = { v, a, ctx in
            let p = try a.bound("urlize", "trim_url_limit,nofollow,target,rel,extra_schemes")
            var rel = Set((try p[3].flatMap { $0.isNone ? nil : try $0.str() } ?? "").split(separator: " ").map(String.init))
            if try p[1]?.truthy() == true { rel.insert("nofollow") }
            rel.insert("noopener")
            let schemes = try p[4].flatMap { $0.isNone ? nil : try $0.iterate().map { try $0.str() } } ?? []
            let out = Urlize.urlize(try v.str(), trimLimit: p[0]?.clampedInt, rel: rel.sorted().joined(separator: " "),
                                    target: try p[2].flatMap { $0.isNone ? nil : try $0.str() }, extraSchemes: schemes)
            return ctx.autoescape ? .markup(out) : .string(out)
        }
        f["wordcount"] = { v, _, _ in .int(PyText.wordCount(try v.str())) }
        f["wordwrap"] = { v, a, _ in
            let p = try a.bound("wordwrap", "width,break_long_words,wrapstring,break_on_hyphens")
            let width = try p[0].map { try intArg($0) } ?? 79
            if width <= 0 { throw TemplateError(.value, "invalid width \(width) (must be > 0)") }
            let wrap = try p[2].flatMap { $0.isNone ? nil : try $0.str() } ?? "\n"
            let breakLong = try p[1]?.truthy() ?? true
            let breakHyphens = try p[3]?.truthy() ?? true
            let text: String
            switch v {
            case .string(let s), .markup(let s): text = s
            case .undefined(let u):
                if u.strict { throw u.error() }
                throw TemplateError(.undefined, u.message)
            default: throw TemplateError(.type, "'\(v.pyTypeName)' object has no attribute 'splitlines'")
            }
            return .string(PyString.splitlines(text).map {
                TextWrap.wrap($0, width: width, breakLongWords: breakLong, breakOnHyphens: breakHyphens).joined(separator: wrap)
            }.joined(separator: wrap))
        }
        f["xmlattr"] = { v, a, ctx in
            let p = try a.bound("xmlattr", "autospace")
            guard case .dict(let d) = v else { throw TemplateError(.type, "xmlattr expects a mapping") }
            var items: [String] = []
            for (k, val) in d.pairs {
                if val.isNone || val.isUndefined { continue }
                let key = try k.str()
                // Jinja2's pattern is ASCII-only: [\s/>=] with re.ASCII.
                if key.unicodeScalars.contains(where: { " \t\n\r\u{b}\u{c}/>=".unicodeScalars.contains($0) }) {
                    throw TemplateError(.value, "Invalid character in attribute name: \(pyStringRepr(key))")
                }
                items.append("\(htmlEscape(key))=\"\(val.isSafe ? try val.str() : htmlEscape(try val.str()))\"")
            }
            var rv = items.joined(separator: " ")
            if try p[0]?.truthy() ?? true, !rv.isEmpty { rv = " " + rv }
            return ctx.autoescape ? .markup(rv) : .string(rv)
        }
    }

    // MARK: Helpers

    /// Markup stays Markup through str methods (MarkupSafe wraps their results).
    static func sameKind(_ v: Value, _ s: String) -> Value { v.isSafe ? .markup(s) : .string(s) }

    /// An integer argument; Python's TypeError for other types.
    static func intArg(_ v: Value) throws -> Int {
        guard let i = v.clampedInt else { throw TemplateError(.type, "'\(v.pyTypeName)' object cannot be interpreted as an integer") }
        return i
    }

    static func toFloat(_ v: Value) throws -> Double {
        switch v {
        case .int, .bigint, .double, .bool: return try Numbers.toDouble(v)
        case .string(let s), .markup(let s):
            if let d = NumberText.parseFloat(s) { return d }
            throw TemplateError(.value, "could not convert string to float: \(pyStringRepr(s))")
        case .undefined(let u): throw u.error()
        default: throw TemplateError(.type, "float() argument must be a string or a real number, not '\(v.pyTypeName)'")
        }
    }

    static func lowerIfString(_ v: Value) -> Value {
        if case .string(let s) = v { return .string(PyText.lower(s)) }
        if case .markup(let s) = v { return .markup(PyText.lower(s)) }
        return v
    }
}
