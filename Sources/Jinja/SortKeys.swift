/// Sorting by string keys, the common case of `sort` and `sort(attribute=…)`:
/// Python orders strings by code points, which is UTF-8 byte order, so the keys are
/// compared as bytes, first by their leading eight bytes as one integer.
struct SortKeys {
    private let keys: [String]
    /// The first eight bytes (lower-cased when folding), big-endian: integer order
    /// is byte order. Shorter keys are padded with zero bytes, so equal prefixes
    /// still need the full comparison.
    private let prefixes: [UInt64]
    private let foldCase: Bool

    /// The keys when they are all plain strings, and ASCII when folding case (the
    /// lower case of other text needs Unicode's rules); nil otherwise.
    static func strings(_ values: [Value], foldCase: Bool) -> SortKeys? {
        var keys: [String] = []
        keys.reserveCapacity(values.count)
        for v in values {
            guard case .string(let s) = v, !foldCase || isASCII(s) else { return nil }
            keys.append(s)
        }
        return SortKeys(keys: keys, foldCase: foldCase)
    }

    private init(keys: [String], foldCase: Bool) {
        self.keys = keys
        self.foldCase = foldCase
        prefixes = keys.map { key in
            withBytes(key) { b in
                var p: UInt64 = 0
                for i in 0..<8 {
                    let c: UInt8 = i < b.count ? (foldCase ? ASCIICase.lower(b[i]) : b[i]) : 0
                    p = p << 8 | UInt64(c)
                }
                return p
            }
        }
    }

    /// The positions of the keys in sorted order; equal keys keep their order (in
    /// reverse too, as Python's `sorted(reverse=True)` does).
    func order(reverse: Bool) -> [Int] {
        var order = Array(keys.indices)
        prefixes.withUnsafeBufferPointer { p in
            order.sort { i, j in
                let c = p[i] != p[j] ? (p[i] < p[j] ? -1 : 1) : compare(keys[i], keys[j])
                if c != 0 { return reverse ? c > 0 : c < 0 }
                return i < j
            }
        }
        return order
    }

    private func compare(_ a: String, _ b: String) -> Int {
        guard foldCase else { return pyStringCompare(a, b) }
        return withBytes(a) { x in
            withBytes(b) { y in
                for k in 0..<min(x.count, y.count) {
                    let c = ASCIICase.lower(x[k]), d = ASCIICase.lower(y[k])
                    if c != d { return c < d ? -1 : 1 }
                }
                return x.count < y.count ? -1 : (x.count == y.count ? 0 : 1)
            }
        }
    }
}
