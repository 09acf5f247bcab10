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
    /// The keys' lengths in bytes.
    private let counts: [Int]

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
        var counts: [Int] = []
        counts.reserveCapacity(keys.count)
        prefixes = keys.map { key in
            withBytes(key) { b in
                counts.append(b.count)
                return SortKeys.prefix(b, foldCase: foldCase)
            }
        }
        self.counts = counts
    }

    /// The first eight bytes as a big-endian integer, zero-padded; ASCII upper case
    /// folded to lower case eight bytes at once when asked (the keys are ASCII then).
    @inline(__always)
    static func prefix(_ b: UnsafeBufferPointer<UInt8>, foldCase: Bool) -> UInt64 {
        var p: UInt64 = 0
        if let base = b.baseAddress {
            withUnsafeMutableBytes(of: &p) { $0.baseAddress!.copyMemory(from: base, byteCount: min(b.count, 8)) }
        }
        p = UInt64(bigEndian: p)
        if foldCase {
            // A byte's high bit: at least "A", and past "Z"; their difference marks
            // the upper-case letters, which get 0x20 added.
            let ones: UInt64 = 0x0101_0101_0101_0101
            let atLeastA = p &+ ones &* (0x80 - 0x41)
            let pastZ = p &+ ones &* (0x80 - 0x5B)
            p |= (atLeastA & ~pastZ & (ones &* 0x80)) >> 2
        }
        return p
    }

    /// The positions of the keys in sorted order; equal keys keep their order (in
    /// reverse too, as Python's `sorted(reverse=True)` does).
    func order(reverse: Bool) -> [Int] {
        var order = Array(keys.indices)
        prefixes.withUnsafeBufferPointer { p in
            counts.withUnsafeBufferPointer { n in
                order.sort { i, j in
                    let c: Int
                    if p[i] != p[j] {
                        c = p[i] < p[j] ? -1 : 1
                    } else if n[i] <= 8 && n[j] <= 8 {
                        // Equal prefixes of keys no longer than eight bytes: the
                        // shorter key is a prefix of the other.
                        c = n[i] == n[j] ? 0 : (n[i] < n[j] ? -1 : 1)
                    } else {
                        c = compare(keys[i], keys[j])
                    }
                    if c != 0 { return reverse ? c > 0 : c < 0 }
                    return i < j
                }
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
