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
        /// Position of each key; only for dicts past the linear-search size.
        let index: [Value: Int]

        init(keys: [Value], values: [Value]) {
            self.keys = keys
            self.values = values
            if keys.count > Dict.linearLimit {
                var index: [Value: Int] = [:]
                index.reserveCapacity(keys.count)
                for (i, k) in keys.enumerated() { index[k] = i }
                self.index = index
            } else {
                index = [:]
            }
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
        let keys = storage.keys
        if keys.count > Dict.linearLimit { return storage.index[key] }
        switch key {
        case .string(let name), .markup(let name): return slot(name)
        default: return keys.firstIndex { $0.pyEquals(key) }
        }
    }

    private func slot(_ name: String) -> Int? {
        let keys = storage.keys
        if keys.count > Dict.linearLimit { return storage.index[.string(name)] }
        let count = name.utf8.count
        for i in keys.indices {
            switch keys[i] {
            case .string(let k), .markup(let k):
                // Swift's == (fast for ASCII) rules out nearly all; bytes decide.
                if k.utf8.count == count && k == name && pyStringsEqual(k, name) { return i }
            default: continue
            }
        }
        return nil
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

    public subscript(name: String) -> Value? {
        get { slot(name).map { storage.values[$0] } }
        set { self[.string(name)] = newValue }
    }
}
