/// Macros and call blocks: callable values that run a template body.
extension RenderContext {
    /// A macro value. It refers to the frame it was defined in by number: values are
    /// shared between threads, the render's frames are not.
    func makeMacro(_ m: Macro, defined frame: Frame, blocks: BlockStack) throws -> Value {
        let info = MacroInfo(arguments: m.params.map(\.name), catchKwargs: m.usesKwargs,
                             catchVarargs: m.usesVarargs, caller: m.usesCaller)
        let frameID = try register(frame), blocksID = register(blocks)
        // A macro body escapes as it does where it is written (Jinja2 decides when
        // compiling); the call decides whether its result is markup.
        let template = current, chain = self.chain, escaping = autoescape
        let fn = Function(name: m.name, macro: info) { args, ctx in
            try ctx.callMacro(m, args, frame: ctx.frames[frameID], blocks: ctx.blockStacks[blocksID], template: template,
                              chain: chain, autoescape: escaping)
        }
        return .function(fn)
    }

    func callMacro(_ m: Macro, _ args: Arguments, frame: Frame, blocks: BlockStack, template: ParsedTemplate?,
                   chain: [TemplateError.Site], autoescape escaping: Bool) throws -> Value {
        try enter()
        defer { leave() }
        let f = Frame(parent: frame)
        var keywords = args.keywords
        var callerValue: Value?
        if let i = keywords.firstIndex(where: { $0.0 == "caller" }), !m.params.contains(where: { $0.name == "caller" }) {
            callerValue = keywords.remove(at: i).1
        }
        let positional = args.positional
        for (i, p) in m.params.enumerated() {
            if i < positional.count {
                if keywords.contains(where: { $0.0 == p.name }) {
                    throw TemplateError(.type, "macro '\(m.name)' got multiple values for argument '\(p.name)'")
                }
                f.vars[p.name] = positional[i]
            } else if let k = keywords.firstIndex(where: { $0.0 == p.name }) {
                f.vars[p.name] = keywords.remove(at: k).1
            } else if let d = p.defaultValue {
                f.vars[p.name] = try eval(d, f, blocks)
            } else {
                f.vars[p.name] = .undefined(Undefined(hint: "parameter '\(p.name)' was not provided", strict: strict))
            }
        }
        let extra = positional.count > m.params.count ? Array(positional[m.params.count...]) : []
        if !extra.isEmpty && !m.usesVarargs {
            throw TemplateError(.type, "macro '\(m.name)' takes not more than \(m.params.count) argument(s)")
        }
        if !keywords.isEmpty && !m.usesKwargs {
            throw TemplateError(.type, "macro '\(m.name)' takes no keyword argument '\(keywords[0].0)'")
        }
        if m.usesVarargs { f.vars["varargs"] = .tuple(extra) }
        if m.usesKwargs { f.vars["kwargs"] = .dict(Dict(keywords)) }
        if let callerValue {
            if !m.usesCaller { throw TemplateError(.type, "macro '\(m.name)' was invoked with two values for the special caller argument. This is most likely a bug.") }
            f.vars["caller"] = callerValue
        } else if m.usesCaller {
            f.vars["caller"] = .undefined(Undefined(hint: "No caller defined", strict: strict))
        }
        push()
        let saved = (line, column, current, self.chain, generatorBase, autoescape)
        defer { (line, column, current, self.chain, generatorBase, autoescape) = saved }
        generatorBase = captureDepth
        autoescape = escaping
        current = template
        self.chain = chain
        try execute(m.body, f, blocks)
        // Whether the result is safe markup is the call's autoescape (Jinja2 passes
        // the caller's eval context to the macro).
        let text = pop()
        return saved.5 ? .markup(text) : .string(text)
    }
}
