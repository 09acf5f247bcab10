import Foundation
import Testing
@testable import NoticesKit

@Suite final class FileIOTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("replacing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Writes `pieces` through a writer over a file that holds `old` (nil: no file);
    /// returns whether it reported a change, the file's bytes after, and whether the
    /// file is still the same inode.
    func run(old: String?, pieces: [String], dryRun: Bool = false) throws -> (changed: Bool, after: String?, sameInode: Bool) {
        let url = dir.appendingPathComponent("f-\(UUID().uuidString)")
        if let old { try Data(old.utf8).write(to: url) }
        let before = try? FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int
        let changed: Bool
        if dryRun {
            // Comparing only: `check` tells whether the manifest would change.
            let comparison = FileIO.StreamComparison(url)
            for p in pieces { try comparison.append(Data(p.utf8)) }
            changed = comparison.finish()
        } else {
            let writer = FileIO.ReplacingWriter(url)
            for p in pieces { try writer.append(Data(p.utf8)) }
            changed = try writer.finish()
        }
        let after = FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) }
        let inode = try? FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
        return (changed, after, before != nil && before == inode)
    }

    @Test func equalBytesLeaveTheFileAlone() throws {
        let r = try run(old: "abcdef", pieces: ["ab", "", "cd", "ef"])
        #expect(r.changed == false && r.after == "abcdef" && r.sameInode)
    }

    @Test func aDifferenceReplacesTheFileKeepingTheEqualPrefix() throws {
        let r = try run(old: "abcdef", pieces: ["ab", "cX", "ef"])
        #expect(r.changed && r.after == "abcXef" && !r.sameInode)
    }

    @Test func shorterAndLongerContent() throws {
        let shorter = try run(old: "abcdef", pieces: ["abc"])
        #expect(shorter.changed && shorter.after == "abc")
        let longer = try run(old: "abc", pieces: ["abc", "def"])
        #expect(longer.changed && longer.after == "abcdef")
    }

    @Test func aMissingFileIsCreated() throws {
        let r = try run(old: nil, pieces: ["new", " file"])
        #expect(r.changed && r.after == "new file")
        let empty = try run(old: nil, pieces: [])
        #expect(empty.changed && empty.after == "")
    }

    @Test func dryRunTellsButWritesNothing() throws {
        let changed = try run(old: "abcdef", pieces: ["abcXef"], dryRun: true)
        #expect(changed.changed && changed.after == "abcdef" && changed.sameInode)
        let same = try run(old: "abcdef", pieces: ["abc", "def"], dryRun: true)
        #expect(same.changed == false)
        let missing = try run(old: nil, pieces: ["x"], dryRun: true)
        #expect(missing.changed && missing.after == nil)
    }

    @Test func streamedManifestHasTheBytesOfTheWholeDump() throws {
        // More than one 64 KiB piece.
        let entries = (0..<400).map { i in
            ManifestEntry(id: "maintenance-m\(i)-acme", lineage: "maintenance-m\(i)-acme", sequence: 1, status: .draft, template: "t",
                          event: EventRef(kind: .maintenance, id: "m\(i)"), tenant: "acme", target: nil,
                          contentHash: String(repeating: "ab", count: 32), renderedAt: Timestamp(seconds: 0))
        }.reversed()
        let manifest = Manifest(entries: Array(entries))
        var pieces = 0
        manifest.write { _ in pieces += 1 }
        #expect(pieces > 1)
        let sorted = manifest.entries.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        let whole = JSONValue.object([("format", .int(1)), ("messages", .array(sorted.map(\.json)))]).pythonDumps() + "\n"
        #expect(String(decoding: manifest.serialized(), as: UTF8.self) == whole)
    }
}
