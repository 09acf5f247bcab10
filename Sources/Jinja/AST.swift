/// The syntax tree of a template: statements (`Node`) and expressions (`Expr`).
/// Every node keeps its line for error messages.

final class Expr {
    indirect enum Kind {
        case literal(Value)
        case name(String)
        case list([Expr])
        case tuple([Expr])
        case dict([(Expr, Expr)])
        case getattr(Expr, String)
        case getitem(Expr, Expr)
        case slice(Expr, Expr?, Expr?, Expr?)
        case call(Expr, CallArgs)
        /// `value|name(args)`; value is nil inside `{% filter %}` blocks.
        case filter(Expr?, String, CallArgs)
        case test(Expr, String, CallArgs, negated: Bool)
        case unary(String, Expr)
        case binary(String, Expr, Expr)
        case compare(Expr, [(String, Expr)])
        case and(Expr, Expr)
        case or(Expr, Expr)
        case not(Expr)
        case conditional(test: Expr, then: Expr, otherwise: Expr?)
        case concat([Expr])
    }

    let kind: Kind
    let line: Int
    /// The arguments of a call, filter or test when they are all literals, built once
    /// here instead of on every evaluation.
    let constantArgs: Arguments?
    /// A filter's function, looked up when parsing in the environment that parsed it.
    let resolvedFilter: ResolvedFilter?

    init(_ kind: Kind, line: Int, filter: ResolvedFilter? = nil) {
        self.kind = kind
        self.line = line
        resolvedFilter = filter
        switch kind {
        case .call(_, let args), .filter(_, _, let args), .test(_, _, let args, _): constantArgs = Expr.constant(args)
        default: constantArgs = nil
        }
    }

    static func constant(_ a: CallArgs) -> Arguments? {
        guard a.star == nil, a.doubleStar == nil else { return nil }
        var positional: [Value] = []
        for e in a.positional {
            guard case .literal(let v) = e.kind else { return nil }
            positional.append(v)
        }
        var keywords: [(String, Value)] = []
        for (k, e) in a.keywords {
            guard case .literal(let v) = e.kind else { return nil }
            keywords.append((k, v))
        }
        return Arguments(positional, keywords: keywords)
    }
}

/// A filter function with the environment it came from: a template parsed by one
/// environment and rendered by another looks its filters up again.
struct ResolvedFilter {
    let owner: ObjectIdentifier
    let function: FilterFunction
}

struct CallArgs {
    var positional: [Expr] = []
    var keywords: [(String, Expr)] = []
    var star: Expr?
    var doubleStar: Expr?
}

/// An assignment target: `x`, `a, b`, `(a, (b, c))`, or `ns.attr`.
indirect enum Target {
    case name(String)
    case tuple([Target])
    case attribute(String, String)

    var names: [String] {
        switch self {
        case .name(let n): return [n]
        case .tuple(let t): return t.flatMap(\.names)
        case .attribute: return []
        }
    }
}

struct MacroParam {
    var name: String
    var defaultValue: Expr?
}

final class Node {
    indirect enum Kind {
        case text(String)
        case output(Expr)
        case ifStmt([(Expr, [Node])], otherwise: [Node]?)
        case forLoop(ForLoop)
        case set(Target, Expr)
        case setBlock(Target, filters: [Expr], body: [Node])
        case macro(Macro)
        case callBlock(call: Expr, params: [MacroParam], body: [Node])
        case filterBlock(filters: [Expr], body: [Node])
        case with([(Target, Expr)], body: [Node])
        case include(Expr, ignoreMissing: Bool, withContext: Bool)
        case importTemplate(Expr, alias: String, withContext: Bool)
        case fromImport(Expr, names: [(String, String?)], withContext: Bool)
        case extends(Expr)
        case block(name: String, scoped: Bool, required: Bool)
        case autoescape(Expr, [Node])
    }

    let kind: Kind
    let line: Int

    init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }
}

struct ForLoop {
    var target: Target
    var iterable: Expr
    var body: [Node]
    var otherwise: [Node]?
    var condition: Expr?
    var recursive: Bool
    /// Whether one frame can serve every iteration (cleared in between). Not when the
    /// body can create something that keeps its frame alive past the iteration: a
    /// macro or call block (closures over the frame), or an include/import/block.
    let reusesFrame: Bool

    init(target: Target, iterable: Expr, body: [Node], otherwise: [Node]?, condition: Expr?, recursive: Bool) {
        self.target = target
        self.iterable = iterable
        self.body = body
        self.otherwise = otherwise
        self.condition = condition
        self.recursive = recursive
        reusesFrame = !Node.mayCaptureFrames(body)
    }
}

extension Node {
    /// Whether running these nodes may leave a closure or template holding their frame.
    static func mayCaptureFrames(_ nodes: [Node]) -> Bool {
        nodes.contains { node in
            switch node.kind {
            case .text, .output, .set, .extends: return false
            case .macro, .callBlock, .include, .importTemplate, .fromImport, .block: return true
            case .ifStmt(let branches, let otherwise):
                return branches.contains { mayCaptureFrames($0.1) } || mayCaptureFrames(otherwise ?? [])
            case .forLoop(let loop): return mayCaptureFrames(loop.body) || mayCaptureFrames(loop.otherwise ?? [])
            case .setBlock(_, _, let body), .filterBlock(_, let body), .with(_, let body), .autoescape(_, let body):
                return mayCaptureFrames(body)
            }
        }
    }
}

struct Macro {
    var name: String
    var params: [MacroParam]
    var body: [Node]
    /// Whether the body mentions `caller`, `varargs` or `kwargs`.
    var usesCaller: Bool
    var usesVarargs: Bool
    var usesKwargs: Bool
}

/// A `{% block %}` definition.
final class BlockDef {
    let name: String
    let body: [Node]
    let scoped: Bool
    let required: Bool
    let line: Int

    init(name: String, body: [Node], scoped: Bool, required: Bool, line: Int) {
        self.name = name
        self.body = body
        self.scoped = scoped
        self.required = required
        self.line = line
    }
}
