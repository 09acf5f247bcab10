/// Executing statements.
extension RenderContext {
    func execute(_ nodes: [Node], _ frame: Frame, _ blocks: BlockStack) throws {
        for n in nodes { try execute(n, frame, blocks) }
    }

    func execute(_ node: Node, _ frame: Frame, _ blocks: BlockStack) throws {
        try burn()
        if case .text(let t) = node.kind { return try write(t) }
        line = node.line
        column = node.column
        do {
            try run(node, frame, blocks)
        } catch let e as TemplateError where e.line == 0 {
            throw located(e, line: node.line, column: node.column)
        }
    }

    private func run(_ node: Node, _ frame: Frame, _ blocks: BlockStack) throws {
        switch node.kind {
        case .text(let t):
            try write(t)
        case .output(let e):
            var value = try eval(e, frame, blocks)
            if let finalize = environment.finalize { value = try finalize(value) }
            try write(try display(value))
        case .ifStmt(let branches, let otherwise):
            for (cond, body) in branches where try eval(cond, frame, blocks).truthy() {
                try execute(body, frame, blocks)
                return
            }
            if let otherwise { try execute(otherwise, frame, blocks) }
        case .forLoop(let loop):
            try runFor(loop, frame, blocks, items: try eval(loop.iterable, frame, blocks), depth: 0)
        case .set(let target, let e):
            try assign(target, try eval(e, frame, blocks), frame)
        case .setBlock(let target, let filters, let body):
            push()
            try execute(body, Frame(parent: frame), blocks)
            var value = captured(pop())
            for f in filters { value = try applyFilter(f, to: value, frame, blocks) }
            try assign(target, value, frame)
        case .macro(let m):
            frame.vars[m.name] = try makeMacro(m, defined: frame, blocks: blocks)
        case .callBlock(let call, let callerMacro):
            guard case .call(let fn, let argExprs) = call.kind else { return }
            let caller = try makeMacro(callerMacro, defined: frame, blocks: blocks)
            let callee = try eval(fn, frame, blocks)
            var args = try call.constantArgs ?? evalArgs(argExprs, frame, blocks)
            args.keywords.append(("caller", caller))
            try write(try display(try self.call(callee, args)))
        case .filterBlock(let filters, let body):
            push()
            try execute(body, Frame(parent: frame), blocks)
            var value = captured(pop())
            for f in filters { value = try applyFilter(f, to: value, frame, blocks) }
            // Jinja2 yields a filter block's result as it is: never escaped, and a
            // non-string fails when the output is joined.
            switch value {
            case .string(let s), .markup(let s): try write(s)
            default: throw TemplateError(.type, "sequence item 0: expected str instance, \(value.pyTypeName) found")
            }
        case .with(let assigns, let body):
            let inner = Frame(parent: frame)
            for (t, e) in assigns { try assign(t, try eval(e, frame, blocks), inner) }
            try execute(body, inner, blocks)
        case .include(let e, let ignoreMissing, let withContext):
            try include(e, ignoreMissing: ignoreMissing, withContext: withContext, node, frame, blocks)
        case .importTemplate(let e, let alias, let withContext):
            frame.vars[alias] = .object(try importModule(try eval(e, frame, blocks), withContext ? frame : nil, node))
        case .fromImport(let e, let names, let withContext):
            let module = try importModule(try eval(e, frame, blocks), withContext ? frame : nil, node)
            for (name, alias) in names {
                if let v = module.exports[name] {
                    frame.vars[alias ?? name] = v
                } else {
                    frame.vars[alias ?? name] = undefined(hint: "the template \(pyStringRepr(module.name)) (imported on line \(node.line)) does not export the requested name \(pyStringRepr(name))")
                }
            }
        case .extends:
            // Only reachable outside a template's top level, which the parser refuses.
            throw TemplateError(.syntax, "cannot use extend from a non top-level scope")
        case .block(let name, let scoped, _):
            try renderBlock(name, level: 0, scoped: scoped, frame, blocks)
        case .autoescape(let e, let body):
            let saved = autoescape
            autoescape = try eval(e, frame, blocks).truthy()
            defer { autoescape = saved }
            // Jinja2 wraps the body in a scope: assignments stay inside.
            try execute(body, Frame(parent: frame), blocks)
        }
    }

    func assign(_ target: Target, _ value: Value, _ frame: Frame) throws {
        switch target {
        case .name(let n):
            frame.vars[n] = value
        case .tuple(let targets):
            let items = try value.iterate()
            guard items.count == targets.count else {
                if items.count > targets.count {
                    throw TemplateError(.value, "too many values to unpack (expected \(targets.count))")
                }
                throw TemplateError(.value, "not enough values to unpack (expected \(targets.count), got \(items.count))")
            }
            for (t, v) in zip(targets, items) { try assign(t, v, frame) }
        case .attribute(let obj, let attr):
            guard case .object(let o)? = frame.lookup(obj), o.setAttribute(attr, value) else {
                throw TemplateError(.runtime, "cannot assign attribute on non-namespace object")
            }
        }
    }
}
