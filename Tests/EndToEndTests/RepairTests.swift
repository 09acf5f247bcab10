import Foundation
import Testing
import TestSupport

/// `render` repairs OUT (SPEC §3.2): whatever was deleted, edited or added in
/// OUT/messages by hand, or which caches were removed, one render makes `check` pass
/// and leaves the same files as a render of the intact output.
@Suite struct RepairTests {
    /// The carrier example with its committed output (approved, sent and withdrawn
    /// messages, earlier revisions).
    static func carrier() throws -> TreeCopy {
        let tree = try TreeCopy("examples/carrier")
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("examples/carrier/out"), to: tree.root.appendingPathComponent("out"))
        return tree
    }

    /// Every file under `out` with its bytes, but the lock and the machine-local record.
    static func contents(_ out: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: out.path) else { return [:] }
        for case let path as String in walker where path != ".lock" && !path.hasPrefix(".local") {
            var isDir: ObjCBool = false
            let full = out.appendingPathComponent(path).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                files[path] = FileManager.default.contents(atPath: full)
            }
        }
        return files
    }

    static func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    @Test func everyKindOfDamageIsListedByCheckAndRepairedByRender() throws {
        let tree = try Self.carrier()
        defer { tree.remove() }
        let out = tree.root.appendingPathComponent("out")
        #expect(try CLI.run(["render", tree.root.path]).status == 0)
        let intact = Self.contents(out)
        let acme = "maintenance-zayo-2026-0142--acme"
        let fm = FileManager.default
        try fm.removeItem(at: out.appendingPathComponent("messages/\(acme)/body.txt"))
        try Self.write("Edited by hand", out.appendingPathComponent("messages/maintenance-zayo-2026-0142--globex/subject"))
        try fm.removeItem(at: out.appendingPathComponent("messages/outage-lumen-inc-5521--acme"))
        try fm.copyItem(at: out.appendingPathComponent("messages/\(acme)"), to: out.appendingPathComponent("messages/maintenance-zayo-2026-0142--hooli"))
        try Self.write("x", out.appendingPathComponent("messages/\(acme)/notes.txt"))
        // An extra file in a sent, earlier revision: removed, the rest is left alone.
        try Self.write("x", out.appendingPathComponent("messages/maintenance-lumen-2026-77--initech/.DS_Store"))
        for cache in [".fingerprints", ".render-state", ".local"] { try fm.removeItem(at: out.appendingPathComponent(cache)) }

        let check = try CLI.run(["check", tree.root.path])
        #expect(check.status == 1)
        for line in [
            "missing: messages/\(acme)/body.txt",
            "stale: messages/maintenance-zayo-2026-0142--globex/subject",
            "missing: messages/outage-lumen-inc-5521--acme/subject",
            "extra: messages/\(acme)/notes.txt",
            "extra: messages/maintenance-lumen-2026-77--initech/.DS_Store",
            "extra: messages/maintenance-zayo-2026-0142--hooli/subject",
        ] {
            #expect(check.stdout.contains(line + "\n"), Comment(rawValue: check.stdout))
        }
        #expect(check.stderr == "output is stale: run `notices render` and commit the result\n")

        let render = try CLI.run(["render", tree.root.path])
        #expect(render.status == 0, Comment(rawValue: render.stderr))
        #expect(render.stderr.contains("removed: messages/maintenance-zayo-2026-0142--hooli (no manifest entry names it)\n"), Comment(rawValue: render.stderr))
        #expect(render.stderr.contains("repaired: messages/outage-lumen-inc-5521--acme (changed or deleted by hand; written again)\n"))
        #expect(render.stderr.contains("repaired: messages/\(acme) (changed or deleted by hand; written again)\n"))
        // Files only taken out are reported as removed, not as written again.
        #expect(render.stderr.contains("removed: messages/\(acme)/notes.txt (not a file of the message)\n"))
        #expect(render.stderr.contains("removed: messages/maintenance-lumen-2026-77--initech/.DS_Store (not a file of the message)\n"))
        #expect(!render.stderr.contains("repaired: messages/maintenance-lumen-2026-77--initech"), Comment(rawValue: render.stderr))
        #expect(try CLI.run(["check", tree.root.path]).stdout == "up to date\n")
        let now = Self.contents(out)
        #expect(Set(now.keys).union(intact.keys).filter { now[$0] != intact[$0] }.sorted() == [])
        // Repaired, the tree is back on the fast path.
        #expect(try CLI.run(["render", tree.root.path]).stderr == "org/contacts.yaml:32:5: warning: contact 'frank-ito' has no email; left out of the recipients for tenant 'globex'\n")
    }

    /// Stray files in an intact folder (an earlier, sent revision here) are removed
    /// without rendering the folder again, and the report says so.
    @Test func strayFilesAreReportedAsRemoved() throws {
        let tree = try Self.carrier()
        defer { tree.remove() }
        let out = tree.root.appendingPathComponent("out")
        #expect(try CLI.run(["render", tree.root.path, "-q"]).status == 0)
        let old = "maintenance-lumen-2026-77--initech"
        try Self.write("x", out.appendingPathComponent("messages/\(old)/.DS_Store"))
        try Self.write("x", out.appendingPathComponent("messages/\(old)/notes/todo.txt"))
        try Self.write("x", out.appendingPathComponent("messages/\(old)--9/subject"))
        let render = try CLI.run(["render", tree.root.path, "--json"])
        #expect(render.status == 0)
        #expect(render.stderr == """
            org/contacts.yaml:32:5: warning: contact 'frank-ito' has no email; left out of the recipients for tenant 'globex'
            removed: messages/\(old)--9 (no manifest entry names it)
            removed: messages/\(old)/.DS_Store (not a file of the message)
            removed: messages/\(old)/notes (not a file of the message)

            """, Comment(rawValue: render.stderr))
        #expect(render.stdout == """
            {
              "new": 0,
              "orphaned": 0,
              "removed": 0,
              "removed_strays": [
                "messages/\(old)--9",
                "messages/\(old)/.DS_Store",
                "messages/\(old)/notes"
              ],
              "repaired": [],
              "revisions": 0,
              "unchanged": 21,
              "updated": 0,
              "warnings": 1,
              "withdrawn": []
            }

            """, Comment(rawValue: render.stdout))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("messages/\(old)").path).sorted()
                == ["body.html", "body.txt", "headers.json", "invite.ics", "message.eml", "message.json", "recipients.json", "subject"])
        #expect(try CLI.run(["check", tree.root.path]).stdout == "up to date\n")
    }

    /// A sent earlier revision cannot be rendered again (its data has changed since):
    /// render stops, names the file and says how to restore it; nothing is written.
    @Test func damageNoRenderCanUndoSaysHowToRestore() throws {
        let tree = try Self.carrier()
        defer { tree.remove() }
        let out = tree.root.appendingPathComponent("out")
        let old = "maintenance-lumen-2026-77--initech"
        // Rendered once here: the record of this copy names the file that changed.
        #expect(try CLI.run(["render", tree.root.path, "-q"]).status == 0)
        try Self.write("changed", out.appendingPathComponent("messages/\(old)/subject"))
        let before = Self.contents(out)
        let r = try CLI.run(["render", tree.root.path])
        #expect(r.status == 1)
        #expect(r.stderr == "error: \(out.path)/messages/\(old)/subject was deleted, changed or added, and no render can write \(old) again: "
                + "it is an earlier revision (the latest is \(old)--3); restore it from version control (git checkout -- \(out.path)/messages/\(old)) and render again\n",
                Comment(rawValue: r.stderr))
        #expect(Self.contents(out) == before)
        let check = try CLI.run(["check", tree.root.path])
        #expect(check.status == 1)
        #expect(check.stdout.contains("damaged: messages/\(old)/subject\n"), Comment(rawValue: check.stdout))
    }

    /// Random damage to OUT, seeded: render then check pass, and the files are those of
    /// the intact output.
    @Test func randomDamageIsRepaired() throws {
        let tree = try Self.carrier()
        defer { tree.remove() }
        let out = tree.root.appendingPathComponent("out")
        #expect(try CLI.run(["render", tree.root.path]).status == 0)
        let intact = Self.contents(out)
        // Outside ROOT: its JSON files would be read as data there.
        let pristine = FileManager.default.temporaryDirectory.appendingPathComponent("pristine-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: out, to: pristine)
        defer { try? FileManager.default.removeItem(at: pristine) }
        let manifest = try #require(try JSONSerialization.jsonObject(with: intact["manifest.json"]!) as? [String: Any])
        let entries = try #require(manifest["messages"] as? [[String: Any]])
        // Destructive damage only where a render writes the folder again: the newest
        // message of each lineage. Additions anywhere.
        var newest: [String: (Int, String)] = [:]
        for e in entries {
            let lineage = e["lineage"] as! String, sequence = e["sequence"] as! Int
            if (newest[lineage]?.0 ?? 0) < sequence { newest[lineage] = (sequence, e["id"] as! String) }
        }
        let renderable = newest.values.map(\.1).sorted()
        let all = entries.map { $0["id"] as! String }.sorted()
        var rng = SeededRandom(printingFor: "RepairTests.randomDamageIsRepaired")
        let fm = FileManager.default
        for round in 0..<12 {
            try? fm.removeItem(at: out)
            try fm.copyItem(at: pristine, to: out)
            var done: [String] = []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let id = renderable.randomElement(using: &rng)!
                let folder = out.appendingPathComponent("messages/\(id)")
                let names = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
                let file = names.randomElement(using: &rng).map { folder.appendingPathComponent($0) }
                switch Int.random(in: 0..<9, using: &rng) {
                case 0:
                    guard let file else { continue }
                    try? fm.removeItem(at: file)
                    done.append("delete \(file.lastPathComponent) of \(id)")
                case 1:
                    guard let file, let h = FileHandle(forWritingAtPath: file.path) else { continue }
                    let size = (try? h.seekToEnd()) ?? 0
                    try h.truncate(atOffset: UInt64.random(in: 0...size, using: &rng) / 2)
                    try h.close()
                    done.append("truncate \(file.lastPathComponent) of \(id)")
                case 2:
                    guard let file, let h = FileHandle(forWritingAtPath: file.path) else { continue }
                    _ = try h.seekToEnd()
                    h.write(Data("\nappended".utf8))
                    try h.close()
                    done.append("append to \(file.lastPathComponent) of \(id)")
                case 3:
                    try? fm.removeItem(at: folder)
                    done.append("delete folder \(id)")
                case 4:
                    let source = out.appendingPathComponent("messages/\(all.randomElement(using: &rng)!)")
                    try? fm.copyItem(at: source, to: out.appendingPathComponent("messages/\(id)--copy\(round)"))
                    done.append("copy a folder to \(id)--copy\(round)")
                case 5:
                    let any = all.randomElement(using: &rng)!
                    try Self.write("stray", out.appendingPathComponent("messages/\(any)/extra-\(round).txt"))
                    done.append("add a file to \(any)")
                case 6:
                    let cache = [".fingerprints", ".render-state", ".local/folder-stats", ".local"].randomElement(using: &rng)!
                    try? fm.removeItem(at: out.appendingPathComponent(cache))
                    done.append("delete \(cache)")
                case 7:
                    // Same bytes, new times: read back, found sound, left alone.
                    guard let file else { continue }
                    try fm.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1)], ofItemAtPath: file.path)
                    done.append("touch \(file.lastPathComponent) of \(id)")
                default:
                    guard let file else { continue }
                    try? fm.removeItem(at: file)
                    try fm.createDirectory(at: file, withIntermediateDirectories: true)
                    done.append("a folder in place of \(file.lastPathComponent) of \(id)")
                }
            }
            let render = try CLI.run(["render", tree.root.path])
            #expect(render.status == 0, "round \(round) \(done): \(render.stderr)")
            let check = try CLI.run(["check", tree.root.path])
            #expect(check.status == 0 && check.stdout == "up to date\n", "round \(round) \(done): \(check.stdout)\(check.stderr)")
            let now = Self.contents(out)
            let differing = Set(now.keys).union(intact.keys).filter { now[$0] != intact[$0] }.sorted()
            #expect(differing.isEmpty, "round \(round) \(done): differs from the intact output: \(differing.prefix(5))")
        }
    }
}
