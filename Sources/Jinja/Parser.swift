/// Turns tokens into a syntax tree, following Jinja2's grammar and precedence.
struct Parser {
    var tokens: [Token]
    var i = 0
    let name: String?
    var blocks: [String: BlockDef] = [:]
    var blockOrder: [String] = []
    /// Tags that end the blocks being parsed, innermost last (for error messages).
    var endStack: [(tag: String, ends: [String], line: Int)] = []

    /// Where filters are looked up once, at parse time (nil: at render time only).
    let environment: Environment?

    init(tokens: [Token], name: String?, environment: Environment? = nil) {
        self.tokens = tokens
        self.name = name
        self.environment = environment
    }

    func resolveFilter(_ name: String) -> ResolvedFilter? {
        guard let environment, let f = environment.filters[name] else { return nil }
        return ResolvedFilter(owner: ObjectIdentifier(environment), function: f)
    }

    var current: Token { tokens[i] }
    var peekNext: Token { tokens[min(i + 1, tokens.count - 1)] }

    func fail(_ msg: String, line: Int? = nil) -> TemplateError {
        TemplateError(.syntax, msg, template: name, line: line ?? current.line)
    }

    mutating func advance() -> Token {
        let t = tokens[i]
        if i < tokens.count - 1 { i += 1 }
        return t
    }

    func isOp(_ op: String) -> Bool {
        if case .op(let o) = current.kind { return o == op }
        return false
    }

    func isName(_ n: String) -> Bool {
        if case .name(let x) = current.kind { return x == n }
        return false
    }

    mutating func skipOp(_ op: String) -> Bool {
        if isOp(op) { _ = advance(); return true }
        return false
    }

    mutating func skipName(_ n: String) -> Bool {
        if isName(n) { _ = advance(); return true }
        return false
    }

    mutating func expectOp(_ op: String) throws {
        guard skipOp(op) else { throw unexpected(expected: "'\(op)'") }
    }

    mutating func expectName() throws -> String {
        guard case .name(let n) = current.kind else { throw unexpected(expected: "name") }
        _ = advance()
        return n
    }

    mutating func expectBlockEnd() throws {
        guard case .blockEnd = current.kind else { throw unexpected(expected: "'end of statement block'") }
        _ = advance()
    }

    func unexpected(expected: String) -> TemplateError {
        if case .eof = current.kind {
            return fail("unexpected end of template, expected \(expected).")
        }
        return fail("expected token \(expected), got '\(current)'")
    }

    // MARK: Statements

    mutating func parseTemplate() throws -> [Node] {
        let body = try subparse(until: [])
        guard case .eof = current.kind else { throw fail("unexpected '\(current)'") }
        return body
    }

    /// Parses nodes until a block tag whose name is in `until` (left unconsumed).
    mutating func subparse(until: [String]) throws -> [Node] {
        var body: [Node] = []
        var pendingText: String?
        func flush() {
            if let t = pendingText { body.append(Node(.text(t), line: 0)); pendingText = nil }
        }
        while true {
            let tok = current
            switch tok.kind {
            case .text(let t):
                _ = advance()
                pendingText = (pendingText ?? "") + t
            case .variableBegin:
                flush()
                _ = advance()
                let e = try parseTuple()
                guard case .variableEnd = current.kind else { throw unexpected(expected: "'end of print statement'") }
                _ = advance()
                body.append(Node(.output(e), line: tok.line))
            case .blockBegin:
                flush()
                _ = advance()
                guard case .name(let tag) = current.kind else {
                    if case .blockEnd = current.kind { throw fail("tag name expected") }
                    throw fail("tag name expected")
                }
                if until.contains(tag) { return body }
                if let node = try parseStatement(tag: tag, line: tok.line) { body.append(node) }
            case .eof:
                flush()
                if !until.isEmpty { throw fail(endOfTemplateMessage(), line: endStack.last?.line) }
                return body
            default:
                throw fail("unexpected '\(tok)'")
            }
        }
    }

    func endOfTemplateMessage() -> String {
        guard let inner = endStack.last else { return "Unexpected end of template." }
        let list = inner.ends.map { "'\($0)'" }.joined(separator: " or ")
        return "Unexpected end of template. Jinja was looking for the following tags: \(list). The innermost block that needs to be closed is '\(inner.tag)'."
    }

    func unknownTagMessage(_ tag: String) -> String {
        var msg = "Encountered unknown tag '\(tag)'."
        if let inner = endStack.last {
            let list = inner.ends.map { "'\($0)'" }.joined(separator: " or ")
            msg += " Jinja was looking for the following tags: \(list). The innermost block that needs to be closed is '\(inner.tag)'."
        }
        return msg
    }

    /// Parses the body of a block statement up to one of `ends`; returns the body and
    /// the end tag found (consumed, with the rest of its tag left to the caller).
    mutating func body(of tag: String, ends: [String]) throws -> ([Node], String) {
        endStack.append((tag, ends, current.line))
        defer { endStack.removeLast() }
        let nodes = try subparse(until: ends)
        let end = try expectName()
        return (nodes, end)
    }

    mutating func parseStatement(tag: String, line: Int) throws -> Node? {
        _ = advance() // the tag name
        switch tag {
        case "if": return try parseIf(line: line)
        case "for": return try parseFor(line: line)
        case "set": return try parseSet(line: line)
        case "macro": return try parseMacro(line: line)
        case "call": return try parseCallBlock(line: line)
        case "filter":
            let filters = try parseFilterChain()
            try expectBlockEnd()
            let (b, _) = try body(of: "filter", ends: ["endfilter"])
            try expectBlockEnd()
            return Node(.filterBlock(filters: filters, body: b), line: line)
        case "with":
            var assigns: [(Target, Expr)] = []
            while !(current.kind == .blockEnd) {
                if !assigns.isEmpty { try expectOp(",") }
                let t = try parseAssignTarget()
                try expectOp("=")
                assigns.append((t, try parseExpression()))
            }
            try expectBlockEnd()
            let (b, _) = try body(of: "with", ends: ["endwith"])
            try expectBlockEnd()
            return Node(.with(assigns, body: b), line: line)
        case "include":
            let template = try parseExpression()
            var ignore = false
            if isName("ignore"), case .name("missing") = peekNext.kind {
                _ = advance(); _ = advance()
                ignore = true
            }
            let ctx = try parseContextModifier(default: true)
            try expectBlockEnd()
            return Node(.include(template, ignoreMissing: ignore, withContext: ctx), line: line)
        case "import":
            let template = try parseExpression()
            guard skipName("as") else { throw unexpected(expected: "'as'") }
            let alias = try expectName()
            let ctx = try parseContextModifier(default: false)
            try expectBlockEnd()
            return Node(.importTemplate(template, alias: alias, withContext: ctx), line: line)
        case "from":
            let template = try parseExpression()
            guard skipName("import") else { throw unexpected(expected: "'import'") }
            var names: [(String, String?)] = []
            var withContext = false
            while true {
                if !names.isEmpty { guard skipOp(",") else { break } }
                if (isName("with") || isName("without")), case .name("context") = peekNext.kind {
                    withContext = isName("with")
                    _ = advance(); _ = advance()
                    break
                }
                guard case .name(let n) = current.kind else {
                    if names.isEmpty { throw unexpected(expected: "name") }
                    break
                }
                if n.hasPrefix("_") { throw fail("names starting with an underline can not be imported") }
                _ = advance()
                var alias: String?
                if skipName("as") { alias = try expectName() }
                names.append((n, alias))
            }
            try expectBlockEnd()
            return Node(.fromImport(template, names: names, withContext: withContext), line: line)
        case "extends":
            let template = try parseExpression()
            try expectBlockEnd()
            return Node(.extends(template), line: line)
        case "block":
            let blockName = try expectName()
            var scoped = false, required = false
            while case .name(let m) = current.kind, m == "scoped" || m == "required" {
                if m == "scoped" { scoped = true } else { required = true }
                _ = advance()
            }
            try expectBlockEnd()
            if blocks[blockName] != nil { throw fail("block '\(blockName)' defined twice", line: line) }
            let (b, _) = try body(of: "block", ends: ["endblock"])
            if case .name(let closing) = current.kind {
                if closing != blockName { throw fail("mismatched block name '\(closing)' in endblock, expected '\(blockName)'") }
                _ = advance()
            }
            try expectBlockEnd()
            if required {
                for node in b {
                    if case .text(let t) = node.kind, t.allSatisfy({ $0.isWhitespace }) { continue }
                    throw fail("Required blocks can only contain comments or whitespace", line: line)
                }
            }
            blocks[blockName] = BlockDef(name: blockName, body: b, scoped: scoped, required: required, line: line)
            blockOrder.append(blockName)
            return Node(.block(name: blockName, scoped: scoped, required: required), line: line)
        case "autoescape":
            let e = try parseExpression()
            try expectBlockEnd()
            let (b, _) = try body(of: "autoescape", ends: ["endautoescape"])
            try expectBlockEnd()
            return Node(.autoescape(e, b), line: line)
        default:
            throw fail(unknownTagMessage(tag), line: line)
        }
    }

    mutating func parseContextModifier(default d: Bool) throws -> Bool {
        if (isName("with") || isName("without")), case .name("context") = peekNext.kind {
            let w = isName("with")
            _ = advance(); _ = advance()
            return w
        }
        return d
    }

    mutating func parseIf(line: Int) throws -> Node {
        var branches: [(Expr, [Node])] = []
        var otherwise: [Node]?
        var cond = try parseTuple(withCondExpr: false)
        try expectBlockEnd()
        while true {
            let (b, end) = try body(of: "if", ends: ["elif", "else", "endif"])
            branches.append((cond, b))
            if end == "elif" {
                cond = try parseTuple(withCondExpr: false)
                try expectBlockEnd()
                continue
            }
            if end == "else" {
                try expectBlockEnd()
                let (e, _) = try body(of: "if", ends: ["endif"])
                otherwise = e
            }
            try expectBlockEnd()
            return Node(.ifStmt(branches, otherwise: otherwise), line: line)
        }
    }

    mutating func parseFor(line: Int) throws -> Node {
        let target = try parseAssignTarget(extraEnd: ["in"])
        guard skipName("in") else { throw unexpected(expected: "'in'") }
        let iter = try parseTuple(withCondExpr: false, extraEnd: ["recursive"])
        var condition: Expr?
        if skipName("if") { condition = try parseExpression() }
        let recursive = skipName("recursive")
        try expectBlockEnd()
        let (b, end) = try body(of: "for", ends: ["endfor", "else"])
        var otherwise: [Node]?
        if end == "else" {
            try expectBlockEnd()
            let (e, _) = try body(of: "for", ends: ["endfor"])
            otherwise = e
        }
        try expectBlockEnd()
        return Node(.forLoop(ForLoop(target: target, iterable: iter, body: b, otherwise: otherwise,
                                     condition: condition, recursive: recursive)), line: line)
    }

    mutating func parseSet(line: Int) throws -> Node {
        let target = try parseAssignTarget(withNamespace: true)
        if skipOp("=") {
            let value = try parseTuple()
            try expectBlockEnd()
            return Node(.set(target, value), line: line)
        }
        let filters = isOp("|") ? try parseFilterChain(leadingPipe: true) : []
        try expectBlockEnd()
        let (b, _) = try body(of: "set", ends: ["endset"])
        try expectBlockEnd()
        return Node(.setBlock(target, filters: filters, body: b), line: line)
    }

    mutating func parseSignature() throws -> [MacroParam] {
        var params: [MacroParam] = []
        try expectOp("(")
        while !isOp(")") {
            if !params.isEmpty { try expectOp(",") }
            if isOp(")") { break }
            let n = try expectName()
            var d: Expr?
            if skipOp("=") { d = try parseExpression() }
            else if params.contains(where: { $0.defaultValue != nil }) {
                throw fail("non-default argument follows default argument")
            }
            params.append(MacroParam(name: n, defaultValue: d))
        }
        try expectOp(")")
        return params
    }

    mutating func parseMacro(line: Int) throws -> Node {
        let macroName = try expectName()
        let params = try parseSignature()
        try expectBlockEnd()
        let (b, _) = try body(of: "macro", ends: ["endmacro"])
        if case .name = current.kind { _ = advance() }
        try expectBlockEnd()
        let used = NameScan.names(in: b)
        return Node(.macro(Macro(name: macroName, params: params, body: b, usesCaller: used.contains("caller"),
                                 usesVarargs: used.contains("varargs"), usesKwargs: used.contains("kwargs"))), line: line)
    }

    mutating func parseCallBlock(line: Int) throws -> Node {
        let params = isOp("(") ? try parseSignature() : []
        let call = try parseExpression()
        guard case .call = call.kind else { throw fail("expected call", line: line) }
        try expectBlockEnd()
        let (b, _) = try body(of: "call", ends: ["endcall"])
        try expectBlockEnd()
        return Node(.callBlock(call: call, params: params, body: b), line: line)
    }

    /// `name(args)|name2` for filter blocks and `{% set x | f %}`.
    mutating func parseFilterChain(leadingPipe: Bool = false) throws -> [Expr] {
        var filters: [Expr] = []
        if leadingPipe { try expectOp("|") }
        repeat {
            let line = current.line
            var fname = try expectName()
            while skipOp(".") { fname += "." + (try expectName()) }
            let args = isOp("(") ? try parseCallArgs() : CallArgs()
            filters.append(Expr(.filter(nil, fname, args), line: line, filter: resolveFilter(fname)))
        } while skipOp("|")
        return filters
    }

    mutating func parseAssignTarget(extraEnd: [String] = [], withNamespace: Bool = false) throws -> Target {
        if withNamespace, case .name(let n) = current.kind, case .op(".") = peekNext.kind {
            _ = advance(); _ = advance()
            let attr = try expectName()
            return .attribute(n, attr)
        }
        var items: [Target] = []
        var sawComma = false
        while true {
            if !items.isEmpty {
                guard skipOp(",") else { break }
                sawComma = true
                if case .name(let n) = current.kind, extraEnd.contains(n) { break }
                if case .blockEnd = current.kind { break }
                if isOp("=") || isOp(")") { break }
            }
            if skipOp("(") {
                let inner = try parseAssignTarget(extraEnd: extraEnd)
                try expectOp(")")
                items.append(inner)
            } else {
                let n = try expectName()
                if ["true", "false", "none", "True", "False", "None"].contains(n) {
                    throw fail("can't assign to '\(n)'")
                }
                items.append(.name(n))
            }
        }
        return items.count == 1 && !sawComma ? items[0] : .tuple(items)
    }

    // MARK: Expressions

    mutating func parseTuple(withCondExpr: Bool = true, extraEnd: [String] = [], explicitParens: Bool = false) throws -> Expr {
        let line = current.line
        var items: [Expr] = []
        var isTuple = false
        while true {
            if !items.isEmpty {
                guard skipOp(",") else { break }
                isTuple = true
            }
            if isTupleEnd(extraEnd) { break }
            items.append(withCondExpr ? try parseExpression() : try parseOr())
        }
        if !isTuple {
            if let only = items.first { return only }
            if !explicitParens { throw fail("Expected an expression, got '\(current)'") }
        }
        return Expr(.tuple(items), line: line)
    }

    func isTupleEnd(_ extra: [String]) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd, .eof: return true
        case .op(let o): return o == ")" || o == "]" || o == "}" || o == "=" 
        case .name(let n): return extra.contains(n)
        default: return false
        }
    }

    mutating func parseExpression(withCondExpr: Bool = true) throws -> Expr {
        withCondExpr ? try parseCondExpr() : try parseOr()
    }

    mutating func parseCondExpr() throws -> Expr {
        let line = current.line
        var expr = try parseOr()
        while skipName("if") {
            let test = try parseOr()
            let otherwise: Expr? = skipName("else") ? try parseCondExpr() : nil
            expr = Expr(.conditional(test: test, then: expr, otherwise: otherwise), line: line)
        }
        return expr
    }

    mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        while isName("or") {
            let line = advance().line
            left = Expr(.or(left, try parseAnd()), line: line)
        }
        return left
    }

    mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        while isName("and") {
            let line = advance().line
            left = Expr(.and(left, try parseNot()), line: line)
        }
        return left
    }

    mutating func parseNot() throws -> Expr {
        if isName("not") {
            let line = advance().line
            return Expr(.not(try parseNot()), line: line)
        }
        return try parseCompare()
    }

    mutating func parseCompare() throws -> Expr {
        let line = current.line
        let first = try parseMath1()
        var ops: [(String, Expr)] = []
        while true {
            if case .op(let o) = current.kind, ["==", "!=", "<", "<=", ">", ">="].contains(o) {
                _ = advance()
                ops.append((o, try parseMath1()))
            } else if skipName("in") {
                ops.append(("in", try parseMath1()))
            } else if isName("not"), case .name("in") = peekNext.kind {
                _ = advance(); _ = advance()
                ops.append(("notin", try parseMath1()))
            } else {
                break
            }
        }
        return ops.isEmpty ? first : Expr(.compare(first, ops), line: line)
    }

    mutating func parseMath1() throws -> Expr {
        var left = try parseConcat()
        while case .op(let o) = current.kind, o == "+" || o == "-" {
            let line = advance().line
            left = Expr(.binary(o, left, try parseConcat()), line: line)
        }
        return left
    }

    mutating func parseConcat() throws -> Expr {
        let line = current.line
        var items = [try parseMath2()]
        while skipOp("~") { items.append(try parseMath2()) }
        return items.count == 1 ? items[0] : Expr(.concat(items), line: line)
    }

    mutating func parseMath2() throws -> Expr {
        var left = try parsePow()
        while case .op(let o) = current.kind, o == "*" || o == "/" || o == "//" || o == "%" {
            let line = advance().line
            left = Expr(.binary(o, left, try parsePow()), line: line)
        }
        return left
    }

    mutating func parsePow() throws -> Expr {
        var left = try parseUnary()
        while isOp("**") {
            let line = advance().line
            left = Expr(.binary("**", left, try parseUnary()), line: line)
        }
        return left
    }

    mutating func parseUnary(withFilter: Bool = true) throws -> Expr {
        let line = current.line
        var node: Expr
        if isOp("-") || isOp("+") {
            guard case .op(let o) = advance().kind else { fatalError() }
            node = Expr(.unary(o, try parseUnary(withFilter: false)), line: line)
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        if withFilter { node = try parseFilterExpr(node) }
        return node
    }

    mutating func parsePrimary() throws -> Expr {
        let tok = current
        switch tok.kind {
        case .name(let n):
            _ = advance()
            switch n {
            case "true", "True": return Expr(.literal(.bool(true)), line: tok.line)
            case "false", "False": return Expr(.literal(.bool(false)), line: tok.line)
            case "none", "None": return Expr(.literal(.none), line: tok.line)
            default: return Expr(.name(n), line: tok.line)
            }
        case .string(var s):
            _ = advance()
            while case .string(let more) = current.kind { s += more; _ = advance() }
            return Expr(.literal(.string(s)), line: tok.line)
        case .int(let v):
            _ = advance()
            return Expr(.literal(.int(v)), line: tok.line)
        case .float(let v):
            _ = advance()
            return Expr(.literal(.double(v)), line: tok.line)
        case .op("("):
            _ = advance()
            let e = try parseTuple(explicitParens: true)
            try expectOp(")")
            return e
        case .op("["):
            _ = advance()
            var items: [Expr] = []
            while !isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if isOp("]") { break }
                items.append(try parseExpression())
            }
            try expectOp("]")
            return Expr(.list(items), line: tok.line)
        case .op("{"):
            _ = advance()
            var pairs: [(Expr, Expr)] = []
            while !isOp("}") {
                if !pairs.isEmpty { try expectOp(",") }
                if isOp("}") { break }
                let k = try parseExpression()
                try expectOp(":")
                pairs.append((k, try parseExpression()))
            }
            try expectOp("}")
            return Expr(.dict(pairs), line: tok.line)
        default:
            if case .eof = tok.kind { throw fail("unexpected end of template") }
            throw fail("unexpected '\(tok)'")
        }
    }

    mutating func parsePostfix(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            let line = current.line
            if isOp(".") {
                _ = advance()
                switch current.kind {
                case .name(let n):
                    _ = advance()
                    node = Expr(.getattr(node, n), line: line)
                case .int(let v):
                    _ = advance()
                    node = Expr(.getitem(node, Expr(.literal(.int(v)), line: line)), line: line)
                default:
                    throw fail("expected name or number")
                }
            } else if isOp("[") {
                _ = advance()
                var args: [Expr] = []
                while !isOp("]") {
                    if !args.isEmpty { try expectOp(",") }
                    args.append(try parseSubscribed())
                }
                try expectOp("]")
                if args.count == 1 {
                    if case .slice(_, let a, let b, let c) = args[0].kind {
                        node = Expr(.slice(node, a, b, c), line: line)
                    } else {
                        node = Expr(.getitem(node, args[0]), line: line)
                    }
                } else {
                    node = Expr(.getitem(node, Expr(.tuple(args), line: line)), line: line)
                }
            } else if isOp("(") {
                node = Expr(.call(node, try parseCallArgs()), line: line)
            } else {
                return node
            }
        }
    }

    /// One subscript: an expression or a slice `a:b:c` (returned as a slice of a dummy).
    mutating func parseSubscribed() throws -> Expr {
        let line = current.line
        var parts: [Expr?] = []
        if isOp(":") {
            parts.append(nil)
        } else {
            let e = try parseExpression()
            guard isOp(":") else { return e }
            parts.append(e)
        }
        _ = advance() // ':'
        if isOp("]") || isOp(",") { parts.append(nil) }
        else if isOp(":") { parts.append(nil) }
        else { parts.append(try parseExpression()) }
        if skipOp(":") {
            if isOp("]") || isOp(",") { parts.append(nil) } else { parts.append(try parseExpression()) }
        } else {
            parts.append(nil)
        }
        let dummy = Expr(.literal(.none), line: line)
        return Expr(.slice(dummy, parts[0], parts[1], parts[2]), line: line)
    }

    mutating func parseCallArgs() throws -> CallArgs {
        try expectOp("(")
        var args = CallArgs()
        var first = true
        while !isOp(")") {
            if !first { try expectOp(",") }
            first = false
            if isOp(")") { break }
            if skipOp("*") {
                args.star = try parseExpression()
            } else if skipOp("**") {
                args.doubleStar = try parseExpression()
            } else if case .name(let n) = current.kind, case .op("=") = peekNext.kind {
                _ = advance(); _ = advance()
                args.keywords.append((n, try parseExpression()))
            } else {
                if !args.keywords.isEmpty || args.star != nil || args.doubleStar != nil {
                    throw fail("Invalid argument syntax")
                }
                args.positional.append(try parseExpression())
            }
        }
        try expectOp(")")
        return args
    }

    mutating func parseFilterExpr(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            let line = current.line
            if isOp("|") {
                _ = advance()
                var fname = try expectName()
                while skipOp(".") { fname += "." + (try expectName()) }
                let args = isOp("(") ? try parseCallArgs() : CallArgs()
                node = Expr(.filter(node, fname, args), line: line, filter: resolveFilter(fname))
            } else if isName("is") {
                _ = advance()
                let negated = skipName("not")
                var tname = try expectName()
                while skipOp(".") { tname += "." + (try expectName()) }
                var args = CallArgs()
                if isOp("(") {
                    args = try parseCallArgs()
                } else {
                    switch current.kind {
                    case .name(let n) where !["else", "or", "and"].contains(n):
                        if n == "is" { throw fail("You cannot chain multiple tests with is") }
                        args.positional = [try parsePostfix(try parsePrimary())]
                    case .string, .int, .float, .op("("), .op("["), .op("{"):
                        args.positional = [try parsePostfix(try parsePrimary())]
                    default: break
                    }
                }
                node = Expr(.test(node, tname, args, negated: negated), line: line)
            } else if isOp("(") {
                node = Expr(.call(node, try parseCallArgs()), line: line)
            } else {
                return node
            }
        }
    }
}

/// Finds the names an expression tree reads (for macros' `caller`/`varargs`/`kwargs`).
enum NameScan {
    static func names(in nodes: [Node]) -> Set<String> {
        var out = Set<String>()
        for n in nodes { scan(n, &out) }
        return out
    }

    static func scan(_ n: Node, _ out: inout Set<String>) {
        switch n.kind {
        case .text, .extends, .block: break
        case .output(let e): scan(e, &out)
        case .ifStmt(let branches, let otherwise):
            for (c, b) in branches { scan(c, &out); b.forEach { scan($0, &out) } }
            otherwise?.forEach { scan($0, &out) }
        case .forLoop(let f):
            scan(f.iterable, &out)
            f.body.forEach { scan($0, &out) }
            f.otherwise?.forEach { scan($0, &out) }
            if let c = f.condition { scan(c, &out) }
        case .set(_, let e): scan(e, &out)
        case .setBlock(_, let filters, let body):
            filters.forEach { scan($0, &out) }
            body.forEach { scan($0, &out) }
        case .macro: break
        case .callBlock(let call, _, let body):
            scan(call, &out)
            body.forEach { scan($0, &out) }
        case .filterBlock(let filters, let body):
            filters.forEach { scan($0, &out) }
            body.forEach { scan($0, &out) }
        case .with(let assigns, let body):
            assigns.forEach { scan($0.1, &out) }
            body.forEach { scan($0, &out) }
        case .include(let e, _, _), .importTemplate(let e, _, _), .fromImport(let e, _, _): scan(e, &out)
        case .autoescape(let e, let body):
            scan(e, &out)
            body.forEach { scan($0, &out) }
        }
    }

    static func scan(_ e: Expr, _ out: inout Set<String>) {
        switch e.kind {
        case .literal: break
        case .name(let n): out.insert(n)
        case .list(let items), .tuple(let items), .concat(let items): items.forEach { scan($0, &out) }
        case .dict(let pairs): pairs.forEach { scan($0.0, &out); scan($0.1, &out) }
        case .getattr(let x, _), .unary(_, let x), .not(let x): scan(x, &out)
        case .getitem(let a, let b), .binary(_, let a, let b), .and(let a, let b), .or(let a, let b):
            scan(a, &out); scan(b, &out)
        case .slice(let a, let b, let c, let d):
            scan(a, &out)
            [b, c, d].compactMap { $0 }.forEach { scan($0, &out) }
        case .call(let f, let args):
            scan(f, &out); scan(args, &out)
        case .filter(let v, _, let args):
            if let v { scan(v, &out) }
            scan(args, &out)
        case .test(let v, _, let args, _):
            scan(v, &out); scan(args, &out)
        case .compare(let first, let rest):
            scan(first, &out)
            rest.forEach { scan($0.1, &out) }
        case .conditional(let t, let a, let b):
            scan(t, &out); scan(a, &out)
            if let b { scan(b, &out) }
        }
    }

    static func scan(_ a: CallArgs, _ out: inout Set<String>) {
        a.positional.forEach { scan($0, &out) }
        a.keywords.forEach { scan($0.1, &out) }
        if let s = a.star { scan(s, &out) }
        if let s = a.doubleStar { scan(s, &out) }
    }
}
