/// Turns tokens into a syntax tree, following Jinja2's grammar and precedence. This
/// file holds the statements; ParserExpressions.swift the expressions.
struct Parser {
    var tokens: [Token]
    var i = 0
    let name: String?
    var blocks: [String: BlockDef] = [:]
    /// Tags that end the blocks being parsed, innermost last (for error messages).
    var endStack: [(tag: String, ends: [String], line: Int, column: Int)] = []
    /// Current nesting of brackets, unary operators and conditional expressions; and
    /// of statements inside statements. Both are bounded so that neither the parser
    /// nor the renderer can run out of stack.
    var nesting = 0
    var statementNesting = 0
    let limits: Limits
    /// Where filters are looked up once, at parse time.
    let filters: [String: FilterFunction]

    init(tokens: [Token], name: String?, limits: Limits = Limits(), filters: [String: FilterFunction] = [:]) {
        self.tokens = tokens
        self.name = name
        self.limits = limits
        self.filters = filters
    }

    var current: Token { tokens[i] }
    var peekNext: Token { tokens[min(i + 1, tokens.count - 1)] }

    func fail(_ msg: String, at token: Token? = nil, line: Int? = nil, column: Int? = nil) -> TemplateError {
        let t = token ?? current
        return TemplateError(.syntax, msg, template: name, line: line ?? t.line, column: column ?? (line == nil ? t.column : 0))
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
        guard case .name(let n) = current.kind else { throw unexpected(expected: "'name'") }
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

    /// Enters one level of expression nesting; the caller leaves it with `nesting -= 1`.
    mutating func nest() throws {
        nesting += 1
        if nesting > limits.maxNesting {
            throw TemplateError(.limit, "expression nested too deeply (more than \(limits.maxNesting) levels)",
                                template: name, line: current.line, column: current.column)
        }
    }

    // MARK: Statements

    mutating func parseTemplate() throws -> [Node] {
        let body = try subparse(until: [])
        guard case .eof = current.kind else { throw fail("unexpected '\(current)'") }
        try checkExtendsPlacement(body, topLevel: true)
        return body
    }

    /// Parses nodes until a block tag whose name is in `until` (left unconsumed).
    mutating func subparse(until: [String]) throws -> [Node] {
        var body: [Node] = []
        var pendingText: String?
        func flush() {
            if let t = pendingText { body.append(Node(.text(t), line: 0, column: 0)); pendingText = nil }
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
                body.append(Node(.output(e), line: e.line, column: e.column))
            case .blockBegin:
                flush()
                _ = advance()
                guard case .name(let tag) = current.kind else { throw fail("tag name expected") }
                if until.contains(tag) { return body }
                body.append(try parseStatement(tag: tag, at: current))
                try expectBlockEnd()
            case .eof:
                flush()
                if !until.isEmpty { throw fail(endOfTemplateMessage(), line: endStack.last?.line, column: endStack.last?.column) }
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

    /// Jinja2's `parse_statements`: an optional colon, the end of the opening tag, the
    /// body up to one of `ends`; returns the body and the end tag found (consumed).
    mutating func statements(of tag: String, at token: Token, ends: [String]) throws -> ([Node], String) {
        _ = skipOp(":")
        try expectBlockEnd()
        statementNesting += 1
        defer { statementNesting -= 1 }
        if statementNesting > limits.maxNesting {
            throw TemplateError(.limit, "statement nested too deeply (more than \(limits.maxNesting) levels)",
                                template: name, line: current.line, column: current.column)
        }
        endStack.append((tag, ends, token.line, token.column))
        defer { endStack.removeLast() }
        let nodes = try subparse(until: ends)
        let end = try expectName()
        return (nodes, end)
    }

    mutating func parseStatement(tag: String, at token: Token) throws -> Node {
        _ = advance() // the tag name
        let line = token.line, column = token.column
        func node(_ kind: Node.Kind) -> Node { Node(kind, line: line, column: column) }
        switch tag {
        case "if": return try parseIf(token)
        case "for": return try parseFor(token)
        case "set": return try parseSet(token)
        case "macro": return try parseMacro(token)
        case "call": return try parseCallBlock(token)
        case "print":
            var items: [Expr] = []
            while !(current.kind == .blockEnd) {
                if !items.isEmpty { try expectOp(",") }
                items.append(try parseExpression())
            }
            return node(.output(Expr(.concat(items), line: line, column: column)))
        case "filter":
            let filters = try parseFilterChain()
            let (b, _) = try statements(of: "filter", at: token, ends: ["endfilter"])
            return node(.filterBlock(filters: filters, body: b))
        case "with":
            var assigns: [(Target, Expr)] = []
            while !(current.kind == .blockEnd) {
                if !assigns.isEmpty { try expectOp(",") }
                let t = try parseAssignTarget()
                try expectOp("=")
                assigns.append((t, try parseExpression()))
            }
            let (b, _) = try statements(of: "with", at: token, ends: ["endwith"])
            return node(.with(assigns, body: b))
        case "include":
            let template = try parseExpression()
            var ignore = false
            if isName("ignore"), case .name("missing") = peekNext.kind {
                _ = advance(); _ = advance()
                ignore = true
            }
            let ctx = parseContextModifier(default: true)
            return node(.include(template, ignoreMissing: ignore, withContext: ctx))
        case "import":
            let template = try parseExpression()
            guard skipName("as") else { throw unexpected(expected: "'as'") }
            let alias = try expectName()
            let ctx = parseContextModifier(default: false)
            return node(.importTemplate(template, alias: alias, withContext: ctx))
        case "from":
            return try parseFrom(token)
        case "extends":
            return node(.extends(try parseExpression()))
        case "block":
            return try parseBlock(token)
        case "autoescape":
            let e = try parseExpression()
            let (b, _) = try statements(of: "autoescape", at: token, ends: ["endautoescape"])
            return node(.autoescape(e, b))
        default:
            throw fail(unknownTagMessage(tag), at: token)
        }
    }

    /// `with context` / `without context` after an include or import.
    func checkExtendsPlacement(_ nodes: [Node], topLevel: Bool) throws {
        for n in nodes {
            switch n.kind {
            case .extends where !topLevel:
                throw TemplateError(.syntax, "cannot use extend from a non top-level scope", template: name, line: n.line, column: n.column)
            case .ifStmt:
                for b in n.bodies { try checkExtendsPlacement(b, topLevel: topLevel) }
            default:
                for b in n.bodies { try checkExtendsPlacement(b, topLevel: false) }
            }
        }
    }
}

/// Finds the names a template body reads (for macros' `caller`/`varargs`/`kwargs`);
/// nested macros are not looked into.
enum NameScan {
    static func names(in nodes: [Node]) -> Set<String> {
        var out = Set<String>()
        var stack = nodes
        while let n = stack.popLast() {
            if case .macro = n.kind { continue }
            for e in n.expressions {
                e.walk { if case .name(let name) = $0.kind { out.insert(name) } }
            }
            for b in n.bodies { stack.append(contentsOf: b) }
        }
        return out
    }
}
