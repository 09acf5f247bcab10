import Foundation

/// A thread-safe memo that forgets everything once it holds `limit` entries.
///
/// Render threads share objects and digests that are expensive to build but cheap to
/// rebuild. Plans come event by event, so a small cache catches nearly every reuse,
/// while memory stays flat however large the tree is. Values must be pure functions of
/// their key: dropping one may only cost time, never change output.
final class BoundedCache<Key: Hashable, Value>: @unchecked Sendable {
    private var entries: [Key: Value] = [:]
    private let limit: Int
    private let lock = NSLock()

    init(limit: Int) { self.limit = limit }

    subscript(key: Key) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    func set(_ key: Key, _ value: Value) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
        entries[key] = value
    }
}
