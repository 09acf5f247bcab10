#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level helpers behind Python's string semantics. A Python `str` is a
/// sequence of code points; in UTF-8, equal code point sequences are equal byte
/// sequences, code point order is byte order, and a valid needle found in valid text
/// always starts on a code point. So comparing, searching and replacing work on the
/// UTF-8 bytes directly, without Swift's grapheme clusters or normalization.

/// Runs `body` on the string's UTF-8 bytes without copying native strings.
@inline(__always)
func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    if let r = try s.utf8.withContiguousStorageIfAvailable(body) { return r }
    var copy = s
    return try copy.withUTF8(body)
}

/// A string from bytes that are valid UTF-8 by construction (pieces of valid strings).
@inline(__always)
func makeString(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(decoding: bytes, as: UTF8.self)
}

/// Python `==` on strings: code points, no normalization ("e\u0301" != "é").
@inline(__always)
func pyStringsEqual(_ a: String, _ b: String) -> Bool {
    if identical(a, b) { return true }
    let n = a.utf8.count
    guard n == b.utf8.count else { return false }
    if n == 0 { return true }
    return withBytes(a) { x in withBytes(b) { y in memcmp(x.baseAddress!, y.baseAddress!, n) == 0 } }
}

/// Whether two strings are the same value bit for bit: the same short string stored
/// inline, or the same storage. Equal strings may still differ in their bits (two
/// copies of a long string), so false means "compare the bytes".
@inline(__always)
func identical(_ a: String, _ b: String) -> Bool {
    guard MemoryLayout<String>.size == 16 else { return false }
    return withUnsafeBytes(of: a) { x in
        withUnsafeBytes(of: b) { y in
            x.load(as: UInt64.self) == y.load(as: UInt64.self)
                && x.load(fromByteOffset: 8, as: UInt64.self) == y.load(fromByteOffset: 8, as: UInt64.self)
        }
    }
}

/// Python's string ordering (code point order, which is UTF-8 byte order).
func pyStringCompare(_ a: String, _ b: String) -> Int {
    withBytes(a) { x in
        withBytes(b) { y in
            let n = min(x.count, y.count)
            let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
            if c != 0 { return c < 0 ? -1 : 1 }
            return x.count < y.count ? -1 : (x.count == y.count ? 0 : 1)
        }
    }
}

/// Hashes the bytes, so that strings equal under `pyStringsEqual` hash alike and
/// canonically equivalent but different strings may not.
func hashUTF8(_ s: String, _ h: inout Hasher) {
    withBytes(s) { h.combine(bytes: UnsafeRawBufferPointer($0)) }
}

func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    // Eight bytes at a time.
    var i = 0
    let n = bytes.count
    if let base = bytes.baseAddress {
        let raw = UnsafeRawPointer(base)
        while i + 8 <= n {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
    }
    while i < n {
        if bytes[i] >= 0x80 { return false }
        i += 1
    }
    return true
}

func isASCII(_ s: String) -> Bool { withBytes(s) { isASCII($0) } }

/// Offset of the first occurrence of `needle` in `hay` at or after `from`.
func findBytes(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
    let n = needle.count
    if n == 0 { return from <= hay.count ? from : nil }
    guard from + n <= hay.count, let h = hay.baseAddress, let nb = needle.baseAddress else { return nil }
    // memchr for the first byte, memcmp for the rest (memmem is a GNU extension).
    let first = Int32(nb[0])
    var at = from
    let last = hay.count - n
    while at <= last {
        guard let p = memchr(h + at, first, last - at + 1) else { return nil }
        let k = h.distance(to: p.assumingMemoryBound(to: UInt8.self))
        if memcmp(h + k, nb, n) == 0 { return k }
        at = k + 1
    }
    return nil
}

/// Offset of the last occurrence of `needle` that ends at or before `end`.
func findLastBytes(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>, end: Int? = nil) -> Int? {
    let n = needle.count
    let limit = end ?? hay.count
    if n == 0 { return limit }
    var i = limit - n
    while i >= 0 {
        if hay[i] == needle[0] && memcmp(hay.baseAddress! + i, needle.baseAddress!, n) == 0 { return i }
        i -= 1
    }
    return nil
}

/// Number of code points in the first `byteCount` bytes.
func codePointCount(_ bytes: UnsafeBufferPointer<UInt8>, upTo byteCount: Int? = nil) -> Int {
    let end = byteCount ?? bytes.count
    var n = 0
    for i in 0..<end where bytes[i] & 0xC0 != 0x80 { n += 1 }
    return n
}

/// A growable byte buffer that becomes a String at the end: building results this
/// way makes one String instead of one per step.
struct ByteBuilder {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func append(_ b: UInt8) { bytes.append(b) }
    @inline(__always) mutating func append(_ b: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: b) }
    mutating func append(_ b: Slice<UnsafeBufferPointer<UInt8>>) { bytes.append(contentsOf: b) }
    mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }
    mutating func append(_ u: Unicode.Scalar) { bytes.append(contentsOf: UTF8.encode(u)!) }

    var string: String { bytes.withUnsafeBufferPointer { makeString($0) } }
}
