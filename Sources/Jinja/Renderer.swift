/// A few name → value pairs searched linearly: frames hold a handful of names, and
/// comparing short strings is cheaper than hashing them. Each name's tag (length and
/// first bytes) is kept, so that most comparisons are two integers.
struct SmallMap: Sequence {
    private var keys: [String] = []
    private var tags: [StringTag] = []
    private var values: [Value] = []

    init() {}

    /// Lookups do not depend on the order, so the dictionary's order is kept.
    init(_ dict: [String: Value]) {
        keys.reserveCapacity(dict.count)
        tags.reserveCapacity(dict.count)
        values.reserveCapacity(dict.count)
        for (k, v) in dict {
            keys.append(k)
            tags.append(StringTag(k))
            values.append(v)
        }
    }

    var count: Int { keys.count }

    /// Names compare as Python's do, by code points.
    @inline(__always)
    private func index(of key: String, _ tag: StringTag) -> Int? {
        tags.withUnsafeBufferPointer { t in
            for i in 0..<t.count where t[i] == tag {
                // Up to eight bytes, the tag is the whole name.
                if tag.count <= 8 || pyStringsEqual(keys[i], key) { return i }
            }
            return nil
        }
    }

    /// The value of a name whose tag the caller computed once.
    @inline(__always)
    func value(_ key: String, _ tag: StringTag) -> Value? {
        index(of: key, tag).map { values[$0] }
    }

    /// `value`, for a map stored in a class: reading it in place (as a mutation,
    /// which changes nothing) spares copying, and so retaining, its three arrays.
    @inline(__always)
    mutating func valueInPlace(_ key: String, _ tag: StringTag) -> Value? {
        index(of: key, tag).map { values[$0] }
    }

    /// Sets a name whose tag the caller computed once.
    mutating func set(_ key: String, _ tag: StringTag, _ newValue: Value) {
        if let i = index(of: key, tag) {
            values[i] = newValue
        } else {
            keys.append(key)
            tags.append(tag)
            values.append(newValue)
        }
    }

    /// Replaces the value at a position, for names set in a known order.
    mutating func replaceValue(at i: Int, _ newValue: Value) { values[i] = newValue }

    subscript(key: String) -> Value? {
        get { value(key, StringTag(key)) }
        set {
            let tag = StringTag(key)
            if let newValue { return set(key, tag, newValue) }
            if let i = index(of: key, tag) {
                keys.remove(at: i)
                tags.remove(at: i)
                values.remove(at: i)
            }
        }
    }

    mutating func removeAll(keepingCapacity keep: Bool = false) {
        keys.removeAll(keepingCapacity: keep)
        tags.removeAll(keepingCapacity: keep)
        values.removeAll(keepingCapacity: keep)
    }

    func makeIterator() -> Zip2Sequence<[String], [Value]>.Iterator { zip(keys, values).makeIterator() }
}

/// Variables visible at one point of a render. Lookups walk outwards.
final class Frame {
    @exclusivity(unchecked) var vars = SmallMap()
    let parent: Frame?
    /// Its number in the render's frame table once something that outlives a call
    /// (a macro, `super`, `self`, a recursive loop) refers to it; -1 before.
    var id = -1

    init(parent: Frame?) { self.parent = parent }

    func lookup(_ name: String) -> Value? { lookup(name, StringTag(name)) }

    /// A name whose tag the parser computed.
    func lookup(_ name: String, _ tag: StringTag) -> Value? {
        // Walking the chain unretained: every parent is kept alive by its child.
        var f = Unmanaged.passUnretained(self)
        while true {
            if let v = f._withUnsafeGuaranteedRef({ $0.vars.valueInPlace(name, tag) }) { return v }
            guard let p = f._withUnsafeGuaranteedRef({ $0.parent.map { Unmanaged.passUnretained($0) } }) else { return nil }
            f = p
        }
    }
}

/// The block definitions of a template chain, most derived first, for `super()`;
/// with the chain of tags that reached each defining template.
final class BlockStack {
    var stacks: [String: [(def: BlockDef, owner: ParsedTemplate, chain: [TemplateError.Site])]] = [:]
    var id = -1
}

/// The state of one render: output buffers, frames, fuel and nesting.
public final class RenderContext {
    public let environment: Environment
    /// The buffer being written, and the ones set aside by captures (macros, blocks).
    // The render state is touched by one thread only; runtime exclusivity checks on
    // it cost a tenth of a render, so they are off for these properties.
    /// UTF-8 bytes: appending bytes is cheaper than appending Strings, and the
    /// output becomes one String at the end.
    let out = OutputBuffer(capacity: 4096)
    /// How many captures were in progress when the current template or block started:
    /// Jinja2 compiles those to generators, and `include … without context` yields
    /// straight to them, past any capture (filter, set) in between.
    @exclusivity(unchecked) var generatorBase = 0
    @exclusivity(unchecked) var fuel: Int
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var outputSize = 0
    @exclusivity(unchecked) var autoescape: Bool
    @exclusivity(unchecked) var strict: Bool
    /// The template being executed, and the statement, for error messages.
    @exclusivity(unchecked) var current: ParsedTemplate?
    @exclusivity(unchecked) var line = 0
    @exclusivity(unchecked) var column = 0
    /// The include/import/extends tags that led to the current template.
    @exclusivity(unchecked) var chain: [TemplateError.Site] = []
    /// The root frame of every template: the environment's globals.
    let globalsFrame: Frame
    /// Frames and block stacks that values refer to by number (values are shared
    /// between threads, so they hold numbers, not the render's objects).
    @exclusivity(unchecked) var frames: [Frame] = []
    @exclusivity(unchecked) var blockStacks: [BlockStack] = []
    /// Where the thread's stack ends, learned once the render nests deeply.
    @exclusivity(unchecked) var stackLow: UInt?

    init(environment: Environment) {
        self.environment = environment
        fuel = environment.limits.fuel
        autoescape = environment.autoescape
        strict = environment.strictUndefined
        globalsFrame = Frame(parent: nil)
        globalsFrame.vars = environment.globalsMap
    }

    // MARK: Entry

    func renderRoot(_ template: ParsedTemplate, vars: [String: Value]) throws -> String {
        defer {
            // Frames refer to each other through values (macros, loops); emptying
            // them breaks such cycles.
            for f in frames { f.vars.removeAll() }
            frames.removeAll()
            blockStacks.removeAll()
        }
        let root = Frame(parent: globalsFrame)
        root.vars = SmallMap(vars)
        do {
            try renderTemplate(template, root: root)
        } catch let e as TemplateError {
            throw located(e)
        }
        return out.string
    }

    /// Completes an error with the current template, position and chain, unless it
    /// already has them.
    func located(_ error: TemplateError, line: Int? = nil, column: Int? = nil) -> TemplateError {
        var e = error
        guard e.line == 0 else { return e }
        e.line = line ?? self.line
        e.column = column ?? self.column
        if e.template == nil { e.template = current?.name }
        if e.sourceLine == nil, let source = current?.source { e.sourceLine = ParsedTemplate.line(e.line, of: source) }
        if e.chain.isEmpty { e.chain = chain.reversed() }
        return e
    }

    /// Gives a frame a number that values can hold.
    func register(_ f: Frame) throws -> Int {
        if f.id < 0 {
            // Each kept frame costs memory until the render ends: charge it.
            try burn(16)
            f.id = frames.count
            frames.append(f)
        }
        return f.id
    }

    func register(_ b: BlockStack) -> Int {
        if b.id < 0 {
            b.id = blockStacks.count
            blockStacks.append(b)
        }
        return b.id
    }

    // MARK: Output

    func push() { out.beginCapture() }

    func pop() -> String { out.endCapture() }

    /// Captures in progress (the generator base counts them).
    var captureDepth: Int { out.depth }

    /// Writes to the output of the current template or block, past captures.
    func writeToGenerator(_ s: String) throws {
        if out.depth <= generatorBase { return try write(s) }
        outputSize += s.utf8.count
        if outputSize > environment.limits.maxOutput {
            throw TemplateError(.limit, "output exceeds \(environment.limits.maxOutput) bytes")
        }
        withBytes(s) { out.insert($0, atLevel: generatorBase) }
    }

    @inline(__always)
    func write(_ s: String) throws {
        try withBytes(s) { try write($0) }
    }

    /// Appends bytes of valid UTF-8 (a string's, or a piece of one).
    @inline(__always)
    func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        outputSize += bytes.count
        if outputSize > environment.limits.maxOutput {
            throw TemplateError(.limit, "output exceeds \(environment.limits.maxOutput) bytes")
        }
        out.append(bytes)
    }

    @inline(__always)
    func burn(_ n: Int = 1) throws {
        fuel -= n
        if fuel < 0 { throw TemplateError(.limit, "template exceeded its step limit (runaway loop?)") }
    }

    /// Checks a value about to be built: at most `maxValueSize` bytes (strings) or
    /// items (lists), and it costs steps by its size, so that memory a template makes
    /// is bounded as its time is.
    func reserve(_ size: Int, items: Bool = false, _ what: @autoclosure () -> String = "") throws {
        let limit = environment.limits.maxValueSize
        if size > limit || size < 0 {
            let unit = items ? "items" : "bytes"
            let thing = what()
            throw TemplateError(.limit, "\(thing.isEmpty ? "value" : thing) too large: \(size < 0 ? "more than \(limit)" : String(size)) \(unit) (the limit is \(limit))")
        }
        try burn(items ? size / 2 : size / 32)
    }

    func enter() throws {
        depth += 1
        if depth > environment.limits.maxDepth {
            throw TemplateError(.limit, "maximum recursion depth exceeded (\(environment.limits.maxDepth) nested macro calls, includes or blocks)")
        }
        if depth > 24 {
            if stackLow == nil { stackLow = StackGuard.stackLow() ?? 0 }
            if let low = stackLow, low > 0, StackGuard.currentPosition() < low + StackGuard.reserve {
                throw TemplateError(.limit, "maximum recursion depth exceeded (the thread's stack is nearly full after \(depth) nested macro calls, includes or blocks)")
            }
        }
    }

    func leave() { depth -= 1 }

    func undefined(_ name: String) -> Value { .undefined(Undefined(name: name, strict: strict)) }

    func undefined(hint: String) -> Value { .undefined(Undefined(hint: hint, strict: strict)) }

    /// A string result, marked safe under autoescape (macro and block output).
    func captured(_ s: String) -> Value { autoescape ? .markup(s) : .string(s) }

    /// The text `{{ value }}` prints.
    func display(_ v: Value) throws -> String {
        if case .string(let s) = v, !autoescape { return s }
        if autoescape {
            if case .markup(let s) = v { return s }
            return htmlEscape(try v.str())
        }
        return try v.str()
    }
}
