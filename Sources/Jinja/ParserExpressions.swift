/// The expression grammar of Jinja2's parser (parse_tuple down to parse_primary).
extension Parser {
    /// Builds an expression, refusing trees deeper than the limit: the renderer walks
    /// them recursively, and so does releasing them.
    func make(_ kind: Expr.Kind, _ token: Token, filter: FilterFunction? = nil) throws -> Expr {
        let e = Expr(kind, line: token.line, column: token.column, filter: filter)
        if e.depth > limits.maxExpressionDepth {
            throw TemplateError(.limit, "expression too deeply nested (more than \(limits.maxExpressionDepth) levels); split it with {% set %}",
                                template: name, line: token.line, column: token.column)
        }
        return e
    }

    mutating func parseFilterChain(leadingPipe: Bool = false) throws -> [Expr] {
        var filters: [Expr] = []
        if leadingPipe { try expectOp("|") }
        repeat {
            let tok = current
            var fname = try expectName()
            while skipOp(".") { fname += "." + (try expectName()) }
            let args = isOp("(") ? try parseCallArgs() : CallArgs()
            filters.append(try make(.filter(nil, fname, args), tok, filter: self.filters[fname]))
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
            if isOp("(") {
                _ = advance()
                try nest()
                let inner = try parseAssignTarget(extraEnd: extraEnd)
                nesting -= 1
                try expectOp(")")
                items.append(inner)
            } else {
                let n = try expectName()
                if ["true", "false", "none", "True", "False", "None"].contains(n) {
                    throw fail("can't assign to 'const'")
                }
                items.append(.name(n))
            }
        }
        return items.count == 1 && !sawComma ? items[0] : .tuple(items)
    }

    mutating func parseTuple(withCondExpr: Bool = true, extraEnd: [String] = [], explicitParens: Bool = false) throws -> Expr {
        let tok = current
        var items: [Expr] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(extraEnd) { break }
            items.append(withCondExpr ? try parseExpression() : try parseOr())
            if isOp(",") { isTuple = true } else { break }
        }
        if !isTuple {
            if let only = items.first { return only }
            if !explicitParens { throw fail("Expected an expression, got '\(current)'") }
        }
        return try make(.tuple(items), tok)
    }

    func isTupleEnd(_ extra: [String]) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd, .op(")"): return true
        case .name(let n): return extra.contains(n)
        default: return false
        }
    }

    mutating func parseExpression(withCondExpr: Bool = true) throws -> Expr {
        withCondExpr ? try parseCondExpr() : try parseOr()
    }

    mutating func parseCondExpr() throws -> Expr {
        let tok = current
        var expr = try parseOr()
        while skipName("if") {
            let test = try parseOr()
            var otherwise: Expr?
            if skipName("else") {
                try nest()
                otherwise = try parseCondExpr()
                nesting -= 1
            }
            expr = try make(.conditional(test: test, then: expr, otherwise: otherwise), tok)
        }
        return expr
    }

    mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        while isName("or") {
            let tok = advance()
            left = try make(.or(left, try parseAnd()), tok)
        }
        return left
    }

    mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        while isName("and") {
            let tok = advance()
            left = try make(.and(left, try parseNot()), tok)
        }
        return left
    }

    mutating func parseNot() throws -> Expr {
        if isName("not") {
            let tok = advance()
            try nest()
            defer { nesting -= 1 }
            return try make(.not(try parseNot()), tok)
        }
        return try parseCompare()
    }

    static let compareOperators: [String: CompareOperator] = [
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    mutating func parseCompare() throws -> Expr {
        let first = try parseMath1()
        var ops: [(CompareOperator, Expr)] = []
        var opToken = current
        while true {
            if case .op(let o) = current.kind, let op = Parser.compareOperators[o] {
                if ops.isEmpty { opToken = current }
                _ = advance()
                ops.append((op, try parseMath1()))
            } else if isName("in") {
                if ops.isEmpty { opToken = current }
                _ = advance()
                ops.append((.contains, try parseMath1()))
            } else if isName("not"), case .name("in") = peekNext.kind {
                if ops.isEmpty { opToken = current }
                _ = advance(); _ = advance()
                ops.append((.notContains, try parseMath1()))
            } else {
                break
            }
        }
        return ops.isEmpty ? first : try make(.compare(first, ops), opToken)
    }

    mutating func parseMath1() throws -> Expr {
        var left = try parseConcat()
        while case .op(let o) = current.kind, o == "+" || o == "-" {
            let tok = advance()
            left = try make(.binary(o == "+" ? .add : .subtract, left, try parseConcat()), tok)
        }
        return left
    }

    mutating func parseConcat() throws -> Expr {
        var items = [try parseMath2()]
        var tok = current
        while isOp("~") {
            if items.count == 1 { tok = current }
            _ = advance()
            items.append(try parseMath2())
        }
        return items.count == 1 ? items[0] : try make(.concat(items), tok)
    }

    static let mathOperators: [String: ArithmeticOperator] = ["*": .multiply, "/": .divide, "//": .floorDivide, "%": .modulo]

    mutating func parseMath2() throws -> Expr {
        var left = try parsePow()
        while case .op(let o) = current.kind, let op = Parser.mathOperators[o] {
            let tok = advance()
            left = try make(.binary(op, left, try parsePow()), tok)
        }
        return left
    }

    mutating func parsePow() throws -> Expr {
        var left = try parseUnary()
        while isOp("**") {
            let tok = advance()
            left = try make(.binary(.power, left, try parseUnary()), tok)
        }
        return left
    }

    mutating func parseUnary(withFilter: Bool = true) throws -> Expr {
        var node: Expr
        if isOp("-") || isOp("+") {
            let tok = advance()
            try nest()
            node = try make(.unary(negate: tok.kind == .op("-"), try parseUnary(withFilter: false)), tok)
            nesting -= 1
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
            case "true", "True": return try make(.literal(.bool(true)), tok)
            case "false", "False": return try make(.literal(.bool(false)), tok)
            case "none", "None": return try make(.literal(.none), tok)
            default: return try make(.name(n), tok)
            }
        case .string(var s):
            _ = advance()
            while case .string(let more) = current.kind { s += more; _ = advance() }
            return try make(.literal(.string(s)), tok)
        case .int(let v):
            _ = advance()
            return try make(.literal(v), tok)
        case .float(let v):
            _ = advance()
            return try make(.literal(.double(v)), tok)
        case .op("("):
            _ = advance()
            try nest()
            let e = try parseTuple(explicitParens: true)
            nesting -= 1
            try expectOp(")")
            return e
        case .op("["):
            _ = advance()
            try nest()
            var items: [Expr] = []
            while !isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if isOp("]") { break }
                items.append(try parseExpression())
            }
            nesting -= 1
            try expectOp("]")
            return try make(.list(items), tok)
        case .op("{"):
            _ = advance()
            try nest()
            var pairs: [(Expr, Expr)] = []
            while !isOp("}") {
                if !pairs.isEmpty { try expectOp(",") }
                if isOp("}") { break }
                let k = try parseExpression()
                try expectOp(":")
                pairs.append((k, try parseExpression()))
            }
            nesting -= 1
            try expectOp("}")
            return try make(.dict(pairs), tok)
        default:
            if case .eof = tok.kind { throw fail("unexpected end of template") }
            throw fail("unexpected '\(tok)'")
        }
    }
}
