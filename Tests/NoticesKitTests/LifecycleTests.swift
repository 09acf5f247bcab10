import Foundation
import Testing
import TestSupport
@testable import NoticesKit

@Suite struct LifecycleTests {
    static func ts(_ s: String) -> Timestamp { try! TimestampParser.parse(s, defaultZone: TimeZone(identifier: "UTC")!).get() }
    static let now = ts("2026-12-01T12:00:00Z")

    static func entry(_ status: MessageStatus) -> ManifestEntry {
        var e = ManifestEntry(id: "m", lineage: "m", sequence: 1, status: status, template: "t", event: nil, tenant: nil,
                              target: nil, contentHash: "h", renderedAt: ts("2026-12-01T08:00:00Z"))
        if status != .draft { e.approvedAt = ts("2026-12-01T09:00:00Z"); e.approvedBy = "a" }
        if [.sent, .delivered, .failed].contains(status) { e.sentAt = ts("2026-12-01T10:00:00Z") }
        if status == .delivered { e.deliveredAt = ts("2026-12-01T11:00:00Z") }
        return e
    }

    static let recipients = [Recipient(contactID: "c", name: "C", email: "c@x", role: nil, priority: nil, tenant: nil)]

    func apply(_ a: Lifecycle.Action, _ s: MessageStatus, at: Timestamp? = nil, recipients: [Recipient]? = LifecycleTests.recipients) -> String {
        do {
            guard let e = try Lifecycle.apply(a, to: Self.entry(s), at: at, now: Self.now, by: "me", message: "note",
                                               recipients: recipients, files: ["subject": Data("s".utf8)]) else { return "deleted" }
            return e.status.rawValue
        } catch {
            return "refused: \(error)"
        }
    }

    /// Every status × every action: the allowed ones move, the rest are refused with
    /// the current status and the valid targets.
    @Test(arguments: MessageStatus.allCases)
    func transitionTable(_ from: MessageStatus) {
        let allowed: [MessageStatus: [Lifecycle.Action: String]] = [
            .draft: [.approve: "ready", .discard: "deleted"],
            .ready: [.sent: "sent", .withdraw: "withdrawn"],
            .sent: [.delivered: "delivered", .failed: "failed"],
            .failed: [.retry: "ready", .withdraw: "withdrawn"],
            .delivered: [.viewed: "delivered"],
        ]
        for action in [Lifecycle.Action.approve, .discard, .sent, .delivered, .failed, .retry, .viewed, .withdraw] {
            let result = apply(action, from)
            if let to = allowed[from]?[action] {
                #expect(result == to, "\(from) \(action)")
            } else {
                let verb = [.approve, .discard, .retry, .withdraw].contains(action) ? action.rawValue : "mark \(action.rawValue)"
                #expect(result == "refused: cannot \(verb) 'm': it is \(from.rawValue); from \(from.rawValue) it can go to \(Lifecycle.validTargets(from))")
            }
        }
    }

    @Test func approvalNeedsRecipientsAndSnapshotsThem() throws {
        #expect(apply(.approve, .draft, recipients: []) == "refused: cannot approve 'm': it has no recipients (give its tenant a contact with an email, or set notify: false on the event or impact)")
        let e = try #require(try Lifecycle.apply(.approve, to: Self.entry(.draft), at: nil, now: Self.now, by: "rev", message: "ok",
                                                  recipients: Self.recipients, files: ["subject": Data("s".utf8), "recipients.json": Data("[]".utf8)]))
        #expect(e.recipients == Self.recipients)
        #expect(e.approvedBy == "rev" && e.approvedAt == Self.now)
        #expect(e.contentHash == Manifest.contentHash(["subject": Data("s".utf8)], includeRecipients: true))
        #expect(e.journal == [JournalEntry(at: Self.now, from: .draft, to: .ready, kind: .info, by: "rev", message: "ok")])
    }

    @Test func timestampRules() {
        #expect(apply(.sent, .ready, at: Self.ts("2026-12-02T00:00:00Z")) == "refused: cannot mark sent 'm': --at 2026-12-02T00:00:00Z is in the future")
        #expect(apply(.sent, .ready, at: Self.ts("2026-12-01T08:59:59Z")) == "refused: cannot mark 'm' sent at 2026-12-01T08:59:59Z: before its approval at 2026-12-01T09:00:00Z")
        #expect(apply(.delivered, .sent, at: Self.ts("2026-12-01T09:30:00Z")) == "refused: cannot mark 'm' delivered at 2026-12-01T09:30:00Z: before it was sent at 2026-12-01T10:00:00Z")
        #expect(apply(.delivered, .sent, at: Self.ts("2026-12-01T10:00:00Z")) == "delivered")
    }

    @Test func journalKindsAndRetry() throws {
        func journal(_ a: Lifecycle.Action, _ s: MessageStatus) throws -> JournalEntry? {
            try Lifecycle.apply(a, to: Self.entry(s), at: nil, now: Self.now, by: "me", message: nil, recipients: nil, files: [:])?.journal.last
        }
        #expect(try journal(.sent, .ready)?.kind == .info)
        #expect(try journal(.delivered, .sent)?.kind == .success)
        #expect(try journal(.failed, .sent)?.kind == .warning)
        let retried = try Lifecycle.apply(.retry, to: Self.entry(.failed), at: nil, now: Self.now, by: nil, message: "again", recipients: nil, files: [:])
        #expect(retried?.sentAt == nil && retried?.status == .ready && retried?.journal.last?.message == "again")
    }

    @Test func damagedManifestsAreRefusedAndKept() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("manifest.json")
        // An entry as render writes it: a message ID, a SHA-256 content hash.
        var entry = Self.entry(.ready)
        (entry.id, entry.lineage, entry.contentHash) = ("message-m", "message-m", String(repeating: "0", count: 64))
        let good = String(decoding: Manifest(entries: [entry]).serialized(), as: UTF8.self)
        let cases: [(String, String)] = [
            (String(good.prefix(40)), "damaged manifest: invalid JSON"),
            ("{\"format\": 1, \"messages\": [}", "damaged manifest: invalid JSON"),
            (good.replacingOccurrences(of: "\"status\": \"ready\"", with: "\"status\": \"shipped\""),
             "message 'message-m': 'status' 'shipped' is not one of"),
            (good.replacingOccurrences(of: "\"messages\": [", with: "\"messages\": [" + good.components(separatedBy: "\"messages\": [")[1].components(separatedBy: "\n  ]")[0] + ","),
             "message id 'message-m' appears twice"),
        ]
        for (text, why) in cases {
            try Data(text.utf8).write(to: url)
            let r = Result { try Lifecycle.run(.sent, .ids(["message-m"]), out: OutputFolder(dir), at: nil, by: nil, message: nil) }
            guard case .failure(let e) = r else { Issue.record("accepted a damaged manifest: \(why)"); continue }
            #expect("\(e)".contains(why), Comment(rawValue: "\(e)"))
            #expect(String(decoding: try Data(contentsOf: url), as: UTF8.self) == text)
        }
    }
}
