/// The UTF-8 bytes one render writes, in one growing buffer. A capture (a macro
/// call, a set or filter block, an included template's text) marks where it starts
/// and takes its bytes back off the end, so captures allocate nothing but the String
/// they return. Appending is a bounds check and a copy.
final class OutputBuffer {
    // One render, one thread: no runtime exclusivity checks (see RenderContext).
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private(set) var count = 0
    /// Where each capture in progress starts, innermost last.
    @exclusivity(unchecked) private var marks: [Int] = []

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Captures in progress.
    var depth: Int { marks.count }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n > 0, let from = bytes.baseAddress else { return }
        if n > capacity - count { grow(to: count + n) }
        UnsafeMutableRawPointer(base + count).copyMemory(from: from, byteCount: n)
        count += n
    }

    @inline(never)
    private func grow(to needed: Int) {
        var c = capacity
        while c < needed { c *= 2 }
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        UnsafeMutableRawPointer(new).copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = new
        capacity = c
    }

    func beginCapture() { marks.append(count) }

    /// The bytes written since the matching `beginCapture`, removed from the buffer.
    func endCapture() -> String {
        let start = marks.removeLast()
        let s = String(decoding: UnsafeBufferPointer(start: base + start, count: count - start), as: UTF8.self)
        count = start
        return s
    }

    /// Appends to the bytes of capture level `level` (0: the output itself) while
    /// later captures are in progress: their bytes move up to make room.
    func insert(_ bytes: UnsafeBufferPointer<UInt8>, atLevel level: Int) {
        guard level < marks.count else { return append(bytes) }
        let n = bytes.count
        guard n > 0, let from = bytes.baseAddress else { return }
        if n > capacity - count { grow(to: count + n) }
        let at = marks[level]
        UnsafeMutableRawPointer(base + at + n).copyMemory(from: base + at, byteCount: count - at)
        UnsafeMutableRawPointer(base + at).copyMemory(from: from, byteCount: n)
        count += n
        for i in level..<marks.count { marks[i] += n }
    }

    /// Everything written, as one String.
    var string: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }
}
