import Synchronization

/// Limits that end a runaway or hostile template with an error instead of a hang, a
/// crash or unbounded memory (docs/DECISIONS.md lists them).
public struct Limits: Sendable, Equatable {
    /// Steps (nodes, expressions, loop iterations) one render may take; building
    /// large values costs steps too (one per 32 bytes or 2 items).
    public var fuel: Int = 20_000_000
    /// Nesting of macro calls, includes, imports, blocks and recursive loops.
    public var maxDepth: Int = 150
    /// Bytes one render may write.
    public var maxOutput: Int = 64 * 1024 * 1024
    /// Bytes of one string, or items of one list, a template may build.
    public var maxValueSize: Int = 16 * 1024 * 1024
    /// Nesting of brackets, unary operators and conditionals in one expression, and
    /// of statements inside statements.
    public var maxNesting: Int = 100
    /// Depth of one expression's tree, chains of operators and filters included.
    public var maxExpressionDepth: Int = 400
    public init() {}
}

public typealias FilterFunction = @Sendable (Value, Arguments, RenderContext) throws -> Value
public typealias TestFunction = @Sendable (Value, Arguments, RenderContext) throws -> Bool

/// Configuration shared by all templates: syntax options, filters, tests, globals,
/// the loader and the limits. A value: configure a copy, then share it (and the
/// templates it makes) between threads freely.
public struct Environment: Sendable {
    public var options = LexerOptions() { didSet { cache = TemplateCache() } }
    public var autoescape = false
    public var strictUndefined = false
    public var loader: (any TemplateLoader)? { didSet { cache = TemplateCache() } }
    public var globals: [String: Value] = [:] { didSet { globalsMap = SmallMap(globals) } }
    /// The globals as every render's outermost frame holds them, built once.
    private(set) var globalsMap = SmallMap()
    /// Templates resolve their filters when parsed, with the filters of the
    /// environment that parses them.
    public var filters: [String: FilterFunction] = [:] { didSet { cache = TemplateCache() } }
    public var tests: [String: TestFunction] = [:]
    public var limits = Limits() { didSet { cache = TemplateCache() } }
    /// Applied to the value of every `{{ … }}` before it is printed, as Jinja2's
    /// `Environment(finalize=…)`; it may replace the value or throw.
    public var finalize: (@Sendable (Value) throws -> Value)?

    /// Templates loaded by name, parsed once. Shared by copies of this environment
    /// until one of them changes what parsing depends on.
    private var cache = TemplateCache()

    public init() {
        Builtins.install(into: &self)
        globalsMap = SmallMap(globals)
    }

    /// Parses a template from a string. `name` is used in error messages.
    public func fromString(_ source: String, name: String? = nil) throws -> Template {
        Template(try parse(source, name: name), environment: self)
    }

    func parse(_ source: String, name: String?) throws -> ParsedTemplate {
        var lexer = Lexer(source, options: options, name: name)
        let tokens: [Token]
        do {
            tokens = try lexer.tokenize()
        } catch var e as TemplateError {
            e.sourceLine = ParsedTemplate.line(e.line, of: source)
            throw e
        }
        var parser = Parser(tokens: tokens, name: name, limits: limits, filters: filters)
        do {
            let nodes = try parser.parseTemplate()
            let parsed = ParsedTemplate(name: name, source: source, nodes: nodes, blocks: parser.blocks)
            try FilterCheck.check(parsed, self)
            try ConstantFolding.check(parsed)
            return parsed
        } catch var e as TemplateError {
            e.sourceLine = ParsedTemplate.line(e.line, of: source)
            throw e
        }
    }

    /// A template by name, through the loader; parsed once and cached.
    public func template(named name: String) throws -> Template {
        Template(try parsedTemplate(named: name), environment: self)
    }

    func parsedTemplate(named name: String) throws -> ParsedTemplate {
        if let t = cache.get(name) { return t }
        guard let loader, let source = try loader.source(for: name) else {
            let places = loader?.searched ?? []
            throw TemplateError(.notFound, "template \(pyStringRepr(name)) not found"
                                + (places.isEmpty ? "" : " (searched: \(places.joined(separator: ", ")))"))
        }
        let t = try parse(source, name: name)
        cache.set(name, t)
        return t
    }

    /// Adds a template under a name, as if the loader had found it.
    public func register(_ template: Template, as name: String) {
        cache.set(name, template.parsed)
    }
}

/// Parsed templates by name, safe to share between threads.
final class TemplateCache: Sendable {
    private let entries = Mutex<[String: ParsedTemplate]>([:])

    func get(_ name: String) -> ParsedTemplate? { entries.withLock { $0[name] } }
    func set(_ name: String, _ t: ParsedTemplate) { entries.withLock { $0[name] = t } }
}

/// The syntax tree of a template and its source (for error excerpts).
final class ParsedTemplate: Sendable {
    let name: String?
    let source: String
    let nodes: [Node]
    let blocks: [String: BlockDef]

    init(name: String?, source: String, nodes: [Node], blocks: [String: BlockDef]) {
        self.name = name
        self.source = source
        self.nodes = nodes
        self.blocks = blocks
    }

    /// Line `n` (1-based) of the source as the lexer counts lines, or nil.
    static func line(_ n: Int, of source: String) -> String? {
        guard n > 0 else { return nil }
        var line = 1
        var start = source.unicodeScalars.startIndex
        var i = start
        let scalars = source.unicodeScalars
        while i < scalars.endIndex {
            let c = scalars[i]
            if c == "\n" || c == "\r" {
                if line == n { return String(scalars[start..<i]) }
                var next = scalars.index(after: i)
                if c == "\r", next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
                line += 1
                start = next
                i = next
                continue
            }
            i = scalars.index(after: i)
        }
        return line == n ? String(scalars[start...]) : nil
    }
}

/// A parsed template bound to its environment, ready to render many times, from any
/// thread.
public final class Template: Sendable {
    let parsed: ParsedTemplate
    public let environment: Environment
    public var name: String? { parsed.name }

    init(_ parsed: ParsedTemplate, environment: Environment) {
        self.parsed = parsed
        self.environment = environment
    }

    /// Renders with the given variables and returns the output.
    public func render(_ context: [String: Value] = [:]) throws -> String {
        let ctx = RenderContext(environment: environment)
        return try ctx.renderRoot(parsed, vars: context)
    }
}

/// Rejects unknown filters and tests when the template is parsed, as Jinja2 does,
/// except inside `{% if %}` bodies, where Jinja2 defers the error to run time.
enum FilterCheck {
    static func check(_ t: ParsedTemplate, _ env: Environment) throws {
        var stack: [(Node, Bool)] = t.nodes.map { ($0, false) }
        for b in t.blocks.values { stack += b.body.map { ($0, false) } }
        while let (n, inIf) = stack.popLast() {
            if inIf { continue }
            for e in n.expressions { try check(e, t, env) }
            let nestedInIf: Bool
            if case .ifStmt = n.kind { nestedInIf = true } else { nestedInIf = false }
            for b in n.bodies { stack += b.map { ($0, nestedInIf) } }
        }
    }

    static func check(_ x: Expr, _ t: ParsedTemplate, _ env: Environment) throws {
        var problem: TemplateError?
        x.walk { e in
            guard problem == nil else { return }
            switch e.kind {
            case .filter(_, let name, _) where env.filters[name] == nil:
                problem = TemplateError(.syntax, "No filter named '\(name)'.", template: t.name, line: e.line, column: e.column)
            case .test(_, let name, _, _) where env.tests[name] == nil:
                problem = TemplateError(.syntax, "No test named '\(name)'.", template: t.name, line: e.line, column: e.column)
            default: break
            }
        }
        if let problem { throw problem }
    }
}
