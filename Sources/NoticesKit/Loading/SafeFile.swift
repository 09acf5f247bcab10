import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading input files without trusting what they are: only regular files are read (a
/// FIFO would block forever, `/dev/zero` never ends), and paths are compared after
/// every symbolic link is resolved, so a link cannot lead a read outside ROOT.
enum SafeFile {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// The whole file, when `path` is a regular file (after following links).
    static func read(_ path: String) -> Result<Data, Problem> {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; regular files ignore it.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Problem(description: "cannot open: \(reason(errno))")) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(Problem(description: "cannot read: \(reason(errno))")) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .failure(Problem(description: "is \(kind(st.st_mode)), not a regular file")) }
        var data = Data(count: Int(st.st_size))
        var got = 0
        while got < data.count {
            let n = data.withUnsafeMutableBytes { Syscall.read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(Problem(description: "cannot read: \(reason(errno))")) }
            if n == 0 { break }
            got += n
        }
        if got < data.count { data.removeSubrange(got...) }
        return .success(data)
    }

    /// The path with every symbolic link, `.` and `..` resolved (realpath(3)).
    static func realPath(_ path: String) -> Result<String, Problem> {
        guard let p = Syscall.realpath(path) else {
            let e = errno
            return .failure(Problem(description: e == ELOOP ? "is a loop of symbolic links"
                                    : e == ENOENT ? "does not exist (or is a symbolic link to nothing)" : reason(e)))
        }
        defer { free(p) }
        return .success(String(cString: p))
    }

    /// True when `real` (a resolved path) is `rootReal` or inside it.
    static func isInside(_ real: String, _ rootReal: String) -> Bool {
        real == rootReal || real.hasPrefix(rootReal.hasSuffix("/") ? rootReal : rootReal + "/")
    }

    /// The resolved path of `root`, or the path as given when it cannot be resolved.
    static func rootReal(_ root: URL) -> String {
        (try? realPath(root.path).get()) ?? root.standardizedFileURL.path
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// "a FIFO", "a socket", "a device"… for messages.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }
}
