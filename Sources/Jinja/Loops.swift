import Synchronization

/// `{% for %}` loops and their `loop` variable.
extension RenderContext {
    func runFor(_ loop: ForLoop, _ frame: Frame, _ blocks: BlockStack, items iterable: Value, depth: Int) throws {
        var items = try iterable.iterate()
        if let cond = loop.condition {
            var kept: [Value] = []
            let f = Frame(parent: frame)
            for item in items {
                try burn()
                f.vars.removeAll(keepingCapacity: true)
                try assign(loop.target, item, f)
                if try eval(cond, f, blocks).truthy() { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            if let otherwise = loop.otherwise { try execute(otherwise, frame, blocks) }
            return
        }
        var recurse: LoopObject.Recursion?
        if loop.recursive {
            recurse = LoopObject.Recursion(loop: loop, frame: try register(frame), blocks: register(blocks), depth: depth)
        }
        let state = LoopObject(items: items, depth: depth, recursion: recurse, strict: strict)
        let loopValue = Value.object(state)
        let shared = loop.reusesFrame ? Frame(parent: frame) : nil
        // How many names the shared frame held once the target and `loop` were set:
        // when the body added none, the next item's assignments overwrite them all
        // and the frame need not be emptied.
        var assigned = 0
        let loopTag = StringTag("loop")
        var simpleTarget = false
        if case .name = loop.target { simpleTarget = true }
        for (i, item) in items.enumerated() {
            try burn()
            state.index.store(i, ordering: .relaxed)
            let f: Frame
            if let shared {
                f = shared
                if simpleTarget && assigned == 2 && shared.vars.count == 2 {
                    // The target and `loop`, set in that order into the emptied frame.
                    shared.vars.replaceValue(at: 0, item)
                    shared.vars.replaceValue(at: 1, loopValue)
                    try execute(loop.body, f, blocks)
                    continue
                }
                if shared.vars.count != assigned { shared.vars.removeAll(keepingCapacity: true) }
            } else {
                f = Frame(parent: frame)
            }
            try assign(loop.target, item, f)
            f.vars.set("loop", loopTag, loopValue)
            assigned = f.vars.count
            try execute(loop.body, f, blocks)
        }
    }
}

/// The `loop` variable of a `for` loop. Values are shared between threads, so its
/// position is an atomic (written once per iteration, by the render's own thread).
final class LoopObject: JinjaObject {
    /// What `loop(items)` needs to run the loop body again, one level deeper.
    struct Recursion: Sendable {
        let loop: ForLoop
        let frame: Int
        let blocks: Int
        let depth: Int
    }

    let items: [Value]
    let depth: Int
    let index = Atomic<Int>(0)
    private let lastChanged = Mutex<[Value]?>(nil)
    let recursion: Recursion?
    /// Whether its missing items (`previtem` of the first) are strict undefined values.
    let strict: Bool

    init(items: [Value], depth: Int, recursion: Recursion?, strict: Bool) {
        self.items = items
        self.depth = depth
        self.recursion = recursion
        self.strict = strict
    }

    var typeName: String { "LoopContext" }
    var stringValue: String { "<LoopContext \(index.load(ordering: .relaxed) + 1)/\(items.count)>" }

    func attribute(_ name: String) -> Value? {
        let n = items.count
        let index = self.index.load(ordering: .relaxed)
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
            return index > 0 ? items[index - 1] : .undefined(Undefined(hint: "there is no previous item", strict: strict))
        case "nextitem":
            return index + 1 < n ? items[index + 1] : .undefined(Undefined(hint: "there is no next item", strict: strict))
        case "cycle":
            return .function(Function(name: "cycle") { args, _ in
                guard !args.positional.isEmpty else { throw TemplateError(.type, "no items for cycling given") }
                return args.positional[index % args.positional.count]
            })
        case "changed":
            return .function(Function(name: "changed") { [self] args, _ in
                self.lastChanged.withLock { last in
                    if let last, last.count == args.positional.count, zip(last, args.positional).allSatisfy({ $0.pyEquals($1) }) {
                        return .bool(false)
                    }
                    last = args.positional
                    return .bool(true)
                }
            })
        default: return nil
        }
    }

    func call(_ args: Arguments, _ ctx: RenderContext) throws -> Value? {
        guard let r = recursion else {
            throw TemplateError(.type, "The loop must have the 'recursive' marker to be called recursively.")
        }
        guard let next = args.positional.first, args.positional.count == 1 else {
            throw TemplateError(.type, "loop() takes exactly 1 argument")
        }
        try ctx.enter()
        defer { ctx.leave() }
        ctx.push()
        try ctx.runFor(r.loop, ctx.frames[r.frame], ctx.blockStacks[r.blocks], items: next, depth: r.depth + 1)
        return ctx.captured(ctx.pop())
    }
}
