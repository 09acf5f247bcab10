import Foundation
import Testing
@testable import NoticesKit

/// OUT/.local/folder-stats: written as text, held packed in memory (FolderStats.Packed).
@Suite final class FolderStatsTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("folder-stats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    typealias Entry = FolderStats.Entry

    /// Folders whose numbers reach every corner of the packing: differences that go
    /// down as well as up, a change time before the modification time, negative times
    /// and sizes, the largest inode and times, names that are not ASCII.
    let folders: [(id: String, hash: String, entries: [Entry])] = [
        ("a", "h1", []),
        ("a--b", String(repeating: "f", count: 64), [
            Entry(name: "body.md", type: 0o100000, size: 120, modified: 1_796_208_882_722_708_626, changed: 1_796_208_882_722_708_626, inode: 812_345),
            Entry(name: "message.json", type: 0o100000, size: 0, modified: 1_796_208_882_000_000_000, changed: 1_796_208_883_000_000_000, inode: 12),
            Entry(name: "sub", type: 0o040000, size: 4096, modified: -5, changed: -1_000_000_007, inode: UInt64(Int64.max)),
            Entry(name: "zé", type: 0o120000, size: -1, modified: Int64.max, changed: -9_000_000_000_000_000_000, inode: 0),
        ]),
        ("maintenance-m00001--t-001", "h3", [Entry(name: "x", type: 0o100000, size: Int64.max, modified: 0, changed: 0, inode: 1)]),
    ]

    func write(_ folders: [(id: String, hash: String, entries: [Entry])], build: String = "b 1 2") throws -> URL {
        let url = dir.appendingPathComponent("folder-stats-\(UUID().uuidString)")
        let writer = FolderStats.Writer(url, build: build)
        for f in folders { try writer.add(f.id, contentHash: f.hash, entries: f.entries) }
        try writer.finish()
        return url
    }

    @Test func whatIsWrittenIsReadBack() throws {
        let stats = try #require(FolderStats.read(try write(folders)))
        #expect(stats.build == "b 1 2")
        #expect(stats.count == folders.count)
        for f in folders {
            let i = try #require(stats.index(of: f.id))
            #expect(stats.folder(at: i) == FolderStats.Folder(contentHash: f.hash, entries: f.entries))
            #expect(stats.matches(i, contentHash: f.hash, entries: f.entries))
            #expect(stats.matches(i, contentHash: nil, entries: f.entries))
            #expect(!stats.matches(i, contentHash: f.hash + "0", entries: f.entries))
        }
        for missing in ["", "0", "a-", "a--c", "b", "maintenance-m00001--t-0011"] { #expect(stats.index(of: missing) == nil) }
    }

    @Test func anyDifferenceInAnEntryIsSeen() throws {
        let stats = try #require(FolderStats.read(try write(folders)))
        let f = folders[1]
        let i = try #require(stats.index(of: f.id))
        let changes: [(inout Entry) -> Void] = [
            { $0.name += "x" }, { $0.type = 0o100000 + 1 }, { $0.size += 1 }, { $0.modified &+= 1 }, { $0.changed &-= 1 }, { $0.inode &+= 1 },
        ]
        for e in f.entries.indices {
            for change in changes {
                var entries = f.entries
                change(&entries[e])
                #expect(!stats.matches(i, contentHash: f.hash, entries: entries))
            }
        }
        #expect(!stats.matches(i, contentHash: f.hash, entries: Array(f.entries.dropLast())))
        #expect(!stats.matches(i, contentHash: f.hash, entries: f.entries + [f.entries[0]]))
    }

    /// The record is read a megabyte at a time: lines that cross the pieces, one longer
    /// than a piece, and a last line without its newline.
    @Test func longRecordsAreReadWhole() throws {
        var many: [(id: String, hash: String, entries: [Entry])] = []
        for n in 0..<20_000 {
            let entries = (0..<(n % 7)).map { k in
                Entry(name: "file-\(k).txt", type: 0o100000, size: Int64(n * k), modified: 1_700_000_000_000_000_000 + Int64(n * 1_000 + k),
                      changed: 1_700_000_000_000_000_000 + Int64(n), inode: UInt64(5_000_000 + n * 7 + k))
            }
            many.append((String(format: "message-%06d", n), String(n, radix: 16), entries))
        }
        let long = (0..<40_000).map { k in Entry(name: "n\(k)", type: 0o100000, size: 1, modified: 2, changed: 3, inode: UInt64(k)) }
        many.append(("zz-long", "h", long))
        let url = try write(many)
        let stats = try #require(FolderStats.read(url))
        #expect(stats.count == many.count)
        for f in many {
            let i = try #require(stats.index(of: f.id))
            #expect(stats.matches(i, contentHash: f.hash, entries: f.entries))
        }
        // Without the final newline: the same record.
        var bytes = try Data(contentsOf: url)
        bytes.removeLast()
        try bytes.write(to: url)
        let trimmed = try #require(FolderStats.read(url))
        #expect(trimmed.count == many.count)
        #expect(trimmed.folder("zz-long")?.entries == long)
    }

    /// A record that is not what the writer leaves counts as none: every folder is then
    /// read back (RepairTests), never trusted from a misread record.
    @Test func aMalformedOrUnorderedRecordIsNone() throws {
        let good = try String(contentsOf: try write(folders), encoding: .utf8)
        let lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var variants = [
            "",
            lines[0],
            "notices-folder-stats 2\n" + lines.dropFirst().joined(separator: "\n"),
            ([lines[0], "nobuild"] + lines.dropFirst(2)).joined(separator: "\n"),
            // Out of order, and the same id twice.
            ([lines[0], lines[1], lines[3], lines[2]] + lines.dropFirst(4)).joined(separator: "\n"),
            ([lines[0], lines[1], lines[2], lines[2]] + lines.dropFirst(3)).joined(separator: "\n"),
            good + "lonely-id\n",
        ]
        for broken in ["body.md/32768/120/1/2", "body.md/32768/120/1/2/3/4", "body.md/x/120/1/2/3", "body.md/32768/120/1/2/-3",
                       "body.md/32768/99999999999999999999/1/2/3"] {
            variants.append(good + "zzz\th\t" + broken + "\n")
        }
        for (n, text) in variants.enumerated() {
            let url = dir.appendingPathComponent("broken-\(n)")
            try Data(text.utf8).write(to: url)
            #expect(FolderStats.read(url) == nil, "variant \(n)")
        }
        #expect(FolderStats.read(dir.appendingPathComponent("absent")) == nil)
        // A header and build line alone: a record of no folders.
        let empty = dir.appendingPathComponent("empty")
        try Data((lines[0] + "\n" + lines[1] + "\n").utf8).write(to: empty)
        #expect(FolderStats.read(empty)?.count == 0)
    }

    @Test func aLinkIsNotFollowed() throws {
        let target = try write(folders)
        let link = dir.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        #expect(FolderStats.read(link) == nil)
    }
}
