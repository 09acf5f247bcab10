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

    init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }
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
