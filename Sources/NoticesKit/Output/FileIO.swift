import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File writing that never leaves a half-written file: write to a temporary name in
/// the same folder, fsync, rename over the target.
package enum FileIO {
    /// A plain write, for files in a staging folder that is only used once complete.
    package static func write(_ data: Data, to url: URL) throws { try write(data, toPath: url.path) }

    static func write(_ data: Data, toPath path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw posixError("cannot create \(path)") }
        defer { close(fd) }
        do { try writeAll(fd, data) } catch { throw posixError("cannot write \(path)") }
    }

    package static func writeAtomically(_ data: Data, to url: URL) throws {
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

    /// Brings a file to new bytes that arrive in pieces, without holding them whole:
    /// each piece is compared with the file as it stands, and only from the first
    /// difference on is a temporary file written (the equal prefix copied into it).
    /// `finish()` renames it into place (atomically, after fsync) when anything
    /// differed, and leaves an unchanged file untouched.
    package final class ReplacingWriter {
        let url: URL
        private let existing: ExistingFile
        private var tmp: Int32 = -1
        private var tmpPath: String { url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path }

        package init(_ url: URL) {
            self.url = url
            existing = ExistingFile(url)
        }

        deinit {
            if tmp >= 0 { close(tmp); unlink(tmpPath) }
        }

        package func append(_ data: Data) throws {
            if data.isEmpty { return }
            if tmp < 0 {
                if try existing.matchesNext(data) { return }
                try startTemporary()
            }
            try writeAll(tmp, data)
        }

        /// True when the file changed.
        @discardableResult
        package func finish() throws -> Bool {
            if tmp < 0 {
                if existing.endsHere { return false }
                try startTemporary()
            }
            guard fsync(tmp) == 0 else { throw posixError("cannot write \(url.path)") }
            close(tmp)
            tmp = -1
            guard rename(tmpPath, url.path) == 0 else {
                unlink(tmpPath)
                throw posixError("cannot move \(tmpPath) into place")
            }
            return true
        }

        /// Starts the temporary file with the prefix that matched so far.
        private func startTemporary() throws {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            tmp = open(tmpPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard tmp >= 0 else { throw posixError("cannot create \(tmpPath)") }
            try existing.copyPrefix(to: tmp)
        }
    }

    /// Tells whether bytes that arrive in pieces equal a file, without holding them
    /// whole and without writing anything (`check` compares the manifest this way).
    package final class StreamComparison {
        private let existing: ExistingFile
        private var differs = false

        package init(_ url: URL) { existing = ExistingFile(url) }

        package func append(_ data: Data) throws {
            if data.isEmpty || differs { return }
            if try !existing.matchesNext(data) { differs = true }
        }

        /// True when the bytes differ from the file (or there is no file).
        package func finish() -> Bool { differs || !existing.endsHere }
    }

    /// An existing file read alongside new bytes: how far they have matched so far.
    final class ExistingFile {
        let url: URL
        private let fd: Int32
        /// Bytes matched so far; all equal the file's while `failed` is false.
        private(set) var offset = 0
        private var failed = false
        private var scratch = [UInt8](repeating: 0, count: 1 << 16)

        /// A link or anything but a regular file counts as no file: it is replaced, never read.
        init(_ url: URL) {
            self.url = url
            var fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            var st = stat()
            if fd >= 0 && (fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG) {
                Syscall.close(fd)
                fd = -1
            }
            self.fd = fd
        }

        deinit { if fd >= 0 { close(fd) } }

        /// True when `data` is the file's next bytes (then they count as matched).
        func matchesNext(_ data: Data) throws -> Bool {
            guard fd >= 0, !failed else { return false }
            if scratch.count < data.count { scratch = [UInt8](repeating: 0, count: data.count) }
            var got = 0
            while got < data.count {
                let n = scratch.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, data.count - got, off_t(offset + got)) }
                if n < 0 { throw posixError("cannot read \(url.path)") }
                if n == 0 { failed = true; return false }
                got += n
            }
            let equal = data.withUnsafeBytes { d in scratch.withUnsafeBytes { memcmp(d.baseAddress!, $0.baseAddress!, data.count) == 0 } }
            if equal { offset += data.count } else { failed = true }
            return equal
        }

        /// True when everything matched and the file ends where the bytes did.
        var endsHere: Bool {
            guard fd >= 0, !failed else { return false }
            var st = stat()
            return fstat(fd, &st) == 0 && Int(st.st_size) == offset
        }

        /// Copies the matched prefix into `target`.
        func copyPrefix(to target: Int32) throws {
            var copied = 0
            while copied < offset {
                let n = scratch.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, min($0.count, offset - copied), off_t(copied)) }
                guard n > 0 else { throw posixError("cannot read \(url.path)") }
                try writeAll(target, Data(scratch[0..<n]))
                copied += n
            }
        }
    }

    static func writeAll(_ fd: Int32, _ data: Data) throws {
        try data.withUnsafeBytes { buf in
            var off = 0
            while off < buf.count {
                let n = Syscall.write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { throw posixError("cannot write") }
                off += n
            }
        }
    }

    /// The name of an atomic write's temporary file (`.NAME.tmp-PID`).
    static func isTemporaryName(_ name: String) -> Bool { name.hasPrefix(".") && name.contains(".tmp-") }

    /// Removes the temporary files an interrupted atomic write leaves in `dir`.
    static func removeLeftovers(in dir: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
        for name in names where isTemporaryName(name) {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
    }

    static func posixError(_ what: String) -> Error {
        DiagnosticsError([.error(nil, "\(what): \(String(cString: strerror(errno)))")])
    }

    /// An exclusive lock on `OUT/.lock`, held until `release()`; waits up to `timeout`.
    package final class Lock {
        let fd: Int32
        package init(_ url: URL, timeout: TimeInterval = 60) throws {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Never through a link: a committed `.lock -> /etc/x` would create its target.
            fd = open(url.path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                if FileIO.entry(atPath: url.path) == .link {
                    throw DiagnosticsError([.error(nil, "\(url.path) is a symbolic link: notices never opens a file of the output folder through a link; remove it")])
                }
                throw FileIO.posixError("cannot open lock \(url.path)")
            }
            let deadline = Date().addingTimeInterval(timeout)
            while flock(fd, LOCK_EX | LOCK_NB) != 0 {
                if Date() > deadline {
                    close(fd)
                    throw DiagnosticsError([.error(nil, "another notices command holds \(url.path); gave up after \(Int(timeout)) s")])
                }
                usleep(20_000)
            }
        }
        package func release() {
            flock(fd, LOCK_UN)
            close(fd)
        }
    }
}

/// The C library's read and write under names no Swift method shadows.
enum Syscall {
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
        #else
        Darwin.read(fd, buffer, count)
        #endif
    }

    static func write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, buffer, count)
        #else
        Darwin.write(fd, buffer, count)
        #endif
    }

    /// realpath(3) into a new buffer the caller frees.
    static func realpath(_ path: String) -> UnsafeMutablePointer<CChar>? {
        #if canImport(Glibc)
        Glibc.realpath(path, nil)
        #else
        Darwin.realpath(path, nil)
        #endif
    }

    static func close(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
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
