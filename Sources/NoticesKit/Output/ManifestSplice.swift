import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A stamped manifest.json (ManifestStamp: exactly as notices wrote it) changed entry by
/// entry without reading the rest. The canonical form (SPEC §3.4, json.dumps with
/// indent 2) puts every message on lines of its own, from a line `    {` to a line
/// `    }`, in id order, and no string holds a raw newline; so a message is found by
/// binary search over the file's bytes, decoded alone, and the new file is the old
/// bytes with the changed messages spliced in: the same bytes as decoding everything
/// and writing it again, for the cost of the messages touched and one copy of the file.
///
/// The file is read in blocks as the search touches them; the new file is copied from
/// the old in the kernel where it can be. An entry that does not read back as exactly
/// its own bytes throws `NotCanonical`, and the caller reads the manifest whole instead.
package final class ManifestSplice {
    package struct NotCanonical: Error {}

    private let out: OutputFolder
    private let fd: Int32
    private let size: Int
    /// Where the first entry starts and the last one ends.
    private let listStart: Int, listEnd: Int
    /// The file's bytes where `loaded` says they were read (the rest is address space).
    private let buffer: UnsafeMutableRawBufferPointer
    private var loaded: [Bool]
    /// The file ended early while being read (someone else is writing it).
    private var shortRead = false
    private static let blockShift = 16

    /// An entry as it stands in the file: bytes `start..<end`, without separator.
    private struct Located {
        var start: Int
        var end: Int
        var entry: ManifestEntry
    }
    private var located: [String: Located] = [:]
    /// New entries by id; nil for removed ones.
    private var changes: [String: ManifestEntry?] = [:]

    private static let entryOpen = Array("\n    {\n".utf8)
    private static let entryClose = Array("\n    }".utf8)
    private static let idKey = Array("\n      \"id\": \"".utf8)
    private static let statusKey = Array("\n      \"status\": \"".utf8)

    /// OUT's manifest when it is stamped and holds at least one message; else nil (the
    /// caller reads it whole).
    package static func stamped(_ out: OutputFolder) -> ManifestSplice? {
        guard out.manifestIsAsStamped else { return nil }
        let fd = open(out.manifestURL.path, O_RDONLY | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0 else { Syscall.close(fd); return nil }
        let splice = ManifestSplice(out: out, fd: fd, size: Int(st.st_size))
        let head = Array(Manifest.head.utf8), tail = Array(Manifest.tail.utf8)
        guard splice.size > head.count + tail.count, splice.read(0..<head.count) == head,
              splice.read(splice.size - tail.count..<splice.size) == tail, !splice.shortRead else { return nil }
        return splice
    }

    private init(out: OutputFolder, fd: Int32, size: Int) {
        self.out = out
        self.fd = fd
        self.size = size
        listStart = Manifest.head.utf8.count
        listEnd = size - Manifest.tail.utf8.count
        buffer = .allocate(byteCount: max(size, 1), alignment: 16)
        loaded = [Bool](repeating: false, count: (size >> Self.blockShift) + 1)
    }

    deinit {
        Syscall.close(fd)
        buffer.deallocate()
    }

    // MARK: - Reading

    /// Makes `range` of the file readable in `buffer`.
    private func load(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        for block in (range.lowerBound >> Self.blockShift)...((range.upperBound - 1) >> Self.blockShift) where !loaded[block] {
            let start = block << Self.blockShift, end = min(size, start + (1 << Self.blockShift))
            var got = 0
            while start + got < end {
                let n = pread(fd, buffer.baseAddress! + start + got, end - start - got, off_t(start + got))
                if n <= 0 {
                    // What is missing reads as zero bytes, which match no entry.
                    memset(buffer.baseAddress! + start + got, 0, end - start - got)
                    shortRead = true
                    break
                }
                got += n
            }
            loaded[block] = true
        }
    }

    private func read(_ range: Range<Int>) -> [UInt8] {
        load(range)
        return Array(UnsafeRawBufferPointer(rebasing: buffer[range]))
    }

    /// Where `pattern` first occurs at or after `from`, ending by `limit`.
    private func find(_ pattern: [UInt8], from: Int, limit: Int) -> Int? {
        var pos = max(from, 0)
        let first = Int32(pattern[0])
        let base = buffer.baseAddress!
        while pos + pattern.count <= limit {
            // One block at a time, and the pattern's length into the next.
            let chunkEnd = min(limit, (((pos >> Self.blockShift) + 1) << Self.blockShift) + pattern.count - 1)
            load(pos..<chunkEnd)
            var i = pos
            while i + pattern.count <= chunkEnd, let hit = memchr(base + i, first, chunkEnd - pattern.count + 1 - i) {
                i = base.distance(to: UnsafeMutableRawPointer(hit))
                if pattern.withUnsafeBytes({ memcmp(base + i, $0.baseAddress!, pattern.count) }) == 0 { return i }
                i += 1
            }
            pos = chunkEnd - pattern.count + 1
        }
        return nil
    }

    /// The start of the first entry at or after byte `p`, or nil past the last.
    private func entryStart(atOrAfter p: Int) -> Int? {
        if p <= listStart { return listStart }
        guard let i = find(Self.entryOpen, from: p - 1, limit: listEnd) else { return nil }
        return i + 1
    }

    /// The text of the JSON string whose opening quote is just before `start`.
    private func string(at start: Int) throws -> [UInt8] {
        guard let close = find([UInt8(ascii: "\"")], from: start, limit: listEnd) else { throw NotCanonical() }
        load(start..<close)
        if memchr(buffer.baseAddress! + start, Int32(UInt8(ascii: "\\")), close - start) == nil { return read(start..<close) }
        // Escapes: find the quote no backslash escapes, and let the JSON reader decode.
        var end = start
        while true {
            guard end < listEnd else { throw NotCanonical() }
            load(end..<end + 1)
            if buffer[end] == UInt8(ascii: "\"") { break }
            end += buffer[end] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard case .success(.scalar(let s, true, _)) = DocumentParser.parseJSON(bytes: read(start - 1..<end + 1), file: "") else {
            throw NotCanonical()
        }
        return Array(s.utf8)
    }

    /// The UTF-8 id of the entry starting at `start`.
    private func id(at start: Int) throws -> [UInt8] {
        guard let key = find(Self.idKey, from: start - 1, limit: listEnd) else { throw NotCanonical() }
        return try string(at: key + Self.idKey.count)
    }

    /// The start of the first entry whose id is not below `target` (UTF-8 order, the
    /// manifest's order), or nil.
    private func lowerBound(_ target: [UInt8]) throws -> Int? {
        var lo = listStart, hi = listEnd
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            guard let s = entryStart(atOrAfter: mid) else { hi = mid; continue }
            if try id(at: s).lexicographicallyPrecedes(target) { lo = s + 1 } else { hi = mid }
        }
        return entryStart(atOrAfter: lo)
    }

    /// The entry starting at `start`, decoded, once it reads back as exactly its bytes.
    private func decode(at start: Int) throws -> Located {
        guard let close = find(Self.entryClose, from: start, limit: listEnd + 1) else { throw NotCanonical() }
        let end = close + Self.entryClose.count
        let bytes = read(start..<end)
        guard !shortRead, let entry = try? Manifest.entry(bytes, file: OutputFolder.manifestName) else { throw NotCanonical() }
        var again = ""
        Manifest.append(entry, to: &again)
        guard again.utf8.elementsEqual(bytes) else { throw NotCanonical() }
        let found = Located(start: start, end: end, entry: entry)
        located[entry.id] = found
        return found
    }

    /// The start of the entry after the one that ends at `end`; nil after the last.
    private func next(after end: Int) -> Int? { end < listEnd ? end + Manifest.separator.utf8.count : nil }

    /// Every entry's start, in order (for what needs them all: `--all`, a suggestion).
    private func allStarts() -> [Int] {
        var starts: [Int] = []
        var p = listStart
        while let s = entryStart(atOrAfter: p), s < listEnd {
            starts.append(s)
            p = s + 1
        }
        return starts
    }
}

extension ManifestSplice: LifecycleManifest {
    func entry(_ id: String) throws -> ManifestEntry? {
        if let changed = changes[id] { return changed }
        if let found = located[id] { return found.entry }
        let target = Array(id.utf8)
        guard let s = try lowerBound(target), s < listEnd, try self.id(at: s) == target else { return nil }
        return try decode(at: s).entry
    }

    func set(_ entry: ManifestEntry) { changes[entry.id] = .some(entry) }

    func remove(_ id: String) { changes[id] = .some(nil) }

    func ids(withStatus status: MessageStatus) throws -> [String] {
        var ids: [String] = []
        for s in allStarts() {
            guard let key = find(Self.statusKey, from: s - 1, limit: listEnd) else { throw NotCanonical() }
            if try string(at: key + Self.statusKey.count).elementsEqual(status.rawValue.utf8) {
                ids.append(String(decoding: try id(at: s), as: UTF8.self))
            }
        }
        return ids
    }

    func allIDs() throws -> [String] {
        try allStarts().map { String(decoding: try id(at: $0), as: UTF8.self) }.filter { id in
            if case .some(.none) = changes[id] { return false }
            return true
        }
    }

    /// Only the lineages of the touched messages can change (the rest of a stamped
    /// manifest is superseded already), so those are superseded as a small manifest of
    /// their own. A lineage's messages are `L` and `L--N` (MessageThread.id), which
    /// stand together in id order.
    func supersede(_ touched: [String], at now: Timestamp) throws -> [(id: String, supersededBy: String)] {
        var lineages = Set<String>()
        for id in touched { if let e = try entry(id), e.status.isPending { lineages.insert(e.lineage) } }
        guard !lineages.isEmpty else { return [] }
        var small = Manifest()
        for lineage in lineages {
            if let e = try entry(lineage), e.lineage == lineage { small.entries.append(e) }
            let prefix = lineage + "--"
            var p = try lowerBound(Array(prefix.utf8))
            while let s = p, s < listEnd {
                let found = try decode(at: s)
                guard found.entry.id.hasPrefix(prefix) else { break }
                if let e = try entry(found.entry.id), e.lineage == lineage { small.entries.append(e) }
                p = next(after: found.end)
            }
        }
        small.entries.sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        let done = Supersede.apply(&small, at: now)
        let withdrawn = Set(done.map(\.id))
        for e in small.entries where withdrawn.contains(e.id) { set(e) }
        return done
    }

    /// Writes the old bytes with the changes spliced in (temporary file, fsync, rename,
    /// as every manifest write), then stamps the result.
    func write() throws {
        guard !changes.isEmpty else { return }
        var edits: [(range: Range<Int>, text: String?)] = []
        for (id, change) in changes {
            let at = located[id]!
            if let e = change {
                var text = ""
                Manifest.append(e, to: &text)
                edits.append((at.start..<at.end, text))
            } else {
                // A removed entry takes the separator after it along.
                edits.append((at.start..<(next(after: at.end) ?? at.end), nil))
            }
        }
        edits.sort { $0.range.lowerBound < $1.range.lowerBound }
        // Removed entries that end the list take the separator before them instead.
        var i = edits.count - 1, runEnd = listEnd
        while i >= 0, edits[i].text == nil, edits[i].range.upperBound == runEnd {
            runEnd = edits[i].range.lowerBound
            i -= 1
        }
        if runEnd < listEnd {
            guard runEnd > listStart else { return try writeFile { try FileIO.writeAll($0, Data(Manifest.empty.utf8)) } }
            edits[i + 1].range = (runEnd - Manifest.separator.utf8.count)..<edits[i + 1].range.upperBound
        }
        try writeFile { target in
            var pos = 0
            for edit in edits {
                try copy(pos..<edit.range.lowerBound, to: target)
                if let text = edit.text { try FileIO.writeAll(target, Data(text.utf8)) }
                pos = edit.range.upperBound
            }
            try copy(pos..<size, to: target)
        }
    }

    /// Writes manifest.json atomically through `fill`, then stamps it.
    private func writeFile(_ fill: (Int32) throws -> Void) throws {
        let url = out.manifestURL
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
        let target = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard target >= 0 else { throw FileIO.posixError("cannot create \(tmp)") }
        do {
            try fill(target)
            guard fsync(target) == 0 else { throw FileIO.posixError("cannot write \(url.path)") }
        } catch {
            Syscall.close(target)
            unlink(tmp)
            throw error
        }
        Syscall.close(target)
        guard rename(tmp, url.path) == 0 else {
            unlink(tmp)
            throw FileIO.posixError("cannot move \(tmp) into place")
        }
        out.stampManifest()
    }

    /// Copies bytes of the old file into `target`: in the kernel where it can, else
    /// through memory.
    private func copy(_ range: Range<Int>, to target: Int32) throws {
        var offset = off_t(range.lowerBound)
        var left = range.count
        #if os(Linux)
        while left > 0 {
            let n = copyFileRange(fd, &offset, target, nil, left, 0)
            if n <= 0 { break }
            left -= n
        }
        #endif
        while left > 0 {
            let start = Int(offset), end = start + min(left, 1 << 20)
            load(start..<end)
            guard !shortRead else { throw DiagnosticsError([.error(nil, "\(out.manifestURL.path) changed while it was being written")]) }
            try FileIO.writeAll(target, Data(bytesNoCopy: buffer.baseAddress! + start, count: end - start, deallocator: .none))
            offset += off_t(end - start)
            left -= end - start
        }
    }
}

#if os(Linux)
/// copy_file_range(2), which the Glibc module does not export.
@_silgen_name("copy_file_range")
private func copyFileRange(_ input: Int32, _ inputOffset: UnsafeMutablePointer<off_t>?, _ output: Int32,
                           _ outputOffset: UnsafeMutablePointer<off_t>?, _ count: Int, _ flags: UInt32) -> Int
#endif
