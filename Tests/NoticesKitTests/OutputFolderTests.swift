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
        try FileManager.default.createDirectory(at: out.folder("message-m1"), withIntermediateDirectories: true)
        for (name, text) in ["subject": "old", "body.txt": "same", "recipients.json": "[]", "gone.ics": "x"] {
            try Data(text.utf8).write(to: out.folder("message-m1").appendingPathComponent(name))
        }
    }

    deinit { try? FileManager.default.removeItem(at: out.url) }

    static func files(_ pairs: [String: String]) -> [String: Data] { pairs.mapValues { Data($0.utf8) } }

    @Test func layout() throws {
        #expect(out.manifestURL.path == out.url.path + "/manifest.json")
        #expect(out.folder("message-m1").path == out.url.path + "/messages/message-m1")
        #expect(OutputFolder.relativePath("body.txt", of: "message-m1") == "messages/message-m1/body.txt")
        #expect(out.previewURL.lastPathComponent == "preview")
        #expect(try out.fileNames(of: "message-m1") == ["body.txt", "gone.ics", "recipients.json", "subject"])
    }

    @Test func differencesOfADraftAnApprovedAndAFreshMessage() throws {
        let files = Self.files(["subject": "new", "body.txt": "same", "recipients.json": "[1]"])
        let draft = out.difference(MessageChange(id: "message-m1", kind: .updated, files: files, frozenRecipients: false))
        #expect(draft.changed.keys.sorted() == ["recipients.json", "subject"] && draft.extra == ["gone.ics"])
        // Approved: recipients.json is frozen, neither written nor extra.
        let approved = out.difference(MessageChange(id: "message-m1", kind: .updated, files: ["subject": Data("new".utf8)], frozenRecipients: true))
        #expect(approved.changed.keys.sorted() == ["subject"] && approved.extra == ["body.txt", "gone.ics"])
        // A fresh message has a folder of its own: every file is written.
        let fresh = out.difference(MessageChange(id: "message-m1--2", kind: .revision, files: files, frozenRecipients: false))
        #expect(fresh.changed.count == 3 && fresh.extra.isEmpty)
        #expect(out.difference(MessageChange(id: "message-m1", kind: .unchanged, files: nil, frozenRecipients: false)).changed.isEmpty)
    }

    @Test func applyingAChangeSet() throws {
        try FileManager.default.createDirectory(at: out.folder("message-gone"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: out.folder("message-gone").appendingPathComponent("subject"))
        let staging = try OutputFolder.Staging(out)
        try staging.stage("message-m1", Self.files(["subject": "new"]))
        try staging.stage("message-m2", Self.files(["subject": "fresh", "body.txt": "b"]))
        var changes = ChangeSet(manifest: Manifest(entries: [
            ManifestEntry(id: "message-m1", lineage: "message-m1", sequence: 1, status: .draft, template: "t", event: nil, tenant: nil, target: nil,
                          contentHash: String(repeating: "0", count: 64), renderedAt: Timestamp(seconds: 0)),
        ]))
        changes.fresh = ["message-m2"]
        changes.removedMessages = ["message-gone"]
        try out.apply(changes, staging: staging, extraFiles: [OutputFolder.relativePath("gone.ics", of: "message-m1")])
        #expect(try out.text("subject", of: "message-m1") == "new" && (try out.text("body.txt", of: "message-m1")) == "same")
        #expect(try out.fileNames(of: "message-m1") == ["body.txt", "recipients.json", "subject"])
        #expect(try out.fileNames(of: "message-m2") == ["body.txt", "subject"])
        #expect(!FileManager.default.fileExists(atPath: out.folder("message-gone").path))
        #expect(!FileManager.default.fileExists(atPath: out.url.appendingPathComponent(".staging").path))
        #expect(try out.readManifest()?.entries.map(\.id) == ["message-m1"])
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
