#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much stack the current thread has left. Renders recurse (macros, includes,
/// blocks); nesting limits bound each template, and this ends a render cleanly before
/// a thread with a small stack would overflow. Asked only once a render is nested
/// deeply, so ordinary renders never pay for it.
enum StackGuard {
    /// The lowest usable address of the current thread's stack, or nil if unknown.
    static func stackLow() -> UInt? {
        #if canImport(Glibc)
        // pthread_getattr_np is a GNU extension the Glibc module does not show.
        typealias GetAttr = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return nil }
        let getattr = unsafeBitCast(symbol, to: GetAttr.self)
        var attr = pthread_attr_t()
        guard getattr(pthread_self(), &attr) == 0 else { return nil }
        defer { pthread_attr_destroy(&attr) }
        var addr: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attr, &addr, &size) == 0, let addr else { return nil }
        return UInt(bitPattern: addr)
        #elseif canImport(Darwin)
        let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        return top - UInt(pthread_get_stacksize_np(pthread_self()))
        #else
        return nil
        #endif
    }

    /// The address of a local: the current stack position.
    @inline(never)
    static func currentPosition() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    /// Stack kept free for the work between two checks (one call level of a render:
    /// an expression tree of bounded depth, a filter, a sort).
    static let reserve: UInt = 256 * 1024
}
