/// Postfix expressions of Jinja2's parser: attribute and item lookups, slices, call
/// arguments, filters and tests (parse_postfix, parse_subscript, parse_call_args,
/// parse_filter_expr).
extension Parser {
    mutating func parsePostfix(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            let tok = current
            if isOp(".") {
                _ = advance()
                let attr = current
                switch attr.kind {
                case .name(let n):
                    _ = advance()
                    node = try make(.getattr(node, n), attr)
                case .int(let v):
                    _ = advance()
                    node = try make(.getitem(node, try make(.literal(v), attr)), attr)
                default:
                    throw fail("expected name or number")
                }
            } else if isOp("[") {
                _ = advance()
                try nest()
                var args: [Expr] = []
                while !isOp("]") {
                    if !args.isEmpty { try expectOp(",") }
                    args.append(try parseSubscribed())
                }
                nesting -= 1
                try expectOp("]")
                if args.count == 1 {
                    if case .slice(_, let a, let b, let c) = args[0].kind {
                        node = try make(.slice(node, a, b, c), tok)
                    } else {
                        node = try make(.getitem(node, args[0]), tok)
                    }
                } else {
                    node = try make(.getitem(node, try make(.tuple(args), tok)), tok)
                }
            } else if isOp("(") {
                node = try make(.call(node, try parseCallArgs()), tok)
            } else {
                return node
            }
        }
    }

    /// One subscript: an expression or a slice `a:b:c` (returned as a slice of a dummy).
    mutating func parseSubscribed() throws -> Expr {
        let tok = current
        var parts: [Expr?] = []
        if isOp(":") {
            parts.append(nil)
        } else {
            let e = try parseExpression()
            guard isOp(":") else { return e }
            parts.append(e)
        }
        _ = advance() // ':'
        if isOp("]") || isOp(",") || isOp(":") { parts.append(nil) } else { parts.append(try parseExpression()) }
        if skipOp(":") {
            if isOp("]") || isOp(",") { parts.append(nil) } else { parts.append(try parseExpression()) }
        } else {
            parts.append(nil)
        }
        return try make(.slice(try make(.literal(.none), tok), parts[0], parts[1], parts[2]), tok)
    }

    mutating func parseCallArgs() throws -> CallArgs {
        let open = current
        try expectOp("(")
        try nest()
        defer { nesting -= 1 }
        var args = CallArgs()
        var requireComma = false
        func ensure(_ ok: Bool) throws {
            if !ok { throw fail("invalid syntax for function call expression", at: open) }
        }
        while !isOp(")") {
            if requireComma {
                try expectOp(",")
                if isOp(")") { break }
            }
            if skipOp("*") {
                try ensure(args.star == nil && args.doubleStar == nil)
                args.star = try parseExpression()
            } else if skipOp("**") {
                try ensure(args.doubleStar == nil)
                args.doubleStar = try parseExpression()
            } else if case .name(let n) = current.kind, case .op("=") = peekNext.kind {
                try ensure(args.doubleStar == nil)
                _ = advance(); _ = advance()
                args.keywords.append((n, try parseExpression()))
            } else {
                try ensure(args.star == nil && args.doubleStar == nil && args.keywords.isEmpty)
                args.positional.append(try parseExpression())
            }
            requireComma = true
        }
        try expectOp(")")
        return args
    }

    mutating func parseFilterExpr(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            let tok = current
            if isOp("|") {
                _ = advance()
                let nameToken = current
                var fname = try expectName()
                while skipOp(".") { fname += "." + (try expectName()) }
                let args = isOp("(") ? try parseCallArgs() : CallArgs()
                node = try make(.filter(node, fname, args), nameToken, filter: filters[fname])
            } else if isName("is") {
                _ = advance()
                let negated = skipName("not")
                let nameToken = current
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
                node = try make(.test(node, tname, args, negated: negated), nameToken)
            } else if isOp("(") {
                node = try make(.call(node, try parseCallArgs()), tok)
            } else {
                return node
            }
        }
    }
}
