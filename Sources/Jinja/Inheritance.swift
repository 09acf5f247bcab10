import Synchronization

/// Template inheritance (`extends`, blocks, `super()`, `self`), `include` and `import`.
extension RenderContext {
    /// Renders a template whose top-level variables live in `root`, following `extends`.
    func renderTemplate(_ template: ParsedTemplate, root: Frame) throws {
        let blocks = BlockStack()
        for (name, def) in template.blocks { blocks.stacks[name] = [(def, template, chain)] }
        let selfRef = SelfReference(frame: try register(root), blocks: register(blocks), names: Set(template.blocks.keys))
        root.vars["self"] = .object(selfRef)
        // Jinja2 compiles each template on its own: an included or imported one
        // escapes as the environment says, whatever `{% autoescape %}` surrounds the tag.
        let savedTemplate = current, savedChain = chain, savedEscape = autoescape
        defer { current = savedTemplate; chain = savedChain; autoescape = savedEscape }
        autoescape = environment.autoescape
        var this = template
        // Each template of an extends chain once: a cycle is an error, not a hang.
        // (By name: the root may be parsed from a string and loaded again by name.)
        func key(_ t: ParsedTemplate) -> String { t.name ?? "\(ObjectIdentifier(t))" }
        var seen: [String] = [key(template)]
        while true {
            current = this
            guard let (parent, site) = try executeTopLevel(this, root: root, blocks: blocks) else { return }
            if seen.contains(key(parent)) || seen.count > environment.limits.maxDepth {
                throw located(TemplateError(.runtime, "template \(pyStringRepr(parent.name ?? "<template>")) extends itself (through \(seen.count) template\(seen.count == 1 ? "" : "s")): an extends cycle"), line: site.line, column: site.column)
            }
            seen.append(key(parent))
            try burn()
            chain.append(site)
            for (name, def) in parent.blocks { blocks.stacks[name, default: []].append((def, parent, chain)) }
            selfRef.add(parent.blocks.keys)
            this = parent
        }
    }

    /// Runs a template's top level; returns the parent when it extends one. After
    /// `extends`, top-level output is discarded but assignments still happen.
    private func executeTopLevel(_ template: ParsedTemplate, root: Frame, blocks: BlockStack) throws -> (ParsedTemplate, TemplateError.Site)? {
        var parent: (ParsedTemplate, TemplateError.Site)?
        func run(_ nodes: [Node]) throws {
            for node in nodes {
                if case .extends(let e) = node.kind {
                    line = node.line
                    column = node.column
                    if parent != nil {
                        throw located(TemplateError(.syntax, "extended multiple times"), line: node.line, column: node.column)
                    }
                    let site = TemplateError.Site(how: .extended, template: template.name, line: node.line, column: node.column)
                    do {
                        parent = (try loadTemplate(try eval(e, root, blocks), via: site), site)
                    } catch let err as TemplateError where err.line == 0 {
                        throw located(err, line: node.line, column: node.column)
                    }
                    continue
                }
                if case .ifStmt(let branches, let otherwise) = node.kind, containsExtends(node) {
                    // An extends inside a top-level if: run the branch at the top level.
                    line = node.line
                    column = node.column
                    var taken: [Node]? = otherwise
                    do {
                        for (cond, body) in branches where try eval(cond, root, blocks).truthy() { taken = body; break }
                    } catch let err as TemplateError where err.line == 0 {
                        throw located(err, line: node.line, column: node.column)
                    }
                    try run(taken ?? [])
                    continue
                }
                if parent != nil {
                    // Only definitions matter once the template has a parent.
                    switch node.kind {
                    case .text, .output, .block: continue
                    default:
                        push()
                        try execute(node, root, blocks)
                        _ = pop()
                    }
                } else {
                    try execute(node, root, blocks)
                }
            }
        }
        try run(template.nodes)
        return parent
    }

    private func containsExtends(_ node: Node) -> Bool {
        if case .extends = node.kind { return true }
        guard case .ifStmt = node.kind else { return false }
        return node.bodies.contains { $0.contains(where: containsExtends) }
    }

    /// A template from a name, a list of names (the first that exists) or a template.
    /// Errors loading it (not found, syntax) name the tag that asked for it.
    func loadTemplate(_ v: Value, via site: TemplateError.Site) throws -> ParsedTemplate {
        func load(_ name: String) throws -> ParsedTemplate {
            do {
                return try environment.parsedTemplate(named: name)
            } catch var e as TemplateError where e.kind != .notFound {
                e.chain = [site] + chain.reversed()
                throw e
            }
        }
        switch v {
        case .string(let name), .markup(let name): return try load(name)
        case .object(let o as TemplateReference): return o.template
        case .list(let names), .tuple(let names):
            var tried: [String] = []
            for n in names {
                if case .string(let s) = n {
                    tried.append(s)
                    do { return try load(s) } catch let e as TemplateError where e.kind == .notFound { continue }
                }
            }
            throw TemplateError(.notFound, "none of the templates given were found: " + tried.joined(separator: ", "))
        case .undefined(let u): throw u.error()
        default:
            throw TemplateError(.type, "template name must be a string, not '\(v.pyTypeName)'")
        }
    }

    func include(_ e: Expr, ignoreMissing: Bool, withContext: Bool, _ node: Node, _ frame: Frame, _ blocks: BlockStack) throws {
        let site = TemplateError.Site(how: .included, template: current?.name, line: node.line, column: node.column)
        let t: ParsedTemplate
        do {
            t = try loadTemplate(try eval(e, frame, blocks), via: site)
        } catch let err as TemplateError where err.kind == .notFound && ignoreMissing {
            return
        }
        try enter()
        defer { leave() }
        // The included template sees the variables at the include (loop variables
        // too), as Jinja2 passes them; its own assignments stay in it.
        let root = Frame(parent: withContext ? frame : globalsFrame)
        chain.append(site)
        let savedBase = generatorBase
        defer { chain.removeLast(); generatorBase = savedBase }
        if withContext {
            generatorBase = captureDepth
            return try renderTemplate(t, root: root)
        }
        push()
        generatorBase = captureDepth
        let text: String
        do { try renderTemplate(t, root: root) } catch { _ = pop(); throw error }
        text = pop()
        generatorBase = savedBase
        try writeToGenerator(text)
    }

    func importModule(_ nameValue: Value, _ context: Frame?, _ node: Node) throws -> TemplateModule {
        let site = TemplateError.Site(how: .imported, template: current?.name, line: node.line, column: node.column)
        let t = try loadTemplate(nameValue, via: site)
        try enter()
        defer { leave() }
        let root = Frame(parent: context ?? globalsFrame)
        push()
        chain.append(site)
        defer { chain.removeLast() }
        try renderTemplate(t, root: root)
        let body = pop()
        var exports: [String: Value] = [:]
        for (k, v) in root.vars where !k.hasPrefix("_") && k != "self" { exports[k] = v }
        return TemplateModule(name: t.name ?? "", exports: exports, body: body)
    }

    /// Renders block `name` at `level` of its stack (0: the most derived definition).
    /// `scoped` comes from the `{% block %}` tag being run: a scoped block sees the
    /// variables around it (a loop's), an unscoped one only the template's top level.
    func renderBlock(_ name: String, level: Int, scoped: Bool, _ frame: Frame, _ blocks: BlockStack) throws {
        guard let stack = blocks.stacks[name], level < stack.count else {
            throw TemplateError(.runtime, "no block named '\(name)'")
        }
        let (def, owner, ownerChain) = stack[level]
        if def.required && level == 0 {
            throw TemplateError(.runtime, "Required block '\(name)' not found")
        }
        try enter()
        defer { leave() }
        let base = scoped ? frame : rootFrame(of: frame)
        let inner = Frame(parent: base)
        let baseID = try register(base), blocksID = register(blocks)
        inner.vars["super"] = .function(Function(name: "super") { _, ctx in
            guard level + 1 < stack.count else {
                throw TemplateError(.undefined, "there is no parent block called '\(name)'.")
            }
            ctx.push()
            try ctx.renderBlock(name, level: level + 1, scoped: true, ctx.frames[baseID], ctx.blockStacks[blocksID])
            return ctx.captured(ctx.pop())
        })
        if scoped {
            // `self` in a scoped block sees the variables around it, as Jinja2's
            // derived context does.
            inner.vars["self"] = .object(SelfReference(frame: baseID, blocks: blocksID, names: Set(blocks.stacks.keys), scoped: true))
        }
        let savedTemplate = current, savedChain = chain, savedBase = generatorBase
        defer { current = savedTemplate; chain = savedChain; generatorBase = savedBase }
        current = owner
        chain = ownerChain
        generatorBase = captureDepth
        try execute(def.body, inner, blocks)
    }

    /// The frame holding a template's top-level variables (just below the globals).
    func rootFrame(of frame: Frame) -> Frame {
        var f = frame
        while let p = f.parent, p !== globalsFrame, p.parent != nil { f = p }
        return f
    }
}

/// What `{% import %}` gives: the template's macros and top-level variables.
final class TemplateModule: JinjaObject {
    let name: String
    let exports: [String: Value]
    let body: String
    init(name: String, exports: [String: Value], body: String) {
        self.name = name
        self.exports = exports
        self.body = body
    }
    var typeName: String { "TemplateModule" }
    func attribute(_ name: String) -> Value? { exports[name] }
    var stringValue: String { body }
}

/// A template passed around as a value.
final class TemplateReference: JinjaObject {
    let template: ParsedTemplate
    init(_ t: ParsedTemplate) { template = t }
    var typeName: String { "Template" }
    func attribute(_ name: String) -> Value? { nil }
    var stringValue: String { "<Template \(template.name.map { pyStringRepr($0) } ?? "memory")>" }
}

/// `self` in a template: `self.name()` renders block `name` again.
final class SelfReference: JinjaObject {
    let frame: Int
    let blocks: Int
    /// Whether blocks rendered through it see `frame` itself (a scoped block's
    /// variables) rather than only the template's top level.
    let scoped: Bool
    /// The blocks of the template chain, growing as parents are loaded.
    private let names: Mutex<Set<String>>
    init(frame: Int, blocks: Int, names: Set<String>, scoped: Bool = false) {
        self.frame = frame
        self.blocks = blocks
        self.scoped = scoped
        self.names = Mutex(names)
    }
    func add(_ more: Dictionary<String, BlockDef>.Keys) { names.withLock { $0.formUnion(more) } }
    var typeName: String { "TemplateReference" }
    var stringValue: String { "<TemplateReference>" }
    func attribute(_ name: String) -> Value? {
        guard names.withLock({ $0.contains(name) }) else { return nil }
        let frame = self.frame, blocks = self.blocks, scoped = self.scoped
        return .function(Function(name: name) { _, ctx in
            let stack = ctx.blockStacks[blocks]
            guard stack.stacks[name] != nil else { throw TemplateError(.undefined, "no block named \(pyStringRepr(name))") }
            ctx.push()
            try ctx.renderBlock(name, level: 0, scoped: scoped, ctx.frames[frame], stack)
            return ctx.captured(ctx.pop())
        })
    }
}
