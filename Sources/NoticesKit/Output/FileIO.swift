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
        do { try writeAll(fd, data) } catch { throw posixError("cannot write \(url.path)") }
    }

    public static func writeAtomically(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())", isDirectory: false)
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw posixError("cannot create \(tmp.path)") }
        var ok = (try? writeAll(fd, data)) != nil
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

    /// A whole file as bytes (one copy, unlike `Data` then `Array`); nil when it
    /// cannot be opened.
    public static func readBytes(_ url: URL) -> [UInt8]? {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, $0.count - got) }
            guard n > 0 else { break }
            got += n
        }
        // A file that changed size while being read: keep what was there.
        if got < bytes.count { bytes.removeLast(bytes.count - got) }
        return bytes
    }

    /// Brings a file to new bytes that arrive in pieces, without holding them whole:
    /// each piece is compared with the file as it stands, and only from the first
    /// difference on is a temporary file written (the equal prefix copied into it).
    /// `finish()` renames it into place (atomically, after fsync) when anything
    /// differed, and leaves an unchanged file untouched. With `dryRun` nothing is
    /// written; `finish()` still tells whether the file would change.
    public final class ReplacingWriter {
        let url: URL
        let dryRun: Bool
        private var existing: Int32
        private var tmp: Int32 = -1
        private var tmpPath: String { url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path }
        /// Bytes written so far; while `tmp` is closed and nothing differed, they all
        /// equal the file's.
        private var offset = 0
        /// A dry run found a difference (a real run starts `tmp` instead).
        private var differs = false
        private var scratch = [UInt8](repeating: 0, count: 1 << 16)

        public init(_ url: URL, dryRun: Bool = false) {
            self.url = url
            self.dryRun = dryRun
            existing = open(url.path, O_RDONLY)
        }

        deinit {
            if existing >= 0 { close(existing) }
            if tmp >= 0 { close(tmp); unlink(tmpPath) }
        }

        public func append(_ data: Data) throws {
            if data.isEmpty || differs { return }
            if existing >= 0 && tmp < 0 {
                if try matches(data) { offset += data.count; return }
                if dryRun { differs = true; return }
                try startTemporary(copyingPrefix: offset)
            } else if existing < 0 && tmp < 0 && !dryRun {
                try startTemporary(copyingPrefix: 0)
            }
            if tmp >= 0 { try writeAll(tmp, data) }
        }

        /// True when the file changed (or would change with `dryRun`).
        @discardableResult
        public func finish() throws -> Bool {
            if differs { return true }
            if existing >= 0 && tmp < 0 {
                // Equal so far: the file must also end here.
                var st = stat()
                if fstat(existing, &st) == 0 && Int(st.st_size) == offset { return false }
                if dryRun { return true }
                try startTemporary(copyingPrefix: offset)
            }
            if dryRun { return true }
            if tmp < 0 { try startTemporary(copyingPrefix: 0) }
            guard fsync(tmp) == 0 else { throw posixError("cannot write \(url.path)") }
            close(tmp)
            tmp = -1
            guard rename(tmpPath, url.path) == 0 else {
                unlink(tmpPath)
                throw posixError("cannot move \(tmpPath) into place")
            }
            return true
        }

        private func matches(_ data: Data) throws -> Bool {
            if scratch.count < data.count { scratch = [UInt8](repeating: 0, count: data.count) }
            var got = 0
            while got < data.count {
                let n = scratch.withUnsafeMutableBytes { pread(existing, $0.baseAddress! + got, data.count - got, off_t(offset + got)) }
                if n < 0 { throw posixError("cannot read \(url.path)") }
                if n == 0 { return false }
                got += n
            }
            return data.withUnsafeBytes { d in scratch.withUnsafeBytes { memcmp(d.baseAddress!, $0.baseAddress!, data.count) == 0 } }
        }

        private func startTemporary(copyingPrefix prefix: Int) throws {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            tmp = open(tmpPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard tmp >= 0 else { throw posixError("cannot create \(tmpPath)") }
            var copied = 0
            while copied < prefix {
                let n = scratch.withUnsafeMutableBytes { pread(existing, $0.baseAddress!, min($0.count, prefix - copied), off_t(copied)) }
                guard n > 0 else { throw posixError("cannot read \(url.path)") }
                try writeAll(tmp, Data(scratch[0..<n]))
                copied += n
            }
        }
    }

    static func writeAll(_ fd: Int32, _ data: Data) throws {
        try data.withUnsafeBytes { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { throw posixError("cannot write") }
                off += n
            }
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
        var started = 0
        for _ in 0..<min(jobs, items.count) {
            group.enter()
            if startThread({ work.run(); group.leave() }) { started += 1 } else { group.leave() }
        }
        // A thread the system refuses (process or memory limits) leaves its share to
        // the others; when none starts, this thread does the work itself rather than
        // waiting for threads that do not exist.
        if started == 0 { work.run() }
        group.wait()
        return work.results.map { $0! }
    }

    final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts a detached thread with a 16 MiB stack (templates recurse); false when
    /// pthread_create fails (Foundation's Thread.start gives no such answer).
    static func startThread(_ body: @escaping () -> Void) -> Bool {
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, 16 << 20)
        pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
        let box = Unmanaged.passRetained(Body(body))
        var thread = pthread_t()
        let rc = pthread_create(&thread, &attr, { arg in
            Unmanaged<Body>.fromOpaque(arg!).takeRetainedValue().run()
            return nil
        }, box.toOpaque())
        if rc != 0 { box.release() }
        return rc == 0
    }
}
