/// Python's `pprint.pformat` (width 80): dicts sorted by key; a value whose repr is
/// too long is split one item per line, the way pprint lays out containers.
enum PrettyPrint {
    static func format(_ v: Value) throws -> String {
        try layout(v, indent: 0, room: 80)
    }

    static func flat(_ v: Value) throws -> String {
        switch v {
        case .dict(let d):
            let pairs = try sortedPairs(d)
            return "{" + (try pairs.map { try flat($0.0) + ": " + flat($0.1) }).joined(separator: ", ") + "}"
        case .list(let items): return "[" + (try items.map(flat)).joined(separator: ", ") + "]"
        case .tuple(let items):
            if items.count == 1 { return "(" + (try flat(items[0])) + ",)" }
            return "(" + (try items.map(flat)).joined(separator: ", ") + ")"
        default: return try v.repr()
        }
    }

    static func sortedPairs(_ d: Dict) throws -> [(Value, Value)] {
        var failure: Error?
        let sorted = d.pairs.sorted { a, b in
            do { return try a.0.pyCompare(b.0) < 0 } catch { failure = error; return false }
        }
        if failure != nil { return d.pairs } // pprint falls back to a safe order for mixed keys
        return sorted
    }

    static func layout(_ v: Value, indent: Int, room: Int) throws -> String {
        let text = try flat(v)
        if PyText.length(text) <= room { return text }
        let pad = String(repeating: " ", count: indent + 1)
        switch v {
        case .list(let items) where !items.isEmpty:
            return "[" + (try items.enumerated().map { i, x in
                try layout(x, indent: indent + 1, room: room - 1 - (i == items.count - 1 ? 1 : 1))
            }).joined(separator: ",\n" + pad) + "]"
        case .tuple(let items) where items.count > 1:
            return "(" + (try items.map { try layout($0, indent: indent + 1, room: room - 2) }).joined(separator: ",\n" + pad) + ")"
        case .dict(let d) where d.count > 0:
            let pairs = try sortedPairs(d)
            return "{" + (try pairs.map { k, val in
                let key = try k.repr() + ": "
                return key + (try layout(val, indent: indent + 1 + PyText.length(key), room: room - 1 - PyText.length(key) - 1))
            }).joined(separator: ",\n" + pad) + "}"
        default:
            return text
        }
    }
}
