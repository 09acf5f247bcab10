import Foundation
import Testing
import TestSupport

/// Sharded rendering (SPEC §3.6): N `render --shard I/N` parts merged with `merge` give
/// the output folder of one unsharded `render`, byte for byte, on generated trees with
/// the edge cases on and a base output that holds approved, sent and failed messages —
/// so the pass makes new messages, updates drafts, revises approved ones (withdrawing
/// the pending ones they supersede), removes drafts and orphans what left the data.
@Suite(.serialized) struct ShardTests {
    static let python = VenvPython.with("yaml")
    static let genTree = CLI.repoRoot.appendingPathComponent("../shared/bench/gen_tree.py").standardizedFileURL.path
    static let ready = python != nil && FileManager.default.fileExists(atPath: genTree)
    static let firstNow = "2026-11-20T08:00:00Z", now = "2026-12-01T09:00:00Z"
    /// `now` for check, which takes it from SOURCE_DATE_EPOCH.
    static let nowEnv = ["SOURCE_DATE_EPOCH": "1796115600"]

    /// A generated tree rendered once into `base`, with a lifecycle on top (every
    /// message with recipients approved; of those, some sent, some sent then failed),
    /// then edited: summaries changed (revisions, updated drafts), events deleted
    /// (removed drafts, orphans), notify: false set, a standalone message dropped, an
    /// event added.
    struct Scenario {
        let work: URL
        var tree: URL { work.appendingPathComponent("tree") }
        var base: URL { work.appendingPathComponent("base") }

        init(seed: Int, events: Int) throws {
            work = FileManager.default.temporaryDirectory.appendingPathComponent("shard-\(UUID().uuidString)")
            let gen = try VenvPython.run(ShardTests.python!, path: ShardTests.genTree,
                                         ["--seed", "\(seed)", "--events", "\(events)", "--impacts-per-event", "4", "--exercise-edges",
                                          "--html-bodies", work.appendingPathComponent("tree").path])
            try #require(gen.status == 0, Comment(rawValue: gen.output))
            let first = try CLI.run(["render", tree.path, "--out", base.path, "--now", ShardTests.firstNow, "-q"])
            try #require(first.status == 0, Comment(rawValue: first.stderr))
            // Exit 1: messages without recipients are skipped.
            let approve = try CLI.run(["approve", "--all", "--status", "draft", "--root", tree.path, "--out", base.path, "--by", "tester"])
            let approved = approve.stdout.split(separator: "\n").compactMap { $0.hasSuffix(": ready") ? String($0.dropLast(7)) : nil }.sorted()
            try #require(approved.count > 20, Comment(rawValue: approve.stdout + approve.stderr))
            let sent = approved.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
            let failed = sent.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            for (ids, status) in [(sent, "sent"), (failed, "failed")] {
                let r = try CLI.run(["mark"] + ids + [status, "--root", tree.path, "--out", base.path])
                try #require(r.status == 0, Comment(rawValue: r.stderr))
            }
            let edit = try VenvPython.run(ShardTests.python!, path: "-c", [Self.editScript, tree.path])
            try #require(edit.status == 0, Comment(rawValue: edit.output))
        }

        func remove() { try? FileManager.default.removeItem(at: work) }

        /// Edits the generated tree line by line (its YAML is not rewritten, so every
        /// scalar stays as gen_tree.py wrote it).
        static let editScript = #"""
import re, sys, os
root = sys.argv[1]
everything = "".join(open(os.path.join(d, f), encoding="utf-8", errors="replace").read()
                     for d, _, fs in os.walk(root) for f in fs)
def records(path):
    text = open(path, encoding="utf-8").read()
    head, *items = re.split(r"(?m)^(?=- id: )", text)
    return head, items
for kind, path in [("m", "events/maintenances/batch-000.yaml"), ("o", "events/outages/batch-000.yaml")]:
    path = os.path.join(root, path)
    head, items = records(path)
    kept = []
    for n, item in enumerate(items):
        key = item.split("\n", 1)[0][len("- id: "):].strip()
        if n % 5 == 1 and len(re.findall(r"\b" + re.escape(key) + r"\b", everything)) == 1:
            continue                      # deleted: drafts go, approved ones are orphaned
        if n % 3 == 0:                    # changed: drafts updated, approved ones revised
            item = re.sub(r"(?m)^(  summary: )(.*)$", lambda m: m.group(1) + "'" + m.group(2).strip("'").replace("'", "''") + " (moved)'", item, count=1)
        if kind == "m" and n % 7 == 2:    # no longer notified
            item = item.replace("\n", "\n  notify: false\n", 1)
        kept.append(item)
    if kind == "m":
        kept.append(items[0].replace("- id: M00000", "- id: M-NEW-1", 1))
    open(path, "w", encoding="utf-8").write(head + "".join(kept))
path = os.path.join(root, "notices/messages.yaml")
head, items = records(path)
open(path, "w", encoding="utf-8").write(head + "".join(items[1:]))
"""#
    }

    /// Relative path → bytes of every file under `out` but the machine-local record of
    /// folder stats (inodes, times) and the lock.
    static func files(_ out: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: out.path) ?? FileManager.DirectoryEnumerator() {
            let attrs = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(path).path)
            // OUT/.local holds machine-local records (folder stats, the manifest's stamp).
            guard attrs[.type] as? FileAttributeType == .typeRegular, !path.hasPrefix(".local/"), ![".folder-stats", ".lock"].contains(path) else { continue }
            found[path] = try Data(contentsOf: out.appendingPathComponent(path))
        }
        return found
    }

    static func copy(_ from: URL, _ to: URL) throws { try FileManager.default.copyItem(at: from, to: to) }

    @Test(.enabled(if: ready, "needs .venv with pyyaml (bash .ci/run makes it) and ../shared/bench/gen_tree.py"))
    func mergedPartsAreTheBytesOfOneRender() throws {
        let s = try Scenario(seed: 3, events: 48)
        defer { s.remove() }
        let full = s.work.appendingPathComponent("full")
        try Self.copy(s.base, full)
        let render = try CLI.run(["render", s.tree.path, "--out", full.path, "--now", Self.now])
        try #require(render.status == 0, Comment(rawValue: render.stderr))
        // The pass does everything a render can do to OUT.
        let summary = render.stdout
        for part in [#"^[1-9]\d* new"#, #", [1-9]\d* updated"#, #", [1-9]\d* revisions"#, #", [1-9]\d* removed"#, #", [1-9]\d* orphaned"#] {
            #expect(summary.range(of: part, options: .regularExpression) != nil, Comment(rawValue: summary))
        }
        #expect(render.stderr.contains("withdrawn: "), Comment(rawValue: render.stderr))
        let manifest = String(decoding: try Data(contentsOf: full.appendingPathComponent("manifest.json")), as: UTF8.self)
        for status in ["draft", "ready", "sent", "failed", "withdrawn"] { #expect(manifest.contains("\"status\": \"\(status)\"")) }
        let expected = try Self.files(full)
        #expect(expected[".render-state"] != nil && expected[".fingerprints"] != nil)

        // check --shard: the union of the shards' reports is the full check's.
        let fullCheck = try CLI.run(["check", s.tree.path, "--out", s.base.path], env: Self.nowEnv)
        #expect(fullCheck.status == 1)
        let items = Set(fullCheck.stdout.split(separator: "\n"))
        #expect(items.count > 50 && items.contains("stale: manifest.json") && items.contains { $0.hasPrefix("extra: ") })
        var union = Set<Substring>()
        for i in 1...3 {
            let r = try CLI.run(["check", s.tree.path, "--out", s.base.path, "--shard", "\(i)/3"], env: Self.nowEnv)
            #expect(r.status == 1)
            let mine = Set(r.stdout.split(separator: "\n"))
            #expect(mine.count < items.count, "shard \(i)/3 checks only its own")
            union.formUnion(mine)
        }
        #expect(union == items)
        for i in 1...3 {
            let r = try CLI.run(["check", s.tree.path, "--out", full.path, "--shard", "\(i)/3"])
            #expect(r.stdout == "up to date\n", "shard \(i)/3: \(r.stdout)")
        }

        for n in [1, 2, 3, 7] {
            let out = s.work.appendingPathComponent("merged-\(n)")
            try Self.copy(s.base, out)
            var parts: [String] = []
            for i in 1...n {
                let part = s.work.appendingPathComponent("parts-\(n)/\(i)").path
                let r = try CLI.run(["render", s.tree.path, "--shard", "\(i)/\(n)", "--out", part, "--base", out.path, "--now", Self.now, "-q"])
                try #require(r.status == 0, Comment(rawValue: r.stderr))
                parts.append(part)
            }
            // The parts in any order.
            let merge = try CLI.run(["merge"] + parts.reversed() + ["--out", out.path])
            try #require(merge.status == 0, Comment(rawValue: merge.stderr))
            #expect(merge.stdout == render.stdout, "N=\(n)")
            #expect(merge.stderr == render.stderr, "N=\(n)")
            let got = try Self.files(out)
            let differing = Set(expected.keys).union(got.keys).filter { expected[$0] != got[$0] }.sorted()
            #expect(differing.isEmpty, "N=\(n): \(differing.count) files differ: \(differing.prefix(8))")
            let check = try CLI.run(["check", s.tree.path, "--out", out.path])
            #expect(check.stdout == "up to date\n", "N=\(n)")
        }
    }

    /// Parts that do not belong together, damaged parts and an OUT that changed since the
    /// shards read it are refused with a message naming why, and nothing is written.
    @Test(.enabled(if: ready, "needs .venv with pyyaml (bash .ci/run makes it) and ../shared/bench/gen_tree.py"))
    func mergeRefusesPartsThatDoNotBelongTogether() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("shard-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let tree = work.appendingPathComponent("tree"), out = work.appendingPathComponent("out")
        let gen = try VenvPython.run(Self.python!, path: Self.genTree, ["--seed", "5", "--events", "12", "--impacts-per-event", "3", tree.path])
        try #require(gen.status == 0, Comment(rawValue: gen.output))
        func part(_ name: String, _ shard: String, now: String = Self.now, base: URL? = nil) throws -> String {
            let path = work.appendingPathComponent(name).path
            let r = try CLI.run(["render", tree.path, "--shard", shard, "--out", path, "--base", (base ?? out).path, "--now", now, "-q"])
            try #require(r.status == 0, Comment(rawValue: r.stderr))
            return path
        }
        func refused(_ parts: [String], _ message: String) throws {
            let r = try CLI.run(["merge"] + parts + ["--out", out.path])
            #expect(r.status == 1, Comment(rawValue: r.stdout))
            #expect(r.stderr.contains(message), Comment(rawValue: r.stderr))
            #expect(r.stdout.isEmpty)
        }
        let p1 = try part("p1", "1/3"), p2 = try part("p2", "2/3"), p3 = try part("p3", "3/3")
        try refused([p1, p2], "error: shard 3/3 is missing: no part of it was given")
        try refused([p1, p2, p3, p2], "error: shard 2/3 was given 2 times: \(p2), \(p2)")
        try refused([p1, p2, try part("q3", "3/4")], "error: \(work.path)/q3 is shard 3/4 but \(p1) is shard 1/3: parts of one render share N")
        try refused([p1, p2, try part("later", "3/3", now: "2026-12-01T10:00:00Z")],
                    "error: \(work.path)/later was rendered with now 2026-12-01T10:00:00Z but \(p1) with 2026-12-01T09:00:00Z")
        try refused([p1, p2, work.appendingPathComponent("nowhere").path], "error: \(work.path)/nowhere: damaged part: no such folder")
        // Nothing was written: OUT does not exist yet.
        #expect(!FileManager.default.fileExists(atPath: out.path))

        // A part rendered against another base manifest.
        let other = work.appendingPathComponent("other")
        #expect(try CLI.run(["render", tree.path, "--out", other.path, "--now", Self.now, "-q"]).status == 0)
        try refused([p1, p2, try part("o3", "3/3", base: other)], "was rendered against a different base manifest than \(p1)")

        // Damaged parts: a message file, the part's description.
        let damaged = work.appendingPathComponent("damaged")
        try FileManager.default.copyItem(atPath: p2, toPath: damaged.path)
        let messages = try FileManager.default.contentsOfDirectory(atPath: damaged.path + "/messages").sorted()
        try Data("edited".utf8).write(to: damaged.appendingPathComponent("messages/\(messages[0])/subject"))
        try refused([p1, damaged.path, p3], "error: \(damaged.path): damaged part: the files of messages/\(messages[0]) were changed after the part was written")
        try Data("{}".utf8).write(to: damaged.appendingPathComponent("part.json"))
        try refused([p1, damaged.path, p3], "error: \(damaged.path): damaged part: part.json was changed after the part was written")
        #expect(!FileManager.default.fileExists(atPath: out.path))

        // A different tree.
        let data = try String(contentsOf: tree.appendingPathComponent("providers.yaml"), encoding: .utf8)
        try Data((data + "\n").utf8).write(to: tree.appendingPathComponent("providers.yaml"))
        try refused([p1, p2, try part("t3", "3/3")], "error: \(work.path)/t3 was rendered from a different tree than \(p1)")
        try Data(data.utf8).write(to: tree.appendingPathComponent("providers.yaml"))

        // OUT changed since the parts read it: rendered in between.
        #expect(try CLI.run(["render", tree.path, "--out", out.path, "--now", Self.now, "-q"]).status == 0)
        let before = try Self.files(out)
        try refused([p1, p2, p3], "\(out.path)/manifest.json is not the manifest the parts were rendered against (it differs; the parts found none)")
        #expect(try Self.files(out) == before)
        // Against that OUT, fresh parts merge (and change nothing).
        let fresh = try (1...3).map { try part("f\($0)", "\($0)/3") }
        let merge = try CLI.run(["merge"] + fresh + ["--out", out.path])
        #expect(merge.status == 0, Comment(rawValue: merge.stderr))
        #expect(merge.stdout.hasPrefix("0 new, 0 updated, "), Comment(rawValue: merge.stdout))
        #expect(try Self.files(out) == before)
    }

    /// Usage: --shard needs --out; --base only with --shard; auto reads the environment.
    @Test func shardOptionsAreCheckedAndAutoReadsTheEnvironment() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        let part = tree.root.appendingPathComponent("../\(tree.root.lastPathComponent)-part").standardizedFileURL
        defer { try? FileManager.default.removeItem(at: part) }
        let noOut = try CLI.run(["render", tree.root.path, "--shard", "1/2"])
        #expect(noOut.status == 2)
        #expect(noOut.stderr.contains("--shard needs --out PART"))
        let badShard = try CLI.run(["render", tree.root.path, "--shard", "3/2", "--out", part.path])
        #expect(badShard.status == 2)
        #expect(badShard.stderr.contains("shard 3/2: I must be between 1 and N (N ≥ 1)"))
        let base = try CLI.run(["render", tree.root.path, "--base", "out"])
        #expect(base.status == 2)
        #expect(base.stderr.contains("--base is for --shard"))
        let baseIsRoot = try CLI.run(["render", tree.root.path, "--shard", "1/2", "--out", part.path, "--base", tree.root.path])
        #expect(baseIsRoot.status == 2)
        #expect(baseIsRoot.stderr.contains("--base: \(tree.root.path) "), Comment(rawValue: baseIsRoot.stderr))
        let noJobs = try CLI.run(["merge", part.path, "--out", "out", "--jobs", "0"])
        #expect(noJobs.status == 2)
        #expect(noJobs.stderr.contains("--jobs must be at least 1 (got 0)"), Comment(rawValue: noJobs.stderr))
        let auto = try CLI.run(["render", tree.root.path, "--shard", "auto", "--out", part.path, "--now", Self.now, "--json"],
                               env: ["NOTICES_SHARD_INDEX": "1", "NOTICES_SHARD_TOTAL": "2"])
        #expect(auto.status == 0, Comment(rawValue: auto.stderr))
        #expect(auto.stdout.contains("\"shard\": 2,\n  \"shards\": 2,"), Comment(rawValue: auto.stdout))
        // A part is not read as data, even inside ROOT, and a part is replaced only by a part.
        let inside = try CLI.run(["render", tree.root.path, "--shard", "1/2", "--out", tree.root.appendingPathComponent("parts/1").path,
                                  "--now", Self.now, "-q"])
        #expect(inside.status == 0, Comment(rawValue: inside.stderr))
        #expect(try CLI.run(["validate", tree.root.path]).status == 0)
        let clobber = try CLI.run(["render", tree.root.path, "--shard", "1/2", "--out", tree.root.appendingPathComponent("events").path])
        #expect(clobber.status == 1)
        #expect(clobber.stderr.contains("exists and is not a part of a sharded render"))
    }

    /// Two events of different shards whose messages would share a folder (`CLASH-2` and
    /// `clash-2` are both `maintenance-clash-2`): the merge stops with render's own error.
    @Test func mergeFindsLineageClashesAcrossShards() throws {
        let event = { (id: String) in
            "  - {id: \(id), provider: zayo, summary: Splice, status: CONFIRMED, start: 2026-12-08T01:00:00Z, "
                + "end: 2026-12-08T05:00:00Z, impacts: [{circuit: ZAYO-100231, impact: OUTAGE}]}\n"
        }
        let tree = try TreeCopy("examples/carrier", files: ["events/clash.yaml": "maintenances:\n" + event("CLASH-2") + event("clash-2")])
        defer { tree.remove() }
        let render = try CLI.run(["render", tree.root.path, "--now", Self.now])
        #expect(render.status == 1)
        #expect(render.stderr.contains("would both be 'maintenance-clash-2--acme'"), Comment(rawValue: render.stderr))
        let before = try tree.snapshot()
        let parts = try (1...2).map { i -> String in
            let part = tree.root.appendingPathComponent("parts/\(i)").path
            let r = try CLI.run(["render", tree.root.path, "--shard", "\(i)/2", "--out", part, "--now", Self.now, "-q"])
            #expect(r.status == 0, Comment(rawValue: r.stderr))
            return part
        }
        let merge = try CLI.run(["merge"] + parts + ["--out", tree.root.appendingPathComponent("out").path])
        #expect(merge.status == 1)
        #expect(merge.stderr == render.stderr, Comment(rawValue: merge.stderr))
        #expect(try tree.snapshot() == before)
    }
}
