import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading the output folder without trusting what is in it: a pull request can commit
/// symbolic links there (`body.txt -> /proc/self/environ`, `messages/ID -> ../../..`),
/// so nothing inside OUT is ever reached through a link (docs/SECURITY.md).
extension FileIO {
    /// What a path is, without following a link at its end.
    package enum Entry: Equatable, Sendable {
        case missing, file, folder, link
        /// A FIFO, socket or device (described for messages).
        case special(String)

        /// "a symbolic link", "a FIFO (named pipe)"… for messages.
        var described: String {
            switch self {
            case .missing: return "missing"
            case .file: return "a file"
            case .folder: return "a folder"
            case .link: return "a symbolic link"
            case .special(let kind): return kind
            }
        }
    }

    package static func entry(atPath path: String) -> Entry {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFLNK: return .link
        default: return .special(SafeFile.kind(st.st_mode))
        }
    }

    /// A file as it is stored: its bytes, missing, refused (what it is instead of a
    /// regular file: a symbolic link, a FIFO…) or unreadable (why); never read through a link.
    package enum Stored: Sendable {
        case bytes([UInt8])
        case missing
        case refused(Entry)
        case unreadable(String)
    }

    /// Reads a regular file; a link at the end of `path` is not followed (O_NOFOLLOW) and
    /// a FIFO is not waited for (O_NONBLOCK). Links earlier in the path are the caller's
    /// to rule out (OutputFolder checks its own folders with `entry(atPath:)`).
    package static func stored(atPath path: String) -> Stored {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT || e == ENOTDIR { return .missing }
            switch entry(atPath: path) {
            case .missing: return .missing
            case .file, .folder: return .unreadable(SafeFile.reason(e))
            case let other: return .refused(other)
            }
        }
        defer { Syscall.close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .unreadable(SafeFile.reason(errno)) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            return .refused((st.st_mode & S_IFMT) == S_IFDIR ? .folder : .special(SafeFile.kind(st.st_mode)))
        }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Syscall.read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .unreadable(SafeFile.reason(errno)) }
            if n == 0 { break }
            got += n
        }
        // A file that changed size while being read: keep what was there.
        if got < bytes.count { bytes.removeLast(bytes.count - got) }
        return .bytes(bytes)
    }

    /// A regular file's bytes; nil when it is missing, a link or anything but a regular
    /// file (for caches, which are only ever worth reading when they are what we wrote).
    package static func regularBytes(atPath path: String) -> [UInt8]? {
        if case .bytes(let b) = stored(atPath: path) { return b }
        return nil
    }

    /// `regularBytes` of a URL (one copy, unlike `Data` then `Array`).
    package static func readBytes(_ url: URL) -> [UInt8]? { regularBytes(atPath: url.path) }

    /// Hands `body` each line of a regular file (without its newline; a last line
    /// without one too), reading a megabyte at a time, until it returns false: for
    /// machine-local records too large to hold whole. True when every line was handed
    /// over, false when `body` stopped; nil when the file is missing, a link (not
    /// followed), anything but a regular file, or cannot be read.
    static func forEachLine(ofRegularFileAt path: String, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Syscall.close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        // The buffer holds `filled` bytes: the unfinished line of the last read, if any.
        var filled = 0
        while true {
            // A line longer than the buffer: make room for the rest of it.
            if filled == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
            let n = buffer.withUnsafeMutableBytes { Syscall.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            let end = filled + n
            // The bytes before `from` were handed over; nil when `body` stopped.
            let from = buffer.withUnsafeBufferPointer { b -> Int? in
                var from = 0
                for i in filled..<end where b[i] == UInt8(ascii: "\n") {
                    guard body(UnsafeBufferPointer(rebasing: b[from..<i])) else { return nil }
                    from = i + 1
                }
                if n == 0 && from < end {
                    guard body(UnsafeBufferPointer(rebasing: b[from..<end])) else { return nil }
                    from = end
                }
                return from
            }
            guard let from else { return false }
            if n == 0 { return true }
            filled = end - from
            if filled > 0 && from > 0 {
                buffer.withUnsafeMutableBytes { _ = memmove($0.baseAddress!, $0.baseAddress! + from, filled) }
            }
        }
    }
}
