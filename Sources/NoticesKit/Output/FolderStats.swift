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
package struct FolderStats: Sendable {
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

    /// One folder as recorded, unpacked (to name what changed in a damaged folder).
    package struct Folder: Sendable, Equatable {
        /// The manifest's content hash of the message when the folder was recorded.
        var contentHash: String
        /// By name.
        var entries: [Entry]
    }

    /// The binary that wrote the record (`build`).
    var build = FolderStats.build
    /// Every folder, packed one after another in ascending id order (see `Packed`).
    /// A large output has a line per message: as a dictionary of Strings and arrays the
    /// record of 134,000 folders took 52 MB in about a million allocations; packed it is
    /// one array of about a third of that, which the allocator gives back when it goes.
    private var bytes: [UInt8] = []
    /// Where each folder starts in `bytes`, in id order.
    private var starts: [Int] = []

    /// How many folders are recorded.
    var count: Int { starts.count }

    /// The place of `id`'s folder in the record; nil when it has none. The ids are in
    /// ascending byte order (`read` refuses any other), so this is a binary search.
    func index(of id: String) -> Int? {
        var id = id
        return id.withUTF8 { key -> Int? in
            bytes.withUnsafeBufferPointer { b -> Int? in
                var low = 0, high = starts.count
                while low < high {
                    let mid = (low + high) / 2
                    var at = starts[mid]
                    let name = Packed.field(b, &at)
                    let order = Packed.compare(UnsafeBufferPointer(rebasing: b[name]), key)
                    if order == 0 { return mid }
                    if order < 0 { low = mid + 1 } else { high = mid }
                }
                return nil
            }
        }
    }

    /// Whether folder `i` was recorded with this content hash (any, when nil) and exactly
    /// these entries (names compared byte for byte), without unpacking it.
    func matches(_ i: Int, contentHash: String?, entries: [Entry]) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            var at = starts[i]
            _ = Packed.field(b, &at)
            let hash = Packed.field(b, &at)
            if var contentHash, !Packed.equal(b, hash, &contentHash) { return false }
            guard Int(Packed.number(b, &at)) == entries.count else { return false }
            var previous = Packed.Previous()
            for e in entries {
                let (name, type, size, modified, changed, inode) = Packed.entry(b, &at, &previous)
                var n = e.name
                guard type == e.type, size == e.size, modified == e.modified, changed == e.changed, inode == e.inode,
                      Packed.equal(b, name, &n) else { return false }
            }
            return true
        }
    }

    /// Folder `i`, unpacked.
    func folder(at i: Int) -> Folder {
        bytes.withUnsafeBufferPointer { b in
            func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }
            var at = starts[i]
            _ = Packed.field(b, &at)
            let hash = text(Packed.field(b, &at))
            let count = Int(Packed.number(b, &at))
            var previous = Packed.Previous()
            var entries: [Entry] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let (name, type, size, modified, changed, inode) = Packed.entry(b, &at, &previous)
                entries.append(Entry(name: text(name), type: type, size: size, modified: modified, changed: changed, inode: inode))
            }
            return Folder(contentHash: hash, entries: entries)
        }
    }

    /// `id`'s folder, unpacked; nil when the record has none.
    func folder(_ id: String) -> Folder? { index(of: id).map(folder(at:)) }

    /// Appends a folder; ids must come in ascending byte order.
    private mutating func append(_ id: UnsafeBufferPointer<UInt8>, contentHash: UnsafeBufferPointer<UInt8>,
                                 entries: [(name: UnsafeBufferPointer<UInt8>, type: UInt32, size: Int64, modified: Int64,
                                            changed: Int64, inode: UInt64)]) {
        starts.append(bytes.count)
        Packed.appendField(id, to: &bytes)
        Packed.appendField(contentHash, to: &bytes)
        Packed.appendNumber(UInt64(entries.count), to: &bytes)
        var previous = Packed.Previous()
        for e in entries {
            Packed.appendEntry(e.name, e.type, e.size, e.modified, e.changed, e.inode, &previous, to: &bytes)
        }
    }

    /// The packed form of the record in memory: per folder its id, content hash and
    /// entry count, then per entry its name, type, size and times and inode. Lengths
    /// and numbers are LEB128 varints; the numbers as differences (each entry's
    /// modification time and inode from the previous entry's, its change time from its
    /// own modification time, zigzag-coded), since a folder's files are written
    /// together: most take a byte or three where the text form takes ten to twenty.
    enum Packed {
        /// What an entry's numbers are coded against: the folder's previous entry.
        struct Previous {
            var modified: Int64 = 0
            var inode: UInt64 = 0
        }

        static func appendNumber(_ value: UInt64, to bytes: inout [UInt8]) {
            var v = value
            while v >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }

        /// A signed difference, zigzag-coded (small magnitudes take few bytes either way).
        static func appendDifference(_ value: Int64, to bytes: inout [UInt8]) {
            appendNumber(UInt64(bitPattern: (value << 1) ^ (value >> 63)), to: &bytes)
        }

        static func appendField(_ field: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
            appendNumber(UInt64(field.count), to: &bytes)
            bytes.append(contentsOf: field)
        }

        static func appendEntry(_ name: UnsafeBufferPointer<UInt8>, _ type: UInt32, _ size: Int64, _ modified: Int64, _ changed: Int64,
                                _ inode: UInt64, _ previous: inout Previous, to bytes: inout [UInt8]) {
            appendField(name, to: &bytes)
            appendNumber(UInt64(type), to: &bytes)
            appendDifference(size, to: &bytes)
            appendDifference(modified &- previous.modified, to: &bytes)
            appendDifference(changed &- modified, to: &bytes)
            appendDifference(Int64(bitPattern: inode &- previous.inode), to: &bytes)
            previous = Previous(modified: modified, inode: inode)
        }

        static func number(_ b: UnsafeBufferPointer<UInt8>, _ at: inout Int) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = b[at]
                at += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }

        static func difference(_ b: UnsafeBufferPointer<UInt8>, _ at: inout Int) -> Int64 {
            let z = number(b, &at)
            return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
        }

        /// The range of a length-prefixed field.
        static func field(_ b: UnsafeBufferPointer<UInt8>, _ at: inout Int) -> Range<Int> {
            let count = Int(number(b, &at))
            defer { at += count }
            return at..<at + count
        }

        static func entry(_ b: UnsafeBufferPointer<UInt8>, _ at: inout Int, _ previous: inout Previous)
            -> (name: Range<Int>, type: UInt32, size: Int64, modified: Int64, changed: Int64, inode: UInt64) {
            let name = field(b, &at)
            let type = UInt32(truncatingIfNeeded: number(b, &at))
            let size = difference(b, &at)
            let modified = previous.modified &+ difference(b, &at)
            let changed = modified &+ difference(b, &at)
            let inode = previous.inode &+ UInt64(bitPattern: difference(b, &at))
            previous = Previous(modified: modified, inode: inode)
            return (name, type, size, modified, changed, inode)
        }

        /// Byte order of two fields: negative, zero or positive, as memcmp.
        static func compare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
            let n = Swift.min(x.count, y.count)
            if n > 0 {
                let c = memcmp(x.baseAddress!, y.baseAddress!, n)
                if c != 0 { return Int(c) }
            }
            return x.count - y.count
        }

        /// Whether the field at `range` is `text`'s UTF-8 bytes.
        static func equal(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ text: inout String) -> Bool {
            text.withUTF8 { compare(UnsafeBufferPointer(rebasing: b[range]), $0) == 0 }
        }
    }

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
    /// read back, and a new record written), and when its ids are not in ascending
    /// order (the writer never leaves them otherwise).
    static func read(_ url: URL) -> FolderStats? {
        var stats = FolderStats()
        var line = 0
        var last: [UInt8] = []
        // Read a piece at a time, line by line: the record of a large output has a line
        // per message (95 MB at 134,000 messages), never held whole.
        let complete = FileIO.forEachLine(ofRegularFileAt: url.path) { b in
            defer { line += 1 }
            func text() -> String { String(decoding: b, as: UTF8.self) }
            switch line {
            case 0: return text() == header
            case 1:
                let build = text()
                guard build.hasPrefix("build\t") else { return false }
                stats.build = String(build.dropFirst(6))
                return true
            default:
                if b.isEmpty { return true }
                return stats.appendLine(b, after: &last)
            }
        }
        guard complete == true, line >= 2 else { return nil }
        return stats
    }

    /// Appends a folder's line (`ID`, the content hash, then `name/type/size/modified/
    /// changed/inode` per entry, separated by tabs); false when it is malformed or its
    /// id does not come after `last`.
    private mutating func appendLine(_ b: UnsafeBufferPointer<UInt8>, after last: inout [UInt8]) -> Bool {
        let fields = Self.split(b, 0..<b.count, UInt8(ascii: "\t"))
        guard fields.count >= 2 else { return false }
        let id = UnsafeBufferPointer(rebasing: b[fields[0]])
        guard starts.isEmpty || last.withUnsafeBufferPointer({ Packed.compare($0, id) < 0 }) else { return false }
        last = Array(id)
        var entries: [(name: UnsafeBufferPointer<UInt8>, type: UInt32, size: Int64, modified: Int64, changed: Int64, inode: UInt64)] = []
        entries.reserveCapacity(fields.count - 2)
        for field in fields.dropFirst(2) {
            guard let entry = Self.entry(b, field) else { return false }
            entries.append(entry)
        }
        append(id, contentHash: UnsafeBufferPointer(rebasing: b[fields[1]]), entries: entries)
        return true
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
    private static func entry(_ b: UnsafeBufferPointer<UInt8>, _ field: Range<Int>)
        -> (name: UnsafeBufferPointer<UInt8>, type: UInt32, size: Int64, modified: Int64, changed: Int64, inode: UInt64)? {
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
        return (UnsafeBufferPointer(rebasing: b[parts[0]]), type, size, modified, changed, inode)
    }

    /// Whether a name can be written into the record (one field of one line).
    static func isRecordable(_ name: String) -> Bool {
        // By byte: "\r\n" is one Character, and equal to neither "\r" nor "\n".
        !name.isEmpty && !name.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x2F })
    }
}
