/// The syntax tree of a template: statements (`Node`) and expressions (`Expr`).
/// Every node keeps its line and column for error messages. Trees are immutable and
/// shared between threads.

enum CompareOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case contains = "in", notContains = "not in"
}

final class Expr: Sendable {
    indirect enum Kind: Sendable {
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
        /// Unary `-` (negate true) or `+`.
        case unary(negate: Bool, Expr)
        case binary(ArithmeticOperator, Expr, Expr)
        case compare(Expr, [(CompareOperator, Expr)])
        case and(Expr, Expr)
        case or(Expr, Expr)
        case not(Expr)
        case conditional(test: Expr, then: Expr, otherwise: Expr?)
        case concat([Expr])
    }

    let kind: Kind
    let line: Int
    let column: Int
    /// The longest path to a leaf: the evaluator recurses this deep.
    let depth: Int
    /// Whether Jinja2 folds this expression to a constant when compiling (its
    /// `as_const`): literals and operations, filters and tests on constants. It matters
    /// for `~`, which Jinja2 then joins as plain text even under autoescape.
    let isConstant: Bool
    /// The arguments of a call, filter or test when they are all literals, built once
    /// here instead of on every evaluation.
    let constantArgs: Arguments?
    /// A filter's function, looked up when parsing (nil: unknown then, looked up
    /// again when it runs, where it fails as Jinja2 fails).
    let resolvedFilter: FilterFunction?
    /// For `x.name`: whether `name` is a dict method (which wins over a key of that
    /// name), decided once here rather than on every lookup.
    let attributeIsDictMethod: Bool
    /// For a name or `x.name`: the name's tag, for lookups that compare tags first.
    let nameTag: StringTag

    init(_ kind: Kind, line: Int, column: Int, filter: FilterFunction? = nil) {
        self.kind = kind
        self.line = line
        self.column = column
        resolvedFilter = filter
        if case .getattr(_, let name) = kind { attributeIsDictMethod = Methods.isDictMethod(name) } else { attributeIsDictMethod = false }
        switch kind {
        case .getattr(_, let name), .name(let name): nameTag = StringTag(name)
        default: nameTag = .none
        }
        switch kind {
        case .call(_, let args), .filter(_, _, let args), .test(_, _, let args, _): constantArgs = Expr.constant(args)
        default: constantArgs = nil
        }
        depth = 1 + Expr.children(kind).reduce(0) { max($0, $1.depth) }
        isConstant = Expr.folds(kind, filter: filter)
    }

    /// Filters Jinja2 never folds: they need the render's context.
    static let contextFilters: Set<String> = ["map", "select", "reject", "selectattr", "rejectattr", "random"]

    static func folds(_ kind: Kind, filter: FilterFunction?) -> Bool {
        switch kind {
        case .literal: return true
        case .name, .call: return false
        case .filter(let v, let name, let args):
            guard let v, filter != nil, !contextFilters.contains(name), args.star == nil, args.doubleStar == nil else { return false }
            return v.isConstant && args.all.allSatisfy(\.isConstant)
        case .conditional(_, _, nil): return false
        default: return children(kind).allSatisfy(\.isConstant)
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

    /// The direct subexpressions.
    static func children(_ kind: Kind) -> [Expr] {
        switch kind {
        case .literal, .name: return []
        case .list(let items), .tuple(let items), .concat(let items): return items
        case .dict(let pairs): return pairs.flatMap { [$0.0, $0.1] }
        case .getattr(let a, _), .unary(_, let a), .not(let a): return [a]
        case .getitem(let a, let b), .binary(_, let a, let b), .and(let a, let b), .or(let a, let b): return [a, b]
        case .slice(let a, let b, let c, let d): return [a] + [b, c, d].compactMap { $0 }
        case .call(let f, let args): return [f] + args.all
        case .filter(let v, _, let args): return (v.map { [$0] } ?? []) + args.all
        case .test(let v, _, let args, _): return [v] + args.all
        case .compare(let a, let rest): return [a] + rest.map(\.1)
        case .conditional(let a, let b, let c): return [a, b] + (c.map { [$0] } ?? [])
        }
    }

    /// Visits this expression and every subexpression (iteratively: trees are bounded
    /// by the parser, but a visitor should not add stack).
    func walk(_ visit: (Expr) -> Void) {
        var stack: [Expr] = [self]
        while let e = stack.popLast() {
            visit(e)
            stack.append(contentsOf: Expr.children(e.kind))
        }
    }
}

struct CallArgs: Sendable {
    var positional: [Expr] = []
    var keywords: [(String, Expr)] = []
    var star: Expr?
    var doubleStar: Expr?

    var all: [Expr] { positional + keywords.map(\.1) + [star, doubleStar].compactMap { $0 } }
}

/// An assignment target: `x`, `a, b`, `(a, (b, c))`, or `ns.attr`.
indirect enum Target: Sendable {
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

struct MacroParam: Sendable {
    var name: String
    var defaultValue: Expr?
}

final class Node: Sendable {
    indirect enum Kind: Sendable {
        case text(String)
        case output(Expr)
        case ifStmt([(Expr, [Node])], otherwise: [Node]?)
        case forLoop(ForLoop)
        case set(Target, Expr)
        case setBlock(Target, filters: [Expr], body: [Node])
        case macro(Macro)
        case callBlock(call: Expr, caller: Macro)
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
    let column: Int

    init(_ kind: Kind, line: Int, column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
    }

    /// The expressions this statement evaluates itself (not those of its body).
    var expressions: [Expr] {
        switch kind {
        case .text, .macro, .block, .extends: return []
        case .output(let e), .set(_, let e), .include(let e, _, _), .importTemplate(let e, _, _), .fromImport(let e, _, _),
             .autoescape(let e, _):
            return [e]
        case .ifStmt(let branches, _): return branches.map(\.0)
        case .forLoop(let f): return [f.iterable] + (f.condition.map { [$0] } ?? [])
        case .setBlock(_, let filters, _), .filterBlock(let filters, _): return filters
        case .callBlock(let call, _): return [call]
        case .with(let assigns, _): return assigns.map(\.1)
        }
    }

    /// The statements nested directly inside this one.
    var bodies: [[Node]] {
        switch kind {
        case .text, .output, .set, .include, .importTemplate, .fromImport, .extends, .block: return []
        case .ifStmt(let branches, let otherwise): return branches.map(\.1) + (otherwise.map { [$0] } ?? [])
        case .forLoop(let f): return [f.body] + (f.otherwise.map { [$0] } ?? [])
        case .setBlock(_, _, let body), .filterBlock(_, let body), .with(_, let body), .autoescape(_, let body): return [body]
        case .macro(let m), .callBlock(_, let m): return [m.body]
        }
    }
}

struct ForLoop: Sendable {
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
            case .macro, .callBlock, .include, .importTemplate, .fromImport, .block: return true
            default: return node.bodies.contains { mayCaptureFrames($0) }
            }
        }
    }
}

struct Macro: Sendable {
    var name: String
    var params: [MacroParam]
    var body: [Node]
    /// Whether the body mentions `caller`, `varargs` or `kwargs`.
    var usesCaller: Bool
    var usesVarargs: Bool
    var usesKwargs: Bool
}

/// A `{% block %}` definition.
final class BlockDef: Sendable {
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
