import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `OUT/.local/folder-stats`: what every message folder held when the last render left it,
/// as the file system describes it (each entry's name, type, size, modification and
/// change times and inode), with the content hash the folder then had. A render reads a
/// folder back only when it no longer looks like this (someone deleted, edited or
/// added a file), so an intact output costs one `lstat` per file instead of reading
/// everything.
///
/// It describes this machine's copy of OUT (inodes and times differ in every clone),
/// so it is not committed: a clone without it has every folder read back once. Like
/// the other caches it only costs time: deleting it never changes output.
package struct FolderStats: Sendable, Equatable {
    static let header = "notices-folder-stats 1"

    /// One entry of a folder as lstat(2) shows it (links are not followed).
    package struct Entry: Sendable, Equatable {
        package var name: String
        /// The file type bits of st_mode (a regular file, a folder, a link…).
        var type: UInt32
        var size: Int64
        /// Nanoseconds since 1970.
        var modified: Int64
        var changed: Int64
        var inode: UInt64

        var isRegularFile: Bool { type == UInt32(S_IFREG) }
    }

    package struct Folder: Sendable, Equatable {
        /// The manifest's content hash of the message when the folder was recorded.
        var contentHash: String
        /// By name.
        var entries: [Entry]
    }

    /// Message id → its folder as last recorded.
    var folders: [String: Folder] = [:]
    /// The binary that wrote the record (`build`).
    var build = FolderStats.build

    /// This binary as the file system shows it: version, size and modification time of
    /// the executable. A new build may render differently even under the same version,
    /// so the whole-run shortcut is not taken on a record another binary wrote (the
    /// record is machine-local, so the executable's times can be in it).
    static let build: String = {
        #if os(Linux)
        let path = "/proc/self/exe"
        #else
        let path = Bundle.main.executablePath ?? CommandLine.arguments[0]
        #endif
        var s = stat()
        guard stat(path, &s) == 0 else { return noticesVersion }
        #if canImport(Darwin)
        let modified = s.st_mtimespec
        #else
        let modified = s.st_mtim
        #endif
        return "\(noticesVersion) \(s.st_size) \(nanoseconds(modified))"
    }()

    /// The entries of the folder at `path`, sorted by name; nil when there is no folder
    /// there (missing, or a file or link in its place).
    static func scan(_ path: String) -> [Entry]? {
        guard isFolder(path), let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var entries: [Entry] = []
        while let item = readdir(dir) {
            let name = withUnsafePointer(to: item.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: item.pointee.d_name)) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var s = stat()
            guard fstatat(fd, name, &s, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            #if canImport(Darwin)
            let (modified, changed) = (s.st_mtimespec, s.st_ctimespec)
            #else
            let (modified, changed) = (s.st_mtim, s.st_ctim)
            #endif
            entries.append(Entry(name: name, type: UInt32(s.st_mode) & UInt32(S_IFMT), size: Int64(s.st_size),
                                 modified: nanoseconds(modified), changed: nanoseconds(changed), inode: UInt64(s.st_ino)))
        }
        entries.sort { $0.name.precedesByCodePoint($1.name) }
        return entries
    }

    /// Whether `path` is a folder itself (not a link to one).
    static func isFolder(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func nanoseconds(_ t: timespec) -> Int64 { Int64(t.tv_sec) &* 1_000_000_000 &+ Int64(t.tv_nsec) }

    /// The names in a folder (hidden ones included), sorted; empty when it cannot be listed.
    static func names(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted { $0.precedesByCodePoint($1) }
    }

    // MARK: - The file

    /// Writes the record one folder at a time (a large output has a line per message,
    /// about 100 MB at 175,000 messages: it is never held whole). The build line, then
    /// one line per folder, in id order: `ID`, the content hash, then each entry as
    /// `name/type/size/modified/changed/inode`, separated by tabs. An unchanged file is
    /// left untouched.
    final class Writer {
        private let file: FileIO.ReplacingWriter
        private var buffer: [UInt8] = []
        private var last: String?

        init(_ url: URL, build: String = FolderStats.build) {
            file = FileIO.ReplacingWriter(url)
            buffer.reserveCapacity(1 << 16)
            buffer += (FolderStats.header + "\n" + "build\t" + build + "\n").utf8
        }

        /// Adds a folder; ids must come in ascending byte order.
        func add(_ id: String, contentHash: String, entries: [Entry]) throws {
            precondition(last.map { $0.precedesByCodePoint(id) } ?? true, "folder-stats: ids out of order")
            last = id
            buffer += id.utf8
            buffer.append(UInt8(ascii: "\t"))
            buffer += contentHash.utf8
            // As bytes, without interpolation: several numbers per file, a line per message.
            for e in entries {
                buffer.append(0x09)
                buffer += e.name.utf8
                for n in [Int64(e.type), e.size, e.modified, e.changed] {
                    buffer.append(0x2F)
                    buffer += String(n).utf8
                }
                buffer.append(0x2F)
                buffer += String(e.inode).utf8
            }
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 16 { try flush() }
        }

        func finish() throws {
            try flush()
            try file.finish()
        }

        private func flush() throws {
            try file.append(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// The record; nil when there is none or it cannot be read (then every folder is
    /// read back, and a new record written).
    static func read(_ url: URL) -> FolderStats? {
        guard let bytes = FileIO.readBytes(url) else { return nil }
        // Read byte by byte: the record of a large output has a line per message.
        return bytes.withUnsafeBufferPointer { b -> FolderStats? in
            var lines: [Range<Int>] = []
            var from = 0
            for i in 0..<b.count where b[i] == UInt8(ascii: "\n") {
                if i > from { lines.append(from..<i) }
                from = i + 1
            }
            if b.count > from { lines.append(from..<b.count) }
            func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }
            guard lines.count >= 2, text(lines[0]) == header else { return nil }
            let build = text(lines[1])
            guard build.hasPrefix("build\t") else { return nil }
            var stats = FolderStats()
            stats.build = String(build.dropFirst(6))
            stats.folders.reserveCapacity(lines.count - 2)
            for line in lines.dropFirst(2) {
                let fields = Self.split(b, line, UInt8(ascii: "\t"))
                guard fields.count >= 2 else { return nil }
                var entries: [Entry] = []
                entries.reserveCapacity(fields.count - 2)
                for field in fields.dropFirst(2) {
                    guard let entry = Self.entry(b, field) else { return nil }
                    entries.append(entry)
                }
                stats.folders[text(fields[0])] = Folder(contentHash: text(fields[1]), entries: entries)
            }
            return stats
        }
    }

    /// The pieces of `range` between `separator`s (empty ones too).
    private static func split(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ separator: UInt8) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var start = range.lowerBound
        for i in range where b[i] == separator {
            pieces.append(start..<i)
            start = i + 1
        }
        pieces.append(start..<range.upperBound)
        return pieces
    }

    /// `name/type/size/modified/changed/inode`.
    private static func entry(_ b: UnsafeBufferPointer<UInt8>, _ field: Range<Int>) -> Entry? {
        let parts = split(b, field, UInt8(ascii: "/"))
        guard parts.count == 6 else { return nil }
        func number(_ r: Range<Int>) -> Int64? {
            var i = r.lowerBound
            let negative = i < r.upperBound && b[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            guard i < r.upperBound else { return nil }
            var v: Int64 = 0
            while i < r.upperBound {
                let d = b[i] &- UInt8(ascii: "0")
                let (times, o1) = v.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int64(d))
                guard d < 10, !o1, !o2 else { return nil }
                v = sum
                i += 1
            }
            return negative ? -v : v
        }
        guard let type = number(parts[1]).flatMap(UInt32.init(exactly:)), let size = number(parts[2]), let modified = number(parts[3]),
              let changed = number(parts[4]), let inode = number(parts[5]).flatMap(UInt64.init(exactly:)) else { return nil }
        return Entry(name: String(decoding: UnsafeBufferPointer(rebasing: b[parts[0]]), as: UTF8.self), type: type, size: size,
                     modified: modified, changed: changed, inode: inode)
    }

    /// Whether a name can be written into the record (one field of one line).
    static func isRecordable(_ name: String) -> Bool {
        // By byte: "\r\n" is one Character, and equal to neither "\r" nor "\n".
        !name.isEmpty && !name.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x2F })
    }
}
