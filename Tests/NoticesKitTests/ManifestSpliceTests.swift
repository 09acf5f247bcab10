import Foundation
import Testing
import TestSupport
@testable import NoticesKit

/// Lifecycle commands change a stamped manifest in place (ManifestSplice); the bytes
/// must be exactly those of reading it whole and writing it again (SPEC §3.4). Every
/// step here runs on two copies of one manifest, one stamped and one not, and the two
/// files are compared after each.
@Suite struct ManifestSpliceTests {
    static func ts(_ s: String) -> Timestamp { try! TimestampParser.parse(s, defaultZone: TimeZone(identifier: "UTC")!).get() }
    static let now = ts("2026-12-01T12:00:00Z")

    /// Lineages with revisions, tenants with non-ASCII names, journals with quotes,
    /// backslashes and newlines in notes, recipients: the shapes a real manifest has.
    static func manifest(_ count: Int) -> Manifest {
        var entries: [ManifestEntry] = []
        for n in 0..<count {
            let lineage = "maintenance-ev\(n / 3)" + (n % 3 == 2 ? "--acme" : "")
            let sequence = n % 3 == 1 ? 2 : 1
            let id = sequence == 1 ? lineage : "\(lineage)--\(sequence)"
            var e = ManifestEntry(id: id, lineage: lineage, sequence: sequence, status: .draft, template: "t\(n % 4)",
                                  event: EventRef(kind: .maintenance, id: "ev\(n / 3)"), tenant: n % 2 == 0 ? "Zürich \"Re\"" : nil,
                                  target: nil, contentHash: String(repeating: "ab", count: 32), renderedAt: ts("2026-11-29T08:00:00Z"))
            if n % 5 != 4 {
                e.recipients = [Recipient(contactID: "c\(n)", name: "Noc \\ Team\n2", email: "noc\(n)@example.net", role: "technical",
                                          priority: "primary", tenant: "acme")]
            }
            if n % 7 == 3 {
                e.status = .ready
                e.approvedAt = ts("2026-11-30T08:00:00Z")
                e.approvedBy = "rev"
                e.journal = [JournalEntry(at: ts("2026-11-30T08:00:00Z"), from: .draft, to: .ready, kind: .info, by: "rev", message: "ok \"fine\"\t✓")]
            }
            if n == 3 {
                // Sent before its revision (maintenance-ev1--2) was made.
                e.status = .sent
                e.sentAt = ts("2026-11-30T08:30:00Z")
            }
            entries.append(e)
        }
        // Superseded, as every manifest notices writes is; written out of order (the
        // manifest sorts by id).
        var manifest = Manifest(entries: entries.reversed())
        Supersede.apply(&manifest, at: ts("2026-11-30T09:00:00Z"))
        return manifest
    }

    struct Pair {
        let fast: OutputFolder
        let slow: OutputFolder
        let dir: URL

        init(_ manifest: Manifest) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("splice-\(UUID().uuidString)")
            fast = OutputFolder(dir.appendingPathComponent("fast"))
            slow = OutputFolder(dir.appendingPathComponent("slow"))
            for out in [fast, slow] {
                for e in manifest.entries {
                    try FileManager.default.createDirectory(at: out.folder(e.id), withIntermediateDirectories: true)
                    try Data("subject \(e.id)".utf8).write(to: out.folder(e.id).appendingPathComponent("subject"))
                    try Data(#"[{"contact_id": "c", "email": "c@example.net", "name": "C"}]"#.utf8)
                        .write(to: out.folder(e.id).appendingPathComponent("recipients.json"))
                }
                try out.writeManifest(manifest)
            }
        }

        func remove() { try? FileManager.default.removeItem(at: dir) }

        /// Runs the same command on both; checks which way each went, and that the
        /// outcomes and the files are the same.
        @discardableResult
        func run(_ action: Lifecycle.Action, _ selection: Lifecycle.Selection, at: Timestamp? = nil, message: String? = nil,
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Lifecycle.Result? {
            try? FileManager.default.removeItem(at: slow.manifestStampURL)
            #expect(fast.manifestIsAsStamped, sourceLocation: sourceLocation)
            let a = Result { try Lifecycle.run(action, selection, out: fast, at: at, by: "me", message: message, now: ManifestSpliceTests.now) }
            let b = Result { try Lifecycle.run(action, selection, out: slow, at: at, by: "me", message: message, now: ManifestSpliceTests.now) }
            let fastBytes = FileIO.readBytes(fast.manifestURL), slowBytes = FileIO.readBytes(slow.manifestURL)
            #expect(fastBytes == slowBytes, "manifests differ after \(action) \(selection)", sourceLocation: sourceLocation)
            #expect((try? Manifest.parse(fastBytes ?? [], file: "m"))?.serialized() == Data(fastBytes ?? []), sourceLocation: sourceLocation)
            switch (a, b) {
            case let (.success(x), .success(y)):
                #expect(x.inPlace && !y.inPlace, sourceLocation: sourceLocation)
                #expect(x.changed.map(\.id) == y.changed.map(\.id) && x.discarded == y.discarded, sourceLocation: sourceLocation)
                #expect(x.superseded.map { "\($0.id)>\($0.supersededBy)" } == y.superseded.map { "\($0.id)>\($0.supersededBy)" },
                        sourceLocation: sourceLocation)
                #expect(x.skipped.map(\.description) == y.skipped.map(\.description), sourceLocation: sourceLocation)
                for id in x.discarded { #expect(!FileManager.default.fileExists(atPath: fast.folderPath(id)), sourceLocation: sourceLocation) }
                return x
            case let (.failure(x), .failure(y)):
                #expect("\(x)" == "\(y)", sourceLocation: sourceLocation)
                return nil
            default:
                Issue.record("one way failed, the other did not: \(a) / \(b)", sourceLocation: sourceLocation)
                return nil
            }
        }
    }

    @Test func everyCommandGivesTheBytesOfTheSlowPath() throws {
        let manifest = Self.manifest(300)
        let ids = manifest.entries.map(\.id).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let pair = try Pair(manifest)
        defer { pair.remove() }
        let ready = manifest.entries.filter { $0.status == .ready }.map(\.id).sorted()
        let drafts = manifest.entries.filter { $0.status == .draft && $0.recipients != nil }.map(\.id)
        try pair.run(.approve, .ids([drafts[0], drafts[7]]), message: "lgtm")
        try pair.run(.sent, .ids([ready[0], drafts[0]]), at: Self.ts("2026-12-01T10:00:00Z"))
        try pair.run(.delivered, .ids([ready[0]]))
        try pair.run(.viewed, .ids([ready[0]]), message: "read \"receipt\"")
        try pair.run(.sent, .ids([ready[1]]))
        // Failed while its lineage has a newer revision: withdrawn on the spot.
        let superseded = "maintenance-ev1"
        let failed = try #require(try pair.run(.failed, .ids([superseded]), message: "550"))
        #expect(failed.superseded.map(\.id) == [superseded])
        try pair.run(.failed, .ids([ready[1]]))
        try pair.run(.retry, .ids([ready[1]]))
        try pair.run(.withdraw, .ids([ready[1], ready[2]]))
        // Discards: the first, one in the middle, the last two (the separators move).
        let firstDraft = ids.first { id in manifest.entries.first { $0.id == id }!.status == .draft }!
        try pair.run(.discard, .ids([firstDraft, ids[150]]))
        try pair.run(.discard, .ids([ids[ids.count - 1], ids[ids.count - 2]]))
        try pair.run(.discard, .ids([ids[ids.count - 4]]))
        // Refusals are the same, and change nothing.
        try pair.run(.sent, .ids([ids[10], "maintenance-ev9999"]))
        try pair.run(.approve, .ids(["maintenance-ev3--acm"]))
        // A batch of steps, one message twice.
        let steps = [Lifecycle.Step(id: ready[3], action: .sent, at: Self.ts("2026-12-01T09:00:00Z"), message: "queued"),
                     Lifecycle.Step(id: ready[4], action: .sent),
                     Lifecycle.Step(id: ready[3], action: .delivered, message: "250 OK")]
        let batch = try #require(try pair.run(.sent, .steps(steps)))
        #expect(batch.changed.map { "\($0.id) \($0.status.rawValue)" } == ["\(ready[3]) delivered", "\(ready[4]) sent"])
        try pair.run(.sent, .steps([Lifecycle.Step(id: ready[5], action: .sent), Lifecycle.Step(id: ready[5], action: .failed),
                                    Lifecycle.Step(id: ids[11], action: .delivered)]))
        // --all finds its messages in the file too.
        try pair.run(.sent, .status(.ready))
        try pair.run(.approve, .status(.draft))
    }

    @Test func discardingEveryMessageLeavesTheEmptyManifest() throws {
        let manifest = Self.manifest(3)
        let pair = try Pair(manifest)
        defer { pair.remove() }
        try pair.run(.discard, .ids(manifest.entries.filter { $0.status == .draft }.map(\.id)))
        #expect(String(decoding: FileIO.readBytes(pair.fast.manifestURL) ?? [], as: UTF8.self) == "{\n  \"format\": 1,\n  \"messages\": []\n}\n")
    }

    /// A manifest edited by hand, or in another form than notices writes, is read whole.
    @Test func anEditedManifestIsReadWhole() throws {
        let pair = try Pair(Self.manifest(30))
        defer { pair.remove() }
        let url = pair.fast.manifestURL
        let text = String(decoding: FileIO.readBytes(url) ?? [], as: UTF8.self)
        // Same bytes rewritten (a checkout): the stamp no longer matches.
        try Data(text.utf8).write(to: url)
        #expect(!pair.fast.manifestIsAsStamped)
        let r = try Lifecycle.run(.sent, .status(.ready), out: pair.fast, at: nil, by: nil, message: nil, now: Self.now)
        #expect(!r.inPlace && pair.fast.manifestIsAsStamped)
        // Compact JSON, stamped as if notices wrote it: entries do not read back, so the
        // manifest is read whole and written canonical.
        let compact = try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: Data(text.utf8)))
        try compact.write(to: url)
        pair.fast.stampManifest()
        let again = try Lifecycle.run(.delivered, .status(.sent), out: pair.fast, at: nil, by: nil, message: nil, now: Self.now)
        #expect(!again.inPlace)
        let bytes = FileIO.readBytes(url) ?? []
        #expect((try? Manifest.parse(bytes, file: "m"))?.serialized() == Data(bytes))
    }
}
