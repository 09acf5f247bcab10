import Crypto

extension SHA256 {
    /// Adds a string's UTF-8 bytes and a NUL, so that "ab" + "c" and "a" + "bc" differ.
    /// Hashes in place: digests of every message's inputs add millions of short strings.
    mutating func add(_ s: String) {
        var s = s
        s.withUTF8 { update(bufferPointer: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0)) { update(bufferPointer: $0) }
    }
}
