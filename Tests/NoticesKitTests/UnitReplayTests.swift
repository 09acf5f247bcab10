import Foundation
import Testing
import TestSupport
@testable import NoticesKit

/// Render replays the units whose inputs did not change (OUT/.local/units): after every
/// kind of edit, OUT is byte for byte what the full path gives (the same OUT with every
/// cache deleted) and, while every message is a draft rendered at one time, what a fresh
/// render of the edited tree into an empty folder gives; the summary and warnings are
/// the same too.
@Suite struct UnitReplayTests {
    static let python = VenvPython.with("yaml")
    static let now = Timestamp(seconds: 1_795_939_200)

    /// A deterministic random source (the same edits every run).
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct Tree {
        let root: URL
        var rng = SplitMix(state: 17)
        var maintenances: URL { root.appendingPathComponent("events/maintenances/batch-000.yaml") }

        func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }
        func write(_ s: String, _ url: URL) throws { try Data(s.utf8).write(to: url) }

        /// The event blocks of the maintenance file: (id, line range), in file order.
        func blocks() throws -> (lines: [String], blocks: [(id: String, range: Range<Int>)]) {
            let lines = try text(maintenances).components(separatedBy: "\n")
            var starts: [(String, Int)] = []
            for (i, l) in lines.enumerated() where l.hasPrefix("- id: ") { starts.append((String(l.dropFirst(6)), i)) }
            let blocks = starts.enumerated().map { n, s in
                (id: s.0, range: s.1..<(n + 1 < starts.count ? starts[n + 1].1 : lines.count))
            }
            return (lines, blocks)
        }

        /// Events no other record names (safe to remove).
        func unreferenced() throws -> [String] {
            let all = try [maintenances, root.appendingPathComponent("events/extra-impacts.yaml")].map(text).joined()
            return try blocks().blocks.map(\.id).filter { id in !all.contains("replaces: \(id)") && !all.contains("maintenance: \(id)") }
        }

        /// Replaces the first line of a random event's block that starts with `prefix`.
        mutating func editLine(_ prefix: String, _ make: (String) -> String, only ids: [String]? = nil) throws -> String {
            var (lines, blocks) = try blocks()
            let candidates = blocks.filter { b in (ids?.contains(b.id) ?? true) && b.range.contains { lines[$0].hasPrefix(prefix) } }
            let block = try #require(candidates.randomElement(using: &rng))
            let i = block.range.first { lines[$0].hasPrefix(prefix) }!
            lines[i] = prefix + make(String(lines[i].dropFirst(prefix.count)))
            try write(lines.joined(separator: "\n"), maintenances)
            return block.id
        }
    }

    /// Every file under `dir` (relative path → bytes), without the machine-local records
    /// of inodes and times (folder record, manifest stamp) and the lock.
    static func files(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = dir.standardizedFileURL.path
        let walker = try #require(FileManager.default.enumerator(atPath: base))
        for case let rel as String in walker {
            guard rel != ".local/folder-stats", rel != ".local/manifest-stamp", rel != ".lock" else { continue }
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: base + "/" + rel, isDirectory: &isDir)
            if !isDir.boolValue { out[rel] = try Data(contentsOf: URL(fileURLWithPath: base + "/" + rel)) }
        }
        return out
    }

    static func expectSame(_ a: URL, _ b: URL, _ what: String) throws {
        let fa = try files(a), fb = try files(b)
        #expect(fa.keys.sorted() == fb.keys.sorted(), "\(what): file lists differ")
        for (name, data) in fa where fb[name] != nil && fb[name] != data {
            Issue.record("\(what): \(name) differs")
        }
    }

    func render(_ root: URL, out: URL, now: Timestamp = Self.now) throws -> RenderSummary {
        var o = RenderOptions()
        o.out = out
        o.now = now
        o.jobs = 2
        return try Render.run(root: root, options: o)
    }

    /// Renders the edited tree into OUT (the replay) and into a copy of OUT without its
    /// caches (the full path); both must agree in every byte, summary and warning.
    /// `fresh`: also against a render into an empty folder.
    func check(_ tree: Tree, _ what: String, work: URL, n: Int, now: Timestamp = Self.now, fresh: Bool = true,
               replays: Bool = true) throws {
        let out = work.appendingPathComponent("out"), full = work.appendingPathComponent("full-\(n)")
        try FileManager.default.copyItem(at: out, to: full)
        for cache in [".local/units", ".local/parsed", ".fingerprints", ".render-state", ".local/folder-stats"] {
            try? FileManager.default.removeItem(at: full.appendingPathComponent(cache))
        }
        let replayed = try render(tree.root, out: out, now: now)
        let expected = try render(tree.root, out: full, now: now)
        #expect(expected.replayedUnits == 0)
        if replays { #expect(replayed.replayedUnits > 20, "\(what): the replay was not taken") }
        #expect(replayed.line == expected.line, "\(what)")
        #expect(replayed.warnings == expected.warnings, "\(what)")
        #expect(replayed.withdrawn.map(\.id) == expected.withdrawn.map(\.id), "\(what)")
        try Self.expectSame(out, full, what)
        if fresh {
            let empty = work.appendingPathComponent("fresh-\(n)")
            let first = try render(tree.root, out: empty, now: now)
            #expect(first.warnings == replayed.warnings, "\(what): warnings of a fresh render")
            try Self.expectSame(out, empty, "\(what) (fresh render)")
        }
    }

    @Test(.enabled(if: python != nil && FileManager.default.fileExists(atPath: ShardTests.genTree), "needs .venv with pyyaml and gen_tree.py"))
    func everyKindOfEditRendersAsAFullRender() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let root = work.appendingPathComponent("tree")
        let gen = try VenvPython.run(Self.python!, path: ShardTests.genTree,
                                     ["--seed", "5", "--events", "60", "--impacts-per-event", "6", "--exercise-edges", root.path])
        try #require(gen.status == 0, Comment(rawValue: gen.output))
        var tree = Tree(root: root)
        let out = work.appendingPathComponent("out")
        _ = try render(root, out: out)
        var n = 0
        func step(_ what: String, now: Timestamp = Self.now, fresh: Bool = true, replays: Bool = true, _ edit: (inout Tree) throws -> Void) throws {
            n += 1
            try edit(&tree)
            try check(tree, what, work: work, n: n, now: now, fresh: fresh, replays: replays)
        }
        let levels = ["DEGRADED", "OUTAGE", "NO-IMPACT", "REDUCED-REDUNDANCY"]
        for round in 1...3 {
            try step("summary \(round)") { _ = try $0.editLine("  summary: ", { _ in "Edited summary \(round)" }) }
            try step("window \(round)") { _ = try $0.editLine("  end: ", { _ in "'2027-01-0\(round)T00:00:00Z'" }) }
            try step("impact \(round)") { t in
                _ = try t.editLine("    impact: ", { old in levels.first { $0 != old && !old.hasPrefix($0) } ?? "OUTAGE" })
            }
        }
        // Linked maintenances reach each other's objects (replaces / replaced_by).
        try step("summary of a replaced maintenance") { t in
            let named = try t.text(t.maintenances).components(separatedBy: "\n").filter { $0.hasPrefix("  replaces: ") }.map { String($0.dropFirst(12)) }
            _ = try t.editLine("  summary: ", { _ in "Replaced, edited" }, only: named)
        }
        try step("lines shift (a comment above every event)") { t in
            try t.write("# a comment\n" + t.text(t.maintenances), t.maintenances)
        }
        try step("add an event") { t in
            var (lines, blocks) = try t.blocks()
            let source = try #require(blocks.first)
            let copy = lines[source.range].filter { !$0.hasPrefix("  replaces: ") && !$0.isEmpty }
            lines += ["- id: M99990"] + copy.dropFirst()
            try t.write(lines.joined(separator: "\n") + "\n", t.maintenances)
            blocks = try t.blocks().blocks
            #expect(blocks.last?.id == "M99990")
        }
        try step("remove an event") { t in
            var (lines, blocks) = try t.blocks()
            let id = try #require(try t.unreferenced().randomElement(using: &t.rng))
            let block = try #require(blocks.first { $0.id == id })
            lines.removeSubrange(block.range)
            try t.write(lines.joined(separator: "\n"), t.maintenances)
        }
        try step("template edit", replays: false) { t in
            let url = t.root.appendingPathComponent("templates/maint-default.md")
            try t.write(t.text(url) + "\nEdited by a test.\n", url)
        }
        try step("contact edit", replays: false) { t in
            let url = t.root.appendingPathComponent("org/contacts/a.yaml")
            try t.write(t.text(url).replacingOccurrences(of: "c1@t-000.example.com", with: "edited@t-000.example.com"), url)
        }
        // A later --now: existing messages keep their time; a new event's messages get it.
        try step("changed --now, an edit", now: Timestamp(seconds: Self.now.seconds + 86_400), fresh: false) {
            _ = try $0.editLine("  summary: ", { _ in "Edited under a later now" })
        }
        // No edit: the whole-run shortcut answers.
        try step("changed --now, no edit", now: Timestamp(seconds: Self.now.seconds + 2 * 86_400), fresh: false, replays: false) { _ in }
        // Approved messages: the approval changes the manifest (every unit is planned
        // again), then an edit of its event makes a revision.
        let edited = Set(try tree.blocks().blocks.map(\.id))
        let ids = try OutputFolder(out).requireManifest().entries.filter { $0.event.map { edited.contains($0.id) } ?? false }.map(\.id)
        var approved: String?
        for id in ids where approved == nil {
            if (try? Lifecycle.run(.approve, .ids([id]), out: OutputFolder(out), at: nil, by: "tester", message: nil)) != nil { approved = id }
        }
        let id = try #require(approved)
        try step("after an approval", fresh: false, replays: false) { _ in }
        try step("edit of an approved message's event", fresh: false) { t in
            let entry = try #require(try OutputFolder(out).requireManifest().entries.first { $0.id == id })
            let event = try #require(entry.event?.id)
            _ = try t.editLine("  summary: ", { _ in "Edited after approval" }, only: [event])
        }
        #expect(try OutputFolder(out).requireManifest().entries.contains { $0.id == id + "--2" }, "the approved message has a revision")
        try step("an edit after a revision", fresh: false) { _ = try $0.editLine("  summary: ", { _ in "Edited at last" }) }
    }
}
