import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// File writing that never leaves a half-written file: write to a temporary name in
/// the same folder, fsync, rename over the target.
public enum FileIO {
    /// A plain write, for files in a staging folder that is only used once complete.
    public static func write(_ data: Data, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw posixError("cannot create \(url.path)") }
        defer { close(fd) }
        try data.withUnsafeBytes { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { throw posixError("cannot write \(url.path)") }
                off += n
            }
        }
    }

    public static func writeAtomically(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())", isDirectory: false)
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw posixError("cannot create \(tmp.path)") }
        var ok = true
        data.withUnsafeBytes { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { ok = false; break }
                off += n
            }
        }
        if fsync(fd) != 0 { ok = false }
        close(fd)
        guard ok else {
            unlink(tmp.path)
            throw posixError("cannot write \(url.path)")
        }
        guard rename(tmp.path, url.path) == 0 else {
            unlink(tmp.path)
            throw posixError("cannot move \(tmp.path) into place")
        }
    }

    /// Removes the temporary files an interrupted atomic write leaves in `dir`.
    public static func removeLeftovers(in dir: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
        for name in names where name.hasPrefix(".") && name.contains(".tmp-") {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
    }

    static func posixError(_ what: String) -> Error {
        DiagnosticsError([.error(nil, "\(what): \(String(cString: strerror(errno)))")])
    }

    /// An exclusive lock on `OUT/.lock`, held until `release()`; waits up to `timeout`.
    public final class Lock {
        let fd: Int32
        public init(_ url: URL, timeout: TimeInterval = 60) throws {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            fd = open(url.path, O_RDWR | O_CREAT, 0o644)
            guard fd >= 0 else { throw FileIO.posixError("cannot open lock \(url.path)") }
            let deadline = Date().addingTimeInterval(timeout)
            while flock(fd, LOCK_EX | LOCK_NB) != 0 {
                if Date() > deadline {
                    close(fd)
                    throw DiagnosticsError([.error(nil, "another notices command holds \(url.path); gave up after \(Int(timeout)) s")])
                }
                usleep(20_000)
            }
        }
        public func release() {
            flock(fd, LOCK_UN)
            close(fd)
        }
    }
}

/// Runs work on `jobs` threads with large stacks (templates recurse) and returns the
/// results in input order, whatever the job count.
enum Parallel {
    /// Shared state of one run; guarded by its lock.
    final class Work<T, R>: @unchecked Sendable {
        let items: [T]
        let body: (T) -> R
        var results: [R?]
        var next = 0
        let lock = NSLock()
        init(_ items: [T], _ body: @escaping (T) -> R) {
            self.items = items
            self.body = body
            results = [R?](repeating: nil, count: items.count)
        }
        func run() {
            while true {
                lock.lock()
                let i = next
                next += 1
                lock.unlock()
                if i >= items.count { return }
                let r = body(items[i])
                lock.lock()
                results[i] = r
                lock.unlock()
            }
        }
    }

    static func map<T, R>(_ items: [T], jobs: Int, _ body: @escaping (T) -> R) -> [R] {
        if jobs <= 1 || items.count < 2 { return items.map(body) }
        let work = Work(items, body)
        let group = DispatchGroup()
        for _ in 0..<min(jobs, items.count) {
            group.enter()
            let thread = Thread {
                work.run()
                group.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        return work.results.map { $0! }
    }
}
