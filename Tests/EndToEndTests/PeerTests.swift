import Foundation
import Testing
import TestSupport

/// The Python peer of `render` (Tests/Benchmarks/peer/render_peer.py: PyYAML, Jinja2,
/// cmarkgfm, the yardstick of issue 17's CPU target) writes the same output folder as
/// `notices render`, byte for byte: every message file and the manifest, on generated
/// trees with the edge cases and HTML bodies on. A difference is a bug on one side.
@Suite struct PeerTests {
    static let python = VenvPython.with("jinja2, yaml, cmarkgfm")
    static let genTree = CLI.repoRoot.appendingPathComponent("../shared/bench/gen_tree.py").standardizedFileURL.path
    static let ready = python != nil && FileManager.default.fileExists(atPath: genTree)

    /// Seed 2 uses Jinja2's default whitespace options, seed 3 trim_blocks,
    /// lstrip_blocks and keep_trailing_newline (gen_tree.py varies them by seed).
    @Test(.enabled(if: ready, "needs .venv with jinja2, pyyaml, cmarkgfm (bash .ci/run makes it) and ../shared/bench/gen_tree.py"),
          arguments: [2, 3])
    func peerWritesTheSameBytesAsRender(seed: Int) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let tree = work.appendingPathComponent("tree").path
        let gen = try VenvPython.run(Self.python!, path: Self.genTree, ["--seed", "\(seed)", "--events", "36", "--impacts-per-event", "4",
                                                                      "--exercise-edges", "--html-bodies", tree])
        try #require(gen.status == 0, Comment(rawValue: gen.output))
        let ours = work.appendingPathComponent("notices"), theirs = work.appendingPathComponent("peer")
        let now = "2026-11-29T08:00:00Z"
        let r = try CLI.run(["render", tree, "--out", ours.path, "--now", now, "-q"])
        try #require(r.status == 0, Comment(rawValue: r.stderr))
        let peer = try VenvPython.run(Self.python!, path: CLI.repoRoot.appendingPathComponent("Tests/Benchmarks/peer/render_peer.py").path,
                                      [tree, "--out", theirs.path, "--now", now])
        try #require(peer.status == 0, Comment(rawValue: peer.output))

        let a = try Self.files(ours), b = try Self.files(theirs)
        #expect(a.count > 500 && a["manifest.json"] != nil, "the tree should give hundreds of files, got \(a.count)")
        #expect(a.keys.contains { $0.hasSuffix("/invite.ics") } && a.keys.contains { $0.hasSuffix("/body.html") })
        let onlyOurs = Set(a.keys).subtracting(b.keys).sorted(), onlyPeer = Set(b.keys).subtracting(a.keys).sorted()
        #expect(onlyOurs.isEmpty && onlyPeer.isEmpty, "only from notices: \(onlyOurs.prefix(5)); only from the peer: \(onlyPeer.prefix(5))")
        let differing = a.keys.sorted().filter { b[$0] != nil && b[$0] != a[$0] }
        let differingCount = differing.count // not the list: a message would name every file
        #expect(differingCount == 0, Comment(rawValue: "\(differing.count) files differ, the first ones:\n"
            + differing.prefix(5).map { Self.firstDifference($0, a[$0]!, b[$0]!) }.joined(separator: "\n")))
    }

    /// Relative path → bytes of every file under `out`, except notices' own state files
    /// (`.fingerprints`, `.render-state`, `.lock`), which are not part of the output layout.
    static func files(_ out: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: out.path) ?? FileManager.DirectoryEnumerator() {
            let url = out.appendingPathComponent(path)
            let attrs = try FileManager.default.attributesOfItem(atPath: url.path)
            guard attrs[.type] as? FileAttributeType == .typeRegular, !path.hasPrefix(".") else { continue }
            found[path] = try Data(contentsOf: url)
        }
        return found
    }

    static func firstDifference(_ path: String, _ ours: Data, _ theirs: Data) -> String {
        let x = String(decoding: ours, as: UTF8.self).components(separatedBy: "\n")
        let y = String(decoding: theirs, as: UTF8.self).components(separatedBy: "\n")
        let n = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
        return "\(path) line \(n + 1):\n  notices: \(n < x.count ? x[n].debugDescription : "(end)")\n  peer:    \(n < y.count ? y[n].debugDescription : "(end)")"
    }
}
