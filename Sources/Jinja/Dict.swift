/// A Python dict: insertion-ordered, keyed by hashable values. String keys are
/// compared as code points (no Unicode normalization), as Python compares them.
///
/// The entries live in one immutable, shared object so that `Value` stays two words
/// wide and `Sendable`; building a dict collects its entries first and stores them
/// once. Changing an entry afterwards copies the entries (templates build dicts, they
/// rarely change them).
public struct Dict: Sendable {
    private final class Storage: Sendable {
        let keys: [Value]
        let values: [Value]
        /// Position of each string key, for dicts past the linear-search size. Swift's
        /// String hashing is fast but equates canonically equivalent strings, so a hit
        /// is confirmed by bytes, and a dict with two such keys is not indexed.
        let stringIndex: [String: Int]
        /// Position of each other key.
        let index: [Value: Int]
        let indexed: Bool
        /// Length and first bytes of each string key (`StringTag.none` for others):
        /// a linear search compares these words, not the strings.
        let tags: [StringTag]

        init(keys: [Value], values: [Value]) {
            self.keys = keys
            self.values = values
            tags = keys.map { k in
                switch k {
                case .string(let name), .markup(let name): return StringTag(name)
                default: return .none
                }
            }
            var strings: [String: Int] = [:]
            var others: [Value: Int] = [:]
            var indexed = keys.count > Dict.linearLimit
            if indexed {
                strings.reserveCapacity(keys.count)
                for (i, k) in keys.enumerated() {
                    switch k {
                    case .string(let name), .markup(let name):
                        if strings[name] != nil { indexed = false }
                        strings[name] = i
                    default: others[k] = i
                    }
                }
            }
            self.indexed = indexed
            stringIndex = indexed ? strings : [:]
            index = indexed ? others : [:]
        }

        static let empty = Storage(keys: [], values: [])
    }

    /// Up to this many entries a dict is searched linearly: comparing a few short
    /// keys beats hashing one.
    static let linearLimit = 8

    private var storage: Storage

    public init() { storage = .empty }

    /// Entries in order; a repeated key keeps its first position and its last value.
    public init(pairs: [(Value, Value)]) {
        var keys: [Value] = []
        var values: [Value] = []
        keys.reserveCapacity(pairs.count)
        values.reserveCapacity(pairs.count)
        var seen: [Value: Int]? = pairs.count > Dict.linearLimit ? [:] : nil
        for (k, v) in pairs {
            let at: Int?
            if seen != nil { at = seen![k] } else { at = keys.firstIndex { $0.pyEquals(k) } }
            if let at {
                values[at] = v
            } else {
                seen?[k] = keys.count
                keys.append(k)
                values.append(v)
            }
        }
        storage = Storage(keys: keys, values: values)
    }

    public init(_ pairs: [(String, Value)]) {
        self.init(pairs: pairs.map { (.string($0.0), $0.1) })
    }

    public var keys: [Value] { storage.keys }
    public var values: [Value] { storage.values }
    public var count: Int { storage.keys.count }
    public var pairs: [(Value, Value)] { Array(zip(storage.keys, storage.values)) }

    private func slot(_ key: Value) -> Int? {
        switch key {
        case .string(let name), .markup(let name): return slot(name)
        default:
            if storage.indexed { return storage.index[key] }
            return storage.keys.firstIndex { $0.pyEquals(key) }
        }
    }

    private func slot(_ name: String) -> Int? { slot(name, StringTag(name)) }

    private func slot(_ name: String, _ tag: StringTag) -> Int? {
        let keys = storage.keys
        if storage.indexed {
            guard let i = storage.stringIndex[name] else { return nil }
            switch keys[i] {
            case .string(let k), .markup(let k): return pyStringsEqual(k, name) ? i : nil
            default: return nil
            }
        }
        return storage.tags.withUnsafeBufferPointer { tags in
            for i in 0..<tags.count where tags[i] == tag {
                // Up to eight bytes, the tag is the whole string.
                if tag.count <= 8 { return i }
                switch keys[i] {
                case .string(let k), .markup(let k): if pyStringsEqual(k, name) { return i }
                default: continue
                }
            }
            return nil
        }
    }

    public subscript(key: Value) -> Value? {
        get { slot(key).map { storage.values[$0] } }
        set {
            var keys = storage.keys
            var values = storage.values
            if let i = slot(key) {
                if let newValue {
                    values[i] = newValue
                } else {
                    keys.remove(at: i)
                    values.remove(at: i)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            } else {
                return
            }
            storage = Storage(keys: keys, values: values)
        }
    }

    /// The value of a string key whose tag the caller computed once (a name in the
    /// template, an attribute path).
    func value(named name: String, tag: StringTag) -> Value? {
        slot(name, tag).map { storage.values[$0] }
    }

    public subscript(name: String) -> Value? {
        get { slot(name).map { storage.values[$0] } }
        set { self[.string(name)] = newValue }
    }
}

/// A string's UTF-8 length and its first eight bytes: equal strings have equal tags,
/// and strings of up to eight bytes with equal tags are equal.
struct StringTag: Equatable, Sendable {
    let count: Int
    let head: UInt64

    static let none = StringTag(count: -1, head: 0)

    private init(count: Int, head: UInt64) {
        self.count = count
        self.head = head
    }

    @inline(__always)
    init(_ s: String) {
        (count, head) = withBytes(s) { b in
            var h: UInt64 = 0
            if let base = b.baseAddress {
                withUnsafeMutableBytes(of: &h) { $0.baseAddress!.copyMemory(from: base, byteCount: min(b.count, 8)) }
            }
            return (b.count, h)
        }
    }
}
