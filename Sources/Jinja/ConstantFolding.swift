/// What Jinja2's compiler does to constant expressions that matters to output.
///
/// Jinja2 folds constant subexpressions while it generates Python (its optimizer runs
/// under binary and unary operators, `~`, comparisons, attribute and item lookups,
/// filters, tests, conditionals and calls). Folding a dict literal builds the Python
/// dict, so a constant dict with an unhashable constant key (`{[1]: 2}`) fails when
/// the template is compiled, even where it would never run; directly in `{{ }}`, a
/// `set` or an `if` it is not folded and fails only when evaluated.
enum ConstantFolding {
    static func check(_ t: ParsedTemplate) throws {
        var stack: [Node] = t.nodes
        for b in t.blocks.values { stack += b.body }
        while let n = stack.popLast() {
            for e in n.expressions {
                if let bad = unhashableDict(in: e, folding: false) {
                    throw TemplateError(.type, "unhashable type: '\(bad.type)'", template: t.name, line: bad.at.line, column: bad.at.column)
                }
            }
            for b in n.bodies { stack += b }
        }
    }

    /// A dict literal that fails to fold, under an expression Jinja2 folds.
    private static func unhashableDict(in e: Expr, folding: Bool) -> (at: Expr, type: String)? {
        let folds: Bool
        switch e.kind {
        case .literal, .name, .list, .tuple, .dict, .slice: folds = folding
        default: folds = true
        }
        if folds, case .dict(let pairs) = e.kind {
            // Python folds pair by pair: a key or value that is not constant stops it.
            for (k, v) in pairs {
                guard k.isConstant, v.isConstant else { break }
                if let type = unhashableType(k) { return (e, type) }
            }
        }
        for child in Expr.children(e.kind) {
            if let bad = unhashableDict(in: child, folding: folds) { return bad }
        }
        return nil
    }

    /// The type name Python reports for a constant key it cannot hash.
    private static func unhashableType(_ k: Expr) -> String? {
        switch k.kind {
        case .list: return "list"
        case .dict: return "dict"
        case .tuple(let items): return items.lazy.compactMap(unhashableType).first
        case .filter(_, "list", _), .filter(_, "sort", _): return "list"
        default: return nil
        }
    }
}
