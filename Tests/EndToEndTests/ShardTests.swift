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
            guard attrs[.type] as? FileAttributeType == .typeRegular, path != ".folder-stats", path != ".lock" else { continue }
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
}
