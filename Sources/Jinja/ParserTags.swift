/// The statements of Jinja2's parser that take more than an expression: from/import
/// context modifiers, block, if, for, set, macro signatures and call blocks.
extension Parser {
    mutating func parseContextModifier(default d: Bool) -> Bool {
        if isName("with") || isName("without"), case .name("context") = peekNext.kind {
            let w = isName("with")
            _ = advance(); _ = advance()
            return w
        }
        return d
    }

    mutating func parseFrom(_ token: Token) throws -> Node {
        let template = try parseExpression()
        guard skipName("import") else { throw unexpected(expected: "'import'") }
        var names: [(String, String?)] = []
        var withContext: Bool?
        // Jinja2's parse_from: names separated by commas; "with/without context" may
        // follow any name (and ends the list).
        while true {
            if !names.isEmpty { try expectOp(",") }
            guard case .name(let n) = current.kind else { throw unexpected(expected: "'name'") }
            if isName("with") || isName("without"), case .name("context") = peekNext.kind {
                withContext = parseContextModifier(default: false)
                break
            }
            if n.hasPrefix("_") { throw fail("names starting with an underline can not be imported") }
            _ = advance()
            var alias: String?
            if skipName("as") { alias = try expectName() }
            names.append((n, alias))
            if isName("with") || isName("without"), case .name("context") = peekNext.kind {
                withContext = parseContextModifier(default: false)
                break
            }
            if !isOp(",") { break }
        }
        return Node(.fromImport(template, names: names, withContext: withContext ?? false), line: token.line, column: token.column)
    }

    mutating func parseBlock(_ token: Token) throws -> Node {
        let blockName = try expectName()
        let scoped = skipName("scoped")
        let required = skipName("required")
        if isOp("-") {
            throw fail("Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.")
        }
        if blocks[blockName] != nil { throw fail("block '\(blockName)' defined twice", at: token) }
        let (b, _) = try statements(of: "block", at: token, ends: ["endblock"])
        _ = skipName(blockName)
        if required {
            for node in b {
                if case .text(let t) = node.kind, t.unicodeScalars.allSatisfy(PyText.isSpace) { continue }
                throw fail("Required blocks can only contain comments or whitespace", at: token)
            }
        }
        blocks[blockName] = BlockDef(name: blockName, body: b, scoped: scoped, required: required, line: token.line)
        return Node(.block(name: blockName, scoped: scoped, required: required), line: token.line, column: token.column)
    }

    mutating func parseIf(_ token: Token) throws -> Node {
        var branches: [(Expr, [Node])] = []
        var otherwise: [Node]?
        var cond = try parseTuple(withCondExpr: false)
        var branchToken = token
        while true {
            let (b, end) = try statements(of: "if", at: branchToken, ends: ["elif", "else", "endif"])
            branches.append((cond, b))
            if end == "elif" {
                branchToken = current
                cond = try parseTuple(withCondExpr: false)
                continue
            }
            if end == "else" {
                let (e, _) = try statements(of: "if", at: token, ends: ["endif"])
                otherwise = e
            }
            return Node(.ifStmt(branches, otherwise: otherwise), line: token.line, column: token.column)
        }
    }

    mutating func parseFor(_ token: Token) throws -> Node {
        let target = try parseAssignTarget(extraEnd: ["in"])
        guard skipName("in") else { throw unexpected(expected: "'in'") }
        let iter = try parseTuple(withCondExpr: false, extraEnd: ["recursive"])
        var condition: Expr?
        if skipName("if") { condition = try parseExpression() }
        let recursive = skipName("recursive")
        let (b, end) = try statements(of: "for", at: token, ends: ["endfor", "else"])
        var otherwise: [Node]?
        if end == "else" {
            let (e, _) = try statements(of: "for", at: token, ends: ["endfor"])
            otherwise = e
        }
        return Node(.forLoop(ForLoop(target: target, iterable: iter, body: b, otherwise: otherwise,
                                     condition: condition, recursive: recursive)), line: token.line, column: token.column)
    }

    mutating func parseSet(_ token: Token) throws -> Node {
        let target = try parseAssignTarget(withNamespace: true)
        if skipOp("=") {
            return Node(.set(target, try parseTuple()), line: token.line, column: token.column)
        }
        let filters = isOp("|") ? try parseFilterChain(leadingPipe: true) : []
        let (b, _) = try statements(of: "set", at: token, ends: ["endset"])
        return Node(.setBlock(target, filters: filters, body: b), line: token.line, column: token.column)
    }

    mutating func parseSignature() throws -> [MacroParam] {
        var params: [MacroParam] = []
        try expectOp("(")
        while !isOp(")") {
            if !params.isEmpty { try expectOp(",") }
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

    static func makeMacro(name: String, params: [MacroParam], body: [Node]) -> Macro {
        let used = NameScan.names(in: body)
        return Macro(name: name, params: params, body: body, usesCaller: used.contains("caller"),
                     usesVarargs: used.contains("varargs"), usesKwargs: used.contains("kwargs"))
    }

    mutating func parseMacro(_ token: Token) throws -> Node {
        let macroName = try expectName()
        let params = try parseSignature()
        let (b, _) = try statements(of: "macro", at: token, ends: ["endmacro"])
        return Node(.macro(Parser.makeMacro(name: macroName, params: params, body: b)), line: token.line, column: token.column)
    }

    mutating func parseCallBlock(_ token: Token) throws -> Node {
        let params = isOp("(") ? try parseSignature() : []
        let call = try parseExpression()
        guard case .call = call.kind else { throw fail("expected call", at: token) }
        let (b, _) = try statements(of: "call", at: token, ends: ["endcall"])
        return Node(.callBlock(call: call, caller: Parser.makeMacro(name: "caller", params: params, body: b)),
                    line: token.line, column: token.column)
    }

    /// `extends` is allowed at the top level, also inside top-level `if`s (Jinja2's
    /// "soft" frames); elsewhere it is Jinja2's TemplateAssertionError.
}
