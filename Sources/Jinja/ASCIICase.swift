/// Case mappings of ASCII text, byte by byte: for ASCII, Python's `lower`, `upper`
/// and Jinja2's `title` change only the letters A–Z and a–z. Each writes `count`
/// bytes to `out` (which may be the input itself) and returns the count.
enum ASCIICase {
    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 { c &- 0x41 < 26 ? c | 0x20 : c }

    @inline(__always)
    static func upper(_ c: UInt8) -> UInt8 { c &- 0x61 < 26 ? c & ~0x20 : c }

    static func lower(_ b: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        guard let p = b.baseAddress else { return 0 }
        for i in 0..<b.count { out[i] = lower(p[i]) }
        return b.count
    }

    static func upper(_ b: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        guard let p = b.baseAddress else { return 0 }
        for i in 0..<b.count { out[i] = upper(p[i]) }
        return b.count
    }

    /// Where a word starts after, for Jinja2's `title` (its `[-\s({\[<]+`, with
    /// Python's ASCII whitespace: \t \n \v \f \r, \x1c–\x1f and space), as bits.
    private static let separatorsLow: UInt64 = (0x3E00 as UInt64) | (0x1F << 28) | (1 << 0x28) | (1 << 0x2D) | (1 << 0x3C)
    private static let separatorsHigh: UInt64 = (1 << (0x5B - 64)) | (1 << (0x7B - 64))

    @inline(__always)
    static func isTitleSeparator(_ c: UInt8) -> Bool {
        c < 64 ? (separatorsLow >> UInt64(c)) & 1 != 0 : c < 128 && (separatorsHigh >> UInt64(c - 64)) & 1 != 0
    }

    /// Jinja2's `title` on ASCII: the first byte of each word upper case, the rest lower.
    static func jinjaTitle(_ b: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        guard let p = b.baseAddress else { return 0 }
        var atStart = true
        for i in 0..<b.count {
            let c = p[i]
            if isTitleSeparator(c) {
                out[i] = c
                atStart = true
            } else {
                out[i] = atStart ? upper(c) : lower(c)
                atStart = false
            }
        }
        return b.count
    }
}
