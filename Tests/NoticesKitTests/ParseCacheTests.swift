import Foundation
import Testing
import TestSupport
@testable import NoticesKit

/// The parse cache (OUT/.local/parsed) gives back exactly the documents the parser
/// gives, is used only for the same file, bytes and build, and never turns damage into
/// a crash or a wrong tree: a render with any entry damaged writes what a render
/// without the cache writes.
@Suite struct ParseCacheTests {
    static let carrier = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/carrier")

    /// Every node with its kind, place and text, for comparing trees.
    static func describe(_ node: DataNode) -> String {
        let l = node.location
        let at = "\(l.file):\(l.line):\(l.column)"
        switch node {
        case .scalar(let s, let quoted, _): return "\(quoted ? "q" : "p")\(at)\(s.debugDescription)"
        case .mapping(let pairs, _): return "{\(at) " + pairs.map { describe($0.key) + ": " + describe($0.value) }.joined(separator: ", ") + "}"
        case .sequence(let items, _): return "[\(at) " + items.map(describe).joined(separator: ", ") + "]"
        }
    }

    static func yamlFiles(_ root: URL) throws -> [(path: String, data: Data)] {
        let walker = try #require(FileManager.default.enumerator(atPath: root.path))
        return try walker.compactMap { $0 as? String }
            .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix("out/") }.sorted()
            .map { ($0, try Data(contentsOf: root.appendingPathComponent($0))) }
    }

    @Test func entriesDecodeToTheParsedDocuments() throws {
        let tree = try TreeFixture([
            "odd.yaml": """
            a: &x {k: "quoted", p: plain, n: ~, e: '', u: "Zürich \\u00e9 ✓"}
            b: *x
            c: [1, [2, [3, {d: e}]]]
            d:
              - |
                block
                text
              - >-
                folded
            ---
            second: document
            """,
        ])
        defer { tree.remove() }
        let files = try Self.yamlFiles(Self.carrier) + Self.yamlFiles(tree.root)
        #expect(files.count > 10)
        for (path, data) in files {
            let parsed = try RecordDecoder.parse(data: data, file: path).get()
            let digest = ParseCache.digest(data)
            let bytes = ParseCache.encode(parsed, file: path, digest: digest)
            let decoded = try #require(ParseCache.decode(bytes, file: path, digest: digest), "\(path)")
            #expect(decoded.map(Self.describe) == parsed.map(Self.describe), "\(path)")
        }
    }

    @Test func otherFilesBytesOrDamageAreMisses() throws {
        let data = Data("providers:\n  - slug: a\n    name: A\n".utf8)
        let parsed = try RecordDecoder.parse(data: data, file: "p.yaml").get()
        let digest = ParseCache.digest(data)
        let bytes = ParseCache.encode(parsed, file: "p.yaml", digest: digest)
        #expect(ParseCache.decode(bytes, file: "p.yaml", digest: digest) != nil)
        #expect(ParseCache.decode(bytes, file: "q.yaml", digest: digest) == nil)
        #expect(ParseCache.decode(bytes, file: "p.yaml", digest: ParseCache.digest(Data("x".utf8))) == nil)
        // Every cut and every changed byte is a miss (the entry's own SHA-256 seals it).
        for cut in 0..<bytes.count { #expect(ParseCache.decode(Array(bytes[..<cut]), file: "p.yaml", digest: digest) == nil) }
        for i in bytes.indices {
            var damaged = bytes
            damaged[i] ^= 0x20
            #expect(ParseCache.decode(damaged, file: "p.yaml", digest: digest) == nil, "byte \(i)")
        }
        #expect(ParseCache.decode(bytes + [0], file: "p.yaml", digest: digest) == nil)
    }

    func render(_ root: URL, out: URL) throws -> RenderSummary {
        var o = RenderOptions()
        o.out = out
        o.now = Timestamp(seconds: 1_795_939_200)
        return try Render.run(root: root, options: o)
    }

    /// A copy of the carrier example without its output, in a folder of its own.
    func carrierCopy(_ name: String) throws -> (work: URL, root: URL, out: URL) {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("notices-\(name)-\(UUID().uuidString)")
        let root = work.appendingPathComponent("tree")
        try FileManager.default.copyItem(at: Self.carrier, to: root)
        try FileManager.default.removeItem(at: root.appendingPathComponent("out"))
        return (work, root, work.appendingPathComponent("out"))
    }

    func entries(_ out: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent(".local/parsed").path).sorted()
    }

    @Test func renderKeepsOneEntryPerYAMLFileAndSurvivesDamage() throws {
        let (work, root, out) = try carrierCopy("parse-cache")
        defer { try? FileManager.default.removeItem(at: work) }
        _ = try render(root, out: out)
        let yaml = try Self.yamlFiles(root).map(\.path).filter { $0 != "notices.yaml" }
        #expect(try entries(out) == yaml.map(ParseCache.name(of:)).sorted())

        // Damage every entry, edit one event: the render equals one into an empty folder.
        for name in try entries(out) {
            let url = out.appendingPathComponent(".local/parsed/\(name)")
            var bytes = try [UInt8](Data(contentsOf: url))
            bytes[bytes.count - 2] ^= 0x5A
            try Data(bytes).write(to: url)
        }
        let events = root.appendingPathComponent("events/maintenances.yaml")
        let text = try String(contentsOf: events, encoding: .utf8)
        let edited = try #require(text.range(of: "summary: ")).upperBound
        try Data((String(text[..<edited]) + "Edited " + String(text[edited...])).utf8).write(to: events)
        let cached = try render(root, out: out)
        let fresh = work.appendingPathComponent("fresh")
        let expected = try render(root, out: fresh)
        #expect(cached.updated > 0)
        try UnitReplayTests.expectSame(out, fresh, "render over damaged parse-cache entries")
        #expect(cached.warnings == expected.warnings)

        // A file that is no longer data leaves no entry behind.
        try FileManager.default.removeItem(at: root.appendingPathComponent("messages.yaml"))
        _ = try render(root, out: out)
        #expect(try !entries(out).contains(ParseCache.name(of: "messages.yaml")))
        #expect(try entries(out).count == yaml.count - 1)
    }

    @Test func aLinkInPlaceOfTheLocalFolderIsNotWrittenThrough() throws {
        let (work, root, out) = try carrierCopy("parse-link")
        defer { try? FileManager.default.removeItem(at: work) }
        let fm = FileManager.default
        let elsewhere = work.appendingPathComponent("elsewhere")
        try fm.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        _ = try render(root, out: out)
        for link in [".local", ".local/parsed"] {
            try fm.removeItem(at: out.appendingPathComponent(".local"))
            if link == ".local/parsed" { try fm.createDirectory(at: out.appendingPathComponent(".local"), withIntermediateDirectories: true) }
            try fm.createSymbolicLink(at: out.appendingPathComponent(link), withDestinationURL: elsewhere)
            // An edit, so the render writes its records.
            try Data("# \(link)\n".utf8).write(to: root.appendingPathComponent("events/extra.yaml"))
            _ = try render(root, out: out)
            #expect(try fm.contentsOfDirectory(atPath: elsewhere.path) == [], "\(link)")
            #expect(FileIO.entry(atPath: out.appendingPathComponent(link).path) == .folder, "\(link)")
            #expect(try entries(out).count == Self.yamlFiles(root).count - 1, "\(link)")
        }
    }
}
