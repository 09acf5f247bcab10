import Foundation
import Testing
@testable import NoticesKit

/// The output folder: its layout, comparing a change with a folder, and applying a
/// change set (staged files move in, extra files and vanished drafts go, the manifest
/// last).
@Suite final class OutputFolderTests {
    let out: OutputFolder

    init() throws {
        out = OutputFolder(FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)"))
        try FileManager.default.createDirectory(at: out.folder("m1"), withIntermediateDirectories: true)
        for (name, text) in ["subject": "old", "body.txt": "same", "recipients.json": "[]", "gone.ics": "x"] {
            try Data(text.utf8).write(to: out.folder("m1").appendingPathComponent(name))
        }
    }

    deinit { try? FileManager.default.removeItem(at: out.url) }

    static func files(_ pairs: [String: String]) -> [String: Data] { pairs.mapValues { Data($0.utf8) } }

    @Test func layout() {
        #expect(out.manifestURL.path == out.url.path + "/manifest.json")
        #expect(out.folder("m1").path == out.url.path + "/messages/m1")
        #expect(OutputFolder.relativePath("body.txt", of: "m1") == "messages/m1/body.txt")
        #expect(out.previewURL.lastPathComponent == "preview")
        #expect(out.fileNames(of: "m1") == ["body.txt", "gone.ics", "recipients.json", "subject"])
    }

    @Test func differencesOfADraftAnApprovedAndAFreshMessage() {
        let files = Self.files(["subject": "new", "body.txt": "same", "recipients.json": "[1]"])
        let draft = out.difference(MessageChange(id: "m1", kind: .updated, files: files, frozenRecipients: false))
        #expect(draft.changed.keys.sorted() == ["recipients.json", "subject"] && draft.extra == ["gone.ics"])
        // Approved: recipients.json is frozen, neither written nor extra.
        let approved = out.difference(MessageChange(id: "m1", kind: .updated, files: ["subject": Data("new".utf8)], frozenRecipients: true))
        #expect(approved.changed.keys.sorted() == ["subject"] && approved.extra == ["body.txt", "gone.ics"])
        // A fresh message has a folder of its own: every file is written.
        let fresh = out.difference(MessageChange(id: "m1--2", kind: .revision, files: files, frozenRecipients: false))
        #expect(fresh.changed.count == 3 && fresh.extra.isEmpty)
        #expect(out.difference(MessageChange(id: "m1", kind: .unchanged, files: nil, frozenRecipients: false)).changed.isEmpty)
    }

    @Test func applyingAChangeSet() throws {
        try FileManager.default.createDirectory(at: out.folder("draft-gone"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: out.folder("draft-gone").appendingPathComponent("subject"))
        let staging = try OutputFolder.Staging(out)
        try staging.stage("m1", Self.files(["subject": "new"]))
        try staging.stage("m2", Self.files(["subject": "fresh", "body.txt": "b"]))
        var changes = ChangeSet(manifest: Manifest(entries: [
            ManifestEntry(id: "m1", lineage: "m1", sequence: 1, status: .draft, template: "t", event: nil, tenant: nil, target: nil,
                          contentHash: "h", renderedAt: Timestamp(seconds: 0)),
        ]))
        changes.fresh = ["m2"]
        changes.removedMessages = ["draft-gone"]
        try out.apply(changes, staging: staging, extraFiles: [OutputFolder.relativePath("gone.ics", of: "m1")])
        #expect(out.text("subject", of: "m1") == "new" && out.text("body.txt", of: "m1") == "same")
        #expect(out.fileNames(of: "m1") == ["body.txt", "recipients.json", "subject"])
        #expect(out.fileNames(of: "m2") == ["body.txt", "subject"])
        #expect(!FileManager.default.fileExists(atPath: out.folder("draft-gone").path))
        #expect(!FileManager.default.fileExists(atPath: out.url.appendingPathComponent(".staging").path))
        #expect(try out.readManifest()?.entries.map(\.id) == ["m1"])
        #expect(try out.manifestDiffers(changes.manifest, keepingBytes: false) == nil)
    }

    @Test func stagingStartsClean() throws {
        try FileManager.default.createDirectory(at: out.url.appendingPathComponent(".staging/leftover"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: out.url.appendingPathComponent(".manifest.json.tmp-1"))
        #expect(out.hasLeftovers)
        let staging = try OutputFolder.Staging(out)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.url.appendingPathComponent(".staging").path).isEmpty)
        staging.discard()
        #expect(!out.hasLeftovers)
    }
}
