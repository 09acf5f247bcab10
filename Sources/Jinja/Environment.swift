import Foundation

/// Where `{% include %}`, `{% extends %}` and `{% import %}` find templates by name.
public protocol TemplateLoader: Sendable {
    /// The source of the named template, or nil when there is none.
    func source(for name: String) throws -> String?
}

/// Templates held in memory, by name.
public struct DictionaryLoader: TemplateLoader {
    public var templates: [String: String]
    public init(_ templates: [String: String]) { self.templates = templates }
    public func source(for name: String) throws -> String? { templates[name] }
}

/// Templates read from folders. Names are `/`-separated relative paths; a name that
/// would leave its folder (`..`, absolute, a symbolic link pointing out) is not found.
public struct FileSystemLoader: TemplateLoader {
    public var searchPaths: [URL]
    public init(searchPaths: [URL]) { self.searchPaths = searchPaths }

    public func source(for name: String) throws -> String? {
        let parts = name.split(separator: "/", omittingEmptySubsequences: true)
        if name.hasPrefix("/") || parts.contains("..") || parts.isEmpty { return nil }
        for base in searchPaths {
            let url = parts.reduce(base) { $0.appendingPathComponent(String($1)) }
            let real = url.resolvingSymlinksInPath().path
            let root = base.resolvingSymlinksInPath().path
            guard real.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { continue }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: real, isDirectory: &isDir), !isDir.boolValue else { continue }
            guard let data = FileManager.default.contents(atPath: real) else { continue }
            guard let text = String(data: data, encoding: .utf8) else {
                throw TemplateError(.runtime, "template '\(name)' is not UTF-8 text", template: name)
            }
            return text
        }
        return nil
    }
}

/// Limits that end a runaway template with an error instead of a hang or a crash.
public struct Limits: Sendable {
    /// Steps (nodes, expressions, loop iterations) one render may take.
    public var fuel: Int = 20_000_000
    /// Nesting of macro calls, includes, imports, blocks and recursive loops.
    public var maxDepth: Int = 150
    /// Characters one render may write.
    public var maxOutput: Int = 64 * 1024 * 1024
    public init() {}
}

public typealias FilterFunction = (Value, Arguments, RenderContext) throws -> Value
public typealias TestFunction = (Value, Arguments, RenderContext) throws -> Bool

/// Configuration shared by all templates: syntax options, filters, tests, globals,
/// the loader and the limits. Configure it first, then render from any thread.
public final class Environment: @unchecked Sendable {
    public var options = LexerOptions()
    public var autoescape = false
    public var strictUndefined = false
    public var loader: TemplateLoader?
    public var globals: [String: Value] = [:]
    /// Register filters before loading templates: a template resolves its filters when
    /// it is parsed (a filter unknown then is looked up again when it runs).
    public var filters: [String: FilterFunction] = [:]
    public var tests: [String: TestFunction] = [:]
    public var limits = Limits()
    /// Applied to the value of every `{{ … }}` before it is printed, as Jinja2's
    /// `Environment(finalize=…)`; it may replace the value or throw.
    public var finalize: ((Value) throws -> Value)?

    private var cache: [String: ParsedTemplate] = [:]
    private let lock = NSLock()

    public init() {
        Builtins.install(into: self)
    }

    /// Parses a template from a string. `name` is used in error messages.
    public func fromString(_ source: String, name: String? = nil) throws -> Template {
        var lexer = Lexer(source, options: options, name: name)
        let tokens = try lexer.tokenize()
        var parser = Parser(tokens: tokens, name: name, environment: self)
        let nodes = try parser.parseTemplate()
        let template = Template(ParsedTemplate(name: name, nodes: nodes, blocks: parser.blocks), environment: self)
        try FilterCheck.check(template)
        return template
    }

    /// A template by name, through the loader; parsed once and cached.
    public func template(named name: String) throws -> Template {
        lock.lock()
        if let t = cache[name] { lock.unlock(); return Template(t, environment: self) }
        lock.unlock()
        guard let loader, let source = try loader.source(for: name) else {
            throw TemplateError(.notFound, name, template: name)
        }
        let t = try fromString(source, name: name)
        lock.lock()
        cache[name] = t.parsed
        lock.unlock()
        return t
    }

    /// Adds a template under a name, as if the loader had found it.
    public func register(_ template: Template, as name: String) {
        lock.lock()
        cache[name] = template.parsed
        lock.unlock()
    }
}

/// The syntax tree of a template; the environment caches these.
final class ParsedTemplate: @unchecked Sendable {
    let name: String?
    let nodes: [Node]
    let blocks: [String: BlockDef]

    init(name: String?, nodes: [Node], blocks: [String: BlockDef]) {
        self.name = name
        self.nodes = nodes
        self.blocks = blocks
    }
}

/// A parsed template bound to its environment, ready to render many times.
public final class Template: @unchecked Sendable {
    let parsed: ParsedTemplate
    public let environment: Environment
    public var name: String? { parsed.name }
    var nodes: [Node] { parsed.nodes }
    var blocks: [String: BlockDef] { parsed.blocks }

    init(_ parsed: ParsedTemplate, environment: Environment) {
        self.parsed = parsed
        self.environment = environment
    }

    /// Renders with the given variables and returns the output.
    public func render(_ context: [String: Value] = [:]) throws -> String {
        let ctx = RenderContext(environment: environment)
        return try ctx.renderRoot(self, vars: context)
    }
}

/// Rejects unknown filters and tests when the template is parsed, as Jinja2 does,
/// except inside `{% if %}` bodies, where Jinja2 defers the error to run time.
enum FilterCheck {
    static func check(_ t: Template) throws {
        for n in t.nodes { try check(n, t, inIf: false) }
        for b in t.blocks.values { for n in b.body { try check(n, t, inIf: false) } }
    }

    static func check(_ n: Node, _ t: Template, inIf: Bool) throws {
        func e(_ x: Expr) throws { try check(x, t, inIf: inIf, line: n.line) }
        switch n.kind {
        case .text, .extends, .block: break
        case .output(let x): try e(x)
        case .ifStmt(let branches, let otherwise):
            for (c, b) in branches {
                try e(c)
                for m in b { try check(m, t, inIf: true) }
            }
            for m in otherwise ?? [] { try check(m, t, inIf: true) }
        case .forLoop(let f):
            try e(f.iterable)
            if let c = f.condition { try e(c) }
            for m in f.body + (f.otherwise ?? []) { try check(m, t, inIf: inIf) }
        case .set(_, let x): try e(x)
        case .setBlock(_, let filters, let body):
            for f in filters { try e(f) }
            for m in body { try check(m, t, inIf: inIf) }
        case .macro(let m): for x in m.body { try check(x, t, inIf: inIf) }
        case .callBlock(let c, _, let body):
            try e(c)
            for m in body { try check(m, t, inIf: inIf) }
        case .filterBlock(let filters, let body):
            for f in filters { try e(f) }
            for m in body { try check(m, t, inIf: inIf) }
        case .with(let assigns, let body):
            for a in assigns { try e(a.1) }
            for m in body { try check(m, t, inIf: inIf) }
        case .include(let x, _, _), .importTemplate(let x, _, _), .fromImport(let x, _, _): try e(x)
        case .autoescape(let x, let body):
            try e(x)
            for m in body { try check(m, t, inIf: inIf) }
        }
    }

    static func check(_ x: Expr, _ t: Template, inIf: Bool, line: Int) throws {
        var problem: TemplateError?
        walk(x) { e in
            guard problem == nil else { return }
            switch e.kind {
            case .filter(_, let name, _) where t.environment.filters[name] == nil && !inIf:
                problem = TemplateError(.syntax, "No filter named '\(name)'.", template: t.name, line: e.line)
            case .test(_, let name, _, _) where t.environment.tests[name] == nil && !inIf:
                problem = TemplateError(.syntax, "No test named '\(name)'.", template: t.name, line: e.line)
            default: break
            }
        }
        if let problem { throw problem }
    }

    static func walk(_ e: Expr, _ visit: (Expr) -> Void) {
        visit(e)
        switch e.kind {
        case .literal, .name: break
        case .list(let items), .tuple(let items), .concat(let items): items.forEach { walk($0, visit) }
        case .dict(let pairs): pairs.forEach { walk($0.0, visit); walk($0.1, visit) }
        case .getattr(let a, _), .unary(_, let a), .not(let a): walk(a, visit)
        case .getitem(let a, let b), .binary(_, let a, let b), .and(let a, let b), .or(let a, let b):
            walk(a, visit); walk(b, visit)
        case .slice(let a, let b, let c, let d):
            walk(a, visit)
            [b, c, d].compactMap { $0 }.forEach { walk($0, visit) }
        case .call(let f, let args):
            walk(f, visit); walk(args, visit)
        case .filter(let v, _, let args):
            if let v { walk(v, visit) }
            walk(args, visit)
        case .test(let v, _, let args, _):
            walk(v, visit); walk(args, visit)
        case .compare(let a, let rest):
            walk(a, visit)
            rest.forEach { walk($0.1, visit) }
        case .conditional(let a, let b, let c):
            walk(a, visit); walk(b, visit)
            if let c { walk(c, visit) }
        }
    }

    static func walk(_ a: CallArgs, _ visit: (Expr) -> Void) {
        a.positional.forEach { walk($0, visit) }
        a.keywords.forEach { walk($0.1, visit) }
        if let s = a.star { walk(s, visit) }
        if let s = a.doubleStar { walk(s, visit) }
    }
}
