import Crypto
import Foundation

/// `OUT/.local/parsed/`: the document trees of the tree's YAML data files as the last
/// render parsed them, one small binary file per data file, so a render after a
/// one-event edit parses only the files that changed (issue 17, item 2: YAML parsing was
/// the largest part of such a render). An entry is used only for the same path, the same
/// bytes (SHA-256) and the same build of notices, and only when its own SHA-256 (its
/// last 32 bytes) vouches for it; anything else, or an entry that does not decode, is a
/// miss and the file is parsed as usual. Only successful parses are
/// kept, so every diagnostic still comes from the parser. Machine-local like the other
/// records in `.local`: deleting it only costs time.
package struct ParseCache: Sendable {
    static let header = "notices-parsed 1"
    /// Deeper than any tree the YAML parser hands over in practice; a deeper entry is a miss.
    static let maxDepth = 10_000

    /// The folder of entries (`OUT/.local/parsed`).
    let folder: URL

    /// An entry to write after a successful render: the file it belongs to and its bytes.
    package struct Entry: Sendable {
        var name: String
        var bytes: [UInt8]
    }

    /// The entry's file name for a data file: its path's SHA-256 (paths can be long and
    /// hold any character).
    static func name(of file: String) -> String {
        var h = SHA256()
        h.add(file)
        return Hex.string(h.finalize().prefix(16))
    }

    /// The documents of `file` whose bytes are `data`: from the cache when it holds them,
    /// else parsed (and then, when the parse succeeded, the entry to keep).
    func parse(data: Data, file: String) -> (RecordDecoder.Parsed, Entry?) {
        let digest = Self.digest(data)
        let name = Self.name(of: file)
        if let bytes = FileIO.regularBytes(atPath: folder.appendingPathComponent(name).path),
           let docs = Self.decode(bytes, file: file, digest: digest) {
            return (.success(docs), nil)
        }
        let parsed = RecordDecoder.parse(data: data, file: file)
        guard case .success(let docs) = parsed else { return (parsed, nil) }
        return (parsed, Entry(name: name, bytes: Self.encode(docs, file: file, digest: digest)))
    }

    /// Writes the new entries and removes those of files that are no longer data files
    /// (`keep`: every YAML data file's entry name). After a successful render, under
    /// OUT's lock.
    func write(_ entries: [Entry], keep: Set<String>) throws {
        for entry in entries {
            try FileIO.writeAtomically(Data(entry.bytes), to: folder.appendingPathComponent(entry.name, isDirectory: false))
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where !keep.contains(name) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name, isDirectory: false))
        }
    }

    // MARK: - The entry format

    static func digest(_ data: Data) -> [UInt8] { Array(SHA256.hash(data: data)) }

    /// The first line names the format, then the build, the file and the hex SHA-256 of
    /// its bytes, each on a line; then the documents: a count, then each node as a kind
    /// byte (0 plain scalar, 1 quoted scalar, 2 mapping, 3 list), its line and column,
    /// and its text or its children. Numbers are LEB128 varints. Last, the SHA-256 of
    /// all that (a damaged text byte would otherwise decode to another tree).
    static func encode(_ docs: [DataNode], file: String, digest: [UInt8]) -> [UInt8] {
        var out = Array("\(header)\n\(FolderStats.build)\n\(file)\n\(Hex.string(digest))\n".utf8)
        putNumber(docs.count, &out)
        for doc in docs { put(doc, &out) }
        out += SHA256.hash(data: out)
        return out
    }

    private static func put(_ node: DataNode, _ out: inout [UInt8]) {
        func place(_ kind: UInt8, _ l: SourceLocation) {
            out.append(kind)
            putNumber(l.line, &out)
            putNumber(l.column, &out)
        }
        switch node {
        case .scalar(let text, let quoted, let l):
            place(quoted ? 1 : 0, l)
            var text = text
            text.withUTF8 { bytes in
                putNumber(bytes.count, &out)
                out.append(contentsOf: bytes)
            }
        case .mapping(let pairs, let l):
            place(2, l)
            putNumber(pairs.count, &out)
            for (k, v) in pairs {
                put(k, &out)
                put(v, &out)
            }
        case .sequence(let items, let l):
            place(3, l)
            putNumber(items.count, &out)
            for item in items { put(item, &out) }
        }
    }

    private static func putNumber(_ n: Int, _ out: inout [UInt8]) {
        var v = UInt(max(0, n))
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// The documents of an entry, or nil when it is not an entry of this build for this
    /// file and these bytes, or does not decode to the end.
    static func decode(_ bytes: [UInt8], file: String, digest: [UInt8]) -> [DataNode]? {
        let head = Array("\(header)\n\(FolderStats.build)\n\(file)\n\(Hex.string(digest))\n".utf8)
        let sealed = bytes.count - SHA256.byteCount
        guard sealed >= head.count, bytes.starts(with: head),
              SHA256.hash(data: bytes[..<sealed]).elementsEqual(bytes[sealed...]) else { return nil }
        let body = Array(bytes[..<sealed])
        var reader = Reader(bytes: body, position: head.count, file: file)
        guard let count = reader.number(), count <= body.count else { return nil }
        var docs: [DataNode] = []
        docs.reserveCapacity(count)
        for _ in 0..<count {
            guard let doc = reader.node(depth: 0) else { return nil }
            docs.append(doc)
        }
        return reader.position == body.count ? docs : nil
    }

    private struct Reader {
        let bytes: [UInt8]
        var position: Int
        let file: String

        mutating func number() -> Int? {
            var value = 0, shift = 0
            while position < bytes.count, shift < 63 {
                let b = bytes[position]
                position += 1
                value |= Int(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
            }
            return nil
        }

        mutating func node(depth: Int) -> DataNode? {
            guard depth < ParseCache.maxDepth, position < bytes.count else { return nil }
            let kind = bytes[position]
            position += 1
            guard let line = number(), let column = number(), let count = number() else { return nil }
            let location = SourceLocation(file: file, line: line, column: column)
            // Every element takes at least one byte: a count past the end is damage.
            guard count <= bytes.count - position else { return nil }
            switch kind {
            case 0, 1:
                let text = String(decoding: bytes[position..<position + count], as: UTF8.self)
                position += count
                return .scalar(text, quoted: kind == 1, location)
            case 2:
                var pairs: [(key: DataNode, value: DataNode)] = []
                pairs.reserveCapacity(count)
                for _ in 0..<count {
                    guard let k = node(depth: depth + 1), let v = node(depth: depth + 1) else { return nil }
                    pairs.append((k, v))
                }
                return .mapping(pairs, location)
            case 3:
                var items: [DataNode] = []
                items.reserveCapacity(count)
                for _ in 0..<count {
                    guard let item = node(depth: depth + 1) else { return nil }
                    items.append(item)
                }
                return .sequence(items, location)
            default:
                return nil
            }
        }
    }
}
