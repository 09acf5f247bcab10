import Foundation

/// A few name → value pairs searched linearly: frames hold a handful of names, and
/// comparing short strings is cheaper than hashing them.
struct SmallMap: Sequence {
    private var keys: [String] = []
    private var values: [Value] = []

    init() {}

    init(_ dict: [String: Value]) {
        for (k, v) in dict.sorted(by: { $0.key < $1.key }) {
            keys.append(k)
            values.append(v)
        }
    }

    subscript(key: String) -> Value? {
        get {
            // Comparing UTF-8 lengths first skips most mismatches without the full
            // string comparison.
            let count = key.utf8.count
            for i in keys.indices where keys[i].utf8.count == count && keys[i] == key { return values[i] }
            return nil
        }
        set {
            if let i = keys.firstIndex(of: key) {
                if let newValue { values[i] = newValue } else { keys.remove(at: i); values.remove(at: i) }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    mutating func removeAll(keepingCapacity keep: Bool = false) {
        keys.removeAll(keepingCapacity: keep)
        values.removeAll(keepingCapacity: keep)
    }

    func makeIterator() -> Zip2Sequence<[String], [Value]>.Iterator { zip(keys, values).makeIterator() }
}

/// Variables visible at one point of a render. Lookups walk outwards.
final class Frame {
    var vars = SmallMap()
    let parent: Frame?

    init(parent: Frame?) { self.parent = parent }

    func lookup(_ name: String) -> Value? {
        var f: Frame? = self
        while let cur = f {
            if let v = cur.vars[name] { return v }
            f = cur.parent
        }
        return nil
    }
}

/// The block definitions of a template chain, most derived first, for `super()`.
final class BlockStack {
    var stacks: [String: [(BlockDef, Template)]] = [:]
}

/// The state of one render: output buffers, frames, fuel and nesting.
public final class RenderContext {
    public let environment: Environment
    /// The buffer being written, and the ones set aside by captures (macros, blocks).
    var out = ""
    var saved: [String] = []
    var fuel: Int
    var depth = 0
    var outputSize = 0
    var autoescape: Bool
    var strict: Bool
    /// The template and line being executed, for error messages.
    var templateName: String?
    var line = 0
    /// The root frame of the current template: globals and render variables.
    var globalsFrame: Frame

    init(environment: Environment) {
        self.environment = environment
        fuel = environment.limits.fuel
        autoescape = environment.autoescape
        strict = environment.strictUndefined
        globalsFrame = Frame(parent: nil)  // holds only the environment's globals
        globalsFrame.vars = SmallMap(environment.globals)
    }

    // MARK: Entry

    /// Every frame of this render. Macros, `self` and `super` point back at the frames
    /// that hold them; emptying the frames at the end breaks those cycles.
    var frames: [Frame] = []

    func newFrame(parent: Frame?) -> Frame {
        let f = Frame(parent: parent)
        frames.append(f)
        return f
    }

    func renderRoot(_ template: Template, vars: [String: Value]) throws -> String {
        defer {
            for f in frames { f.vars.removeAll() }
            frames.removeAll()
        }
        let root = newFrame(parent: globalsFrame)
        root.vars = SmallMap(vars)
        out.reserveCapacity(4096)
        do {
            try renderTemplate(template, root: root)
        } catch var e as TemplateError {
            if e.template == nil { e.template = templateName ?? template.name }
            if e.line == 0 { e.line = line }
            throw e
        }
        return out
    }

    /// Renders a template whose top-level variables live in `root`, following `extends`.
    func renderTemplate(_ template: Template, root: Frame) throws {
        let blocks = BlockStack()
        var current = template
        for (name, def) in template.blocks { blocks.stacks[name] = [(def, template)] }
        root.vars["self"] = .object(SelfReference(context: self, frame: root, blocks: blocks))
        while true {
            let saved = (templateName, line)
            templateName = current.name
            let parent = try executeTopLevel(current.nodes, template: current, root: root, blocks: blocks)
            (templateName, line) = saved
            guard let parent else { return }
            for (name, def) in parent.blocks { blocks.stacks[name, default: []].append((def, parent)) }
            current = parent
        }
    }

    /// Runs a template's top level; returns the parent when it extends one. After
    /// `extends`, top-level output is discarded but assignments still happen.
    private func executeTopLevel(_ nodes: [Node], template: Template, root: Frame, blocks: BlockStack) throws -> Template? {
        var parent: Template?
        for node in nodes {
            if case .extends(let e) = node.kind {
                line = node.line
                if parent != nil { throw TemplateError(.syntax, "extended multiple times", template: template.name, line: node.line) }
                parent = try loadTemplate(try eval(e, root, blocks))
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
        return parent
    }

    func loadTemplate(_ v: Value) throws -> Template {
        switch v {
        case .string(let name), .markup(let name): return try environment.template(named: name)
        case .object(let o as TemplateReference): return o.template
        case .list(let names), .tuple(let names):
            var tried: [String] = []
            for n in names {
                if case .string(let s) = n {
                    tried.append(s)
                    if let t = try? environment.template(named: s) { return t }
                }
            }
            throw TemplateError(.notFound, "none of the templates given were found: " + tried.joined(separator: ", "))
        case .undefined(let u): throw u.error()
        default:
            throw TemplateError(.type, "template name must be a string, not '\(v.pyTypeName)'")
        }
    }

    // MARK: Output

    func push() {
        saved.append(out)
        out = ""
    }

    func pop() -> String {
        let captured = out
        out = saved.removeLast()
        return captured
    }

    func write(_ s: String) throws {
        outputSize += s.utf8.count
        if outputSize > environment.limits.maxOutput {
            throw TemplateError(.limit, "output exceeds \(environment.limits.maxOutput) bytes")
        }
        out += s
    }

    func burn(_ n: Int = 1) throws {
        fuel -= n
        if fuel < 0 { throw TemplateError(.limit, "template exceeded its step limit (runaway loop?)") }
    }

    func enter() throws {
        depth += 1
        if depth > environment.limits.maxDepth {
            throw TemplateError(.limit, "maximum recursion depth exceeded (\(environment.limits.maxDepth) nested macro calls, includes or blocks)")
        }
    }

    func leave() { depth -= 1 }

    func undefined(_ name: String) -> Value { .undefined(Undefined(name: name, strict: strict)) }

    func undefined(hint: String) -> Value { .undefined(Undefined(hint: hint, strict: strict)) }

    /// A string result, marked safe under autoescape (macro and block output).
    func captured(_ s: String) -> Value { autoescape ? .markup(s) : .string(s) }

    /// The text `{{ value }}` prints.
    func display(_ v: Value) throws -> String {
        if autoescape {
            if case .markup(let s) = v { return s }
            return htmlEscape(try v.str())
        }
        return try v.str()
    }

    // MARK: Statements

    func execute(_ nodes: [Node], _ frame: Frame, _ blocks: BlockStack) throws {
        for n in nodes { try execute(n, frame, blocks) }
    }

    func execute(_ node: Node, _ frame: Frame, _ blocks: BlockStack) throws {
        try burn()
        switch node.kind {
        case .text(let t):
            try write(t)
        case .output(let e):
            line = node.line
            var value = try eval(e, frame, blocks)
            if let finalize = environment.finalize { value = try finalize(value) }
            try write(try display(value))
        case .ifStmt(let branches, let otherwise):
            line = node.line
            for (cond, body) in branches where try eval(cond, frame, blocks).truthy() {
                try execute(body, frame, blocks)
                return
            }
            if let otherwise { try execute(otherwise, frame, blocks) }
        case .forLoop(let loop):
            line = node.line
            try runFor(loop, frame, blocks, items: try eval(loop.iterable, frame, blocks), depth: 0)
        case .set(let target, let e):
            line = node.line
            try assign(target, try eval(e, frame, blocks), frame)
        case .setBlock(let target, let filters, let body):
            line = node.line
            push()
            let inner = newFrame(parent: frame)
            try execute(body, inner, blocks)
            var value = captured(pop())
            for f in filters { value = try applyFilter(f, to: value, frame, blocks) }
            try assign(target, value, frame)
        case .macro(let m):
            frame.vars[m.name] = makeMacro(m, defined: frame, blocks: blocks)
        case .callBlock(let call, let params, let body):
            line = node.line
            let caller = makeMacro(Macro(name: "caller", params: params, body: body, usesCaller: false,
                                         usesVarargs: false, usesKwargs: false), defined: frame, blocks: blocks)
            guard case .call(let fn, var args) = call.kind else { return }
            args.keywords.append(("caller", Expr(.literal(caller), line: node.line)))
            let v = try eval(Expr(.call(fn, args), line: node.line), frame, blocks)
            try write(try display(v))
        case .filterBlock(let filters, let body):
            line = node.line
            push()
            try execute(body, newFrame(parent: frame), blocks)
            var value = captured(pop())
            for f in filters { value = try applyFilter(f, to: value, frame, blocks) }
            try write(try display(value))
        case .with(let assigns, let body):
            line = node.line
            let inner = newFrame(parent: frame)
            for (t, e) in assigns { try assign(t, try eval(e, frame, blocks), inner) }
            try execute(body, inner, blocks)
        case .include(let e, let ignoreMissing, let withContext):
            line = node.line
            let t: Template
            do {
                t = try loadTemplate(try eval(e, frame, blocks))
            } catch let err as TemplateError where err.kind == .notFound && ignoreMissing {
                return
            }
            try enter()
            defer { leave() }
            let root = newFrame(parent: withContext ? frame : globalsFrame)
            let saved = (templateName, line)
            try renderTemplate(t, root: root)
            (templateName, line) = saved
        case .importTemplate(let e, let alias, let withContext):
            line = node.line
            frame.vars[alias] = .object(try importModule(try eval(e, frame, blocks), withContext ? frame : nil))
        case .fromImport(let e, let names, let withContext):
            line = node.line
            let module = try importModule(try eval(e, frame, blocks), withContext ? frame : nil)
            for (name, alias) in names {
                if let v = module.exports[name] {
                    frame.vars[alias ?? name] = v
                } else {
                    frame.vars[alias ?? name] = undefined(hint: "the template \(pyStringRepr(module.name)) (imported on line \(node.line)) does not export the requested name \(pyStringRepr(name))")
                }
            }
        case .extends:
            throw TemplateError(.syntax, "extends must be at the top level of a template", line: node.line)
        case .block(let name, _, _):
            line = node.line
            try renderBlock(name, level: 0, frame, blocks)
        case .autoescape(let e, let body):
            let saved = autoescape
            autoescape = try eval(e, frame, blocks).truthy()
            defer { autoescape = saved }
            try execute(body, frame, blocks)
        }
    }

    func renderBlock(_ name: String, level: Int, _ frame: Frame, _ blocks: BlockStack) throws {
        guard let stack = blocks.stacks[name], level < stack.count else {
            throw TemplateError(.runtime, "no block named '\(name)'")
        }
        let (def, owner) = stack[level]
        if def.required && level == 0 {
            throw TemplateError(.runtime, "Required block '\(name)' not found")
        }
        try enter()
        defer { leave() }
        // Unscoped blocks see only the template's top-level variables.
        let base = def.scoped ? frame : rootFrame(of: frame)
        let inner = newFrame(parent: base)
        inner.vars["super"] = .function(Function(name: "super") { [unowned self] _, _ in
            guard level + 1 < stack.count else {
                throw TemplateError(.undefined, "there is no parent block called '\(name)'.")
            }
            self.push()
            try self.renderBlock(name, level: level + 1, frame, blocks)
            return self.captured(self.pop())
        })
        let saved = (templateName, line)
        templateName = owner.name
        try execute(def.body, inner, blocks)
        (templateName, line) = saved
    }

    /// The frame holding a template's top-level variables (just below the globals).
    func rootFrame(of frame: Frame) -> Frame {
        var f = frame
        while let p = f.parent, p !== globalsFrame, p.parent != nil { f = p }
        return f
    }

    func importModule(_ nameValue: Value, _ context: Frame?) throws -> TemplateModule {
        let t = try loadTemplate(nameValue)
        try enter()
        defer { leave() }
        let root = newFrame(parent: context ?? globalsFrame)
        push()
        let saved = (templateName, line)
        try renderTemplate(t, root: root)
        (templateName, line) = saved
        let body = pop()
        var exports: [String: Value] = [:]
        for (k, v) in root.vars where !k.hasPrefix("_") { exports[k] = v }
        return TemplateModule(name: t.name ?? "", exports: exports, body: body)
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

    // MARK: Loops

    func runFor(_ loop: ForLoop, _ frame: Frame, _ blocks: BlockStack, items iterable: Value, depth: Int) throws {
        var items = try iterable.iterate()
        if let cond = loop.condition {
            var kept: [Value] = []
            for item in items {
                let f = newFrame(parent: frame)
                try assign(loop.target, item, f)
                if try eval(cond, f, blocks).truthy() { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            if let otherwise = loop.otherwise { try execute(otherwise, frame, blocks) }
            return
        }
        let state = LoopObject(items: items, depth: depth)
        if loop.recursive {
            state.recurse = { [unowned self] args in
                guard let next = args.first else { throw TemplateError(.type, "loop() takes exactly 1 argument") }
                try self.enter()
                defer { self.leave() }
                self.push()
                try self.runFor(loop, frame, blocks, items: next, depth: depth + 1)
                return self.captured(self.pop())
            }
        }
        let loopValue = Value.object(state)
        let shared = loop.reusesFrame ? newFrame(parent: frame) : nil
        for (i, item) in items.enumerated() {
            try burn()
            state.index = i
            let f: Frame
            if let shared {
                shared.vars.removeAll(keepingCapacity: true)
                f = shared
            } else {
                f = newFrame(parent: frame)
            }
            try assign(loop.target, item, f)
            f.vars["loop"] = loopValue
            try execute(loop.body, f, blocks)
        }
    }

    // MARK: Macros

    func makeMacro(_ m: Macro, defined frame: Frame, blocks: BlockStack) -> Value {
        let info = MacroInfo(arguments: m.params.map(\.name), catchKwargs: m.usesKwargs,
                             catchVarargs: m.usesVarargs, caller: m.usesCaller)
        let fn = Function(name: m.name, macro: info) { [unowned self] args, _ in
            try self.enter()
            defer { self.leave() }
            let f = newFrame(parent: frame)
            var positional = args.positional
            var keywords = args.keywords
            var callerValue: Value?
            if let i = keywords.firstIndex(where: { $0.0 == "caller" }), !m.params.contains(where: { $0.name == "caller" }) {
                callerValue = keywords.remove(at: i).1
            }
            for (i, p) in m.params.enumerated() {
                if i < positional.count {
                    if keywords.contains(where: { $0.0 == p.name }) {
                        throw TemplateError(.type, "macro '\(m.name)' got multiple values for argument '\(p.name)'")
                    }
                    f.vars[p.name] = positional[i]
                } else if let k = keywords.firstIndex(where: { $0.0 == p.name }) {
                    f.vars[p.name] = keywords.remove(at: k).1
                } else if let d = p.defaultValue {
                    f.vars[p.name] = try self.eval(d, f, blocks)
                } else {
                    f.vars[p.name] = .undefined(Undefined(hint: "parameter '\(p.name)' was not provided", strict: self.strict))
                }
            }
            positional = positional.count > m.params.count ? Array(positional[m.params.count...]) : []
            if !positional.isEmpty && !m.usesVarargs {
                throw TemplateError(.type, "macro '\(m.name)' takes not more than \(m.params.count) argument(s)")
            }
            if !keywords.isEmpty && !m.usesKwargs {
                throw TemplateError(.type, "macro '\(m.name)' takes no keyword argument '\(keywords[0].0)'")
            }
            if m.usesVarargs { f.vars["varargs"] = .tuple(positional) }
            if m.usesKwargs { f.vars["kwargs"] = .dict(Dict(keywords)) }
            if let callerValue {
                if !m.usesCaller { throw TemplateError(.type, "macro '\(m.name)' was invoked with two values for the special caller argument. This is most likely a bug.") }
                f.vars["caller"] = callerValue
            } else if m.usesCaller {
                f.vars["caller"] = .undefined(Undefined(hint: "No caller defined", strict: self.strict))
            }
            self.push()
            let saved = self.line
            try self.execute(m.body, f, blocks)
            self.line = saved
            return self.captured(self.pop())
        }
        return .function(fn)
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

/// A template passed around as a value (`self` and loaded templates).
final class TemplateReference: JinjaObject {
    let template: Template
    init(_ t: Template) { template = t }
    var typeName: String { "Template" }
    func attribute(_ name: String) -> Value? { nil }
    var stringValue: String { "<Template \(template.name.map { pyStringRepr($0) } ?? "memory")>" }
}

/// The `loop` variable of a `for` loop.
final class LoopObject: JinjaObject {
    let items: [Value]
    let depth: Int
    var index = 0
    var lastChanged: [Value]?
    var recurse: (([Value]) throws -> Value)?

    init(items: [Value], depth: Int) {
        self.items = items
        self.depth = depth
    }

    var typeName: String { "LoopContext" }
    var stringValue: String { "<LoopContext \(index + 1)/\(items.count)>" }

    func attribute(_ name: String) -> Value? {
        let n = items.count
        switch name {
        case "index": return .int(index + 1)
        case "index0": return .int(index)
        case "revindex": return .int(n - index)
        case "revindex0": return .int(n - index - 1)
        case "first": return .bool(index == 0)
        case "last": return .bool(index == n - 1)
        case "length": return .int(n)
        case "depth": return .int(depth + 1)
        case "depth0": return .int(depth)
        case "previtem":
            return index > 0 ? items[index - 1] : .undefined(Undefined(hint: "there is no previous item"))
        case "nextitem":
            return index + 1 < n ? items[index + 1] : .undefined(Undefined(hint: "there is no next item"))
        case "cycle":
            return .function(Function(name: "cycle") { [self] args, _ in
                guard !args.positional.isEmpty else { throw TemplateError(.type, "no items for cycling given") }
                return args.positional[self.index % args.positional.count]
            })
        case "changed":
            return .function(Function(name: "changed") { [self] args, _ in
                if let last = self.lastChanged, last.count == args.positional.count,
                   zip(last, args.positional).allSatisfy({ $0.pyEquals($1) }) {
                    return .bool(false)
                }
                self.lastChanged = args.positional
                return .bool(true)
            })
        default: return nil
        }
    }

    func call(_ args: Arguments, _ ctx: RenderContext) throws -> Value? {
        guard let recurse else {
            throw TemplateError(.type, "The loop must have the 'recursive' marker to be called recursively.")
        }
        return try recurse(args.positional)
    }
}

/// `self` in a template: `self.name()` renders block `name` again.
final class SelfReference: JinjaObject {
    unowned let context: RenderContext
    let frame: Frame
    let blocks: BlockStack
    init(context: RenderContext, frame: Frame, blocks: BlockStack) {
        self.context = context
        self.frame = frame
        self.blocks = blocks
    }
    var typeName: String { "TemplateReference" }
    var stringValue: String { "<TemplateReference>" }
    func attribute(_ name: String) -> Value? {
        guard blocks.stacks[name] != nil else { return nil }
        return .function(Function(name: name) { [unowned self] _, _ in
            self.context.push()
            try self.context.renderBlock(name, level: 0, self.frame, self.blocks)
            return self.context.captured(self.context.pop())
        })
    }
}
