import Foundation
import Testing
@testable import NoticesKit

/// Reconciliation: old manifest + outcomes → new manifest + change set, without a disk.
@Suite struct ReconcileTests {
    let plans = StageFixture.plans(StageFixture.index())
    let files = ["subject": Data("s".utf8), "body.txt": Data("b".utf8), "recipients.json": Data("[]".utf8)]

    func job(_ lineage: String, in manifest: Manifest) throws -> Job {
        Schedule(manifest, now: StageFixture.t1).job(for: try #require(plans[lineage]), in: manifest)
    }

    @Test func newMessagesAreDraftsWithTheirContentHash() throws {
        var r = Reconciliation(Manifest(), now: StageFixture.t1)
        let change = r.record(Outcome(job: try job("maintenance-m1--acme", in: Manifest()), files: files, fingerprint: "f"))
        #expect(change.kind == .new && change.fresh && !change.frozenRecipients)
        let set = r.finish()
        #expect(set.new == 1 && set.messages == 1 && set.fresh == ["maintenance-m1--acme"] && set.fingerprints == ["maintenance-m1--acme": InputFingerprint.Cached(fingerprint: "f")])
        let e = try #require(set.manifest.entries.first)
        #expect(e.status == .draft && e.sequence == 1 && e.renderedAt == StageFixture.t1 && e.tenant == "acme" && e.template == "t")
        #expect(e.event == EventRef(kind: .maintenance, id: "m1"))
        #expect(e.contentHash == Manifest.contentHash(files, includeRecipients: true))
    }

    @Test func draftsAreUpdatedInPlaceOrLeftUnchanged() throws {
        let same = Manifest.contentHash(files, includeRecipients: true)
        for (hash, kind) in [(same, MessageChange.Kind.unchanged), ("other", .updated)] {
            var old = StageFixture.entry("maintenance-m1--acme", hash: hash)
            old.orphaned = true
            old.template = "before"
            let manifest = Manifest(entries: [old])
            var r = Reconciliation(manifest, now: StageFixture.t1)
            let change = r.record(Outcome(job: try job("maintenance-m1--acme", in: manifest), files: files, fingerprint: "f"))
            #expect(change.kind == kind && !change.fresh)
            let e = r.finish().manifest.entries[0]
            #expect(e.contentHash == same && e.template == "t" && !e.orphaned && e.renderedAt == StageFixture.t0)
        }
    }

    @Test func anUnrenderedOutcomeKeepsItsEntry() throws {
        var old = StageFixture.entry("maintenance-m1--acme", status: .sent, hash: "kept")
        old.orphaned = true
        let manifest = Manifest(entries: [old])
        var r = Reconciliation(manifest, now: StageFixture.t1)
        let change = r.record(Outcome(job: try job("maintenance-m1--acme", in: manifest), files: nil, fingerprint: "f"))
        #expect(change.kind == .unchanged && change.files == nil && change.frozenRecipients)
        let set = r.finish()
        #expect(set.unchanged == 1 && set.manifest.entries[0].contentHash == "kept" && !set.manifest.entries[0].orphaned)
    }

    @Test func aChangedApprovedMessageGetsARevisionBesideIt() throws {
        let approved = StageFixture.entry("maintenance-m1--acme", status: .ready, hash: "before")
        #expect(Reconciliation.needsRevision(approved, files))
        #expect(!Reconciliation.needsRevision(StageFixture.entry("x", status: .ready, hash: Manifest.contentHash(files, includeRecipients: false)), files))
        #expect(!Reconciliation.needsRevision(StageFixture.entry("x", status: .draft, hash: "other"), files))
        let manifest = Manifest(entries: [approved])
        let schedule = Schedule(manifest, now: StageFixture.t1)
        let revision = schedule.revision(of: schedule.job(for: try #require(plans["maintenance-m1--acme"]), in: manifest))
        var r = Reconciliation(manifest, now: StageFixture.t1)
        let change = r.record(Outcome(job: revision, files: files, fingerprint: "f2", revises: approved))
        #expect(change.kind == .revision && change.id == "maintenance-m1--acme--2" && change.fresh)
        let set = r.finish()
        #expect(set.revisions == 1 && set.orphaned == 0 && set.removed == 0)
        #expect(set.manifest.entries.map(\.id) == ["maintenance-m1--acme", "maintenance-m1--acme--2"])
        // The approved message it supersedes is withdrawn in the same render, journaled.
        #expect(set.manifest.entries[0].status == .withdrawn && set.manifest.entries[1].status == .draft)
        #expect(set.manifest.entries[0].withdrawnAt == StageFixture.t1)
        #expect(set.manifest.entries[0].journal.last?.kind == .warning)
        #expect(set.manifest.entries[0].journal.last?.message == "superseded by maintenance-m1--acme--2")
        #expect(set.withdrawn.map(\.id) == ["maintenance-m1--acme"])
        #expect(set.manifest.entries[1].lineage == "maintenance-m1--acme" && set.manifest.entries[1].sequence == 2)
    }

    @Test func lineagesNoLongerProducedLoseTheirDraftsAndOrphanTheRest() throws {
        let manifest = Manifest(entries: [
            StageFixture.entry("maintenance-gone--acme"),
            StageFixture.entry("maintenance-gone--globex", status: .delivered),
            StageFixture.entry("maintenance-m1--acme", status: .sent),
            StageFixture.entry("maintenance-m1--acme--2", lineage: "maintenance-m1--acme", sequence: 2),
        ])
        var r = Reconciliation(manifest, now: StageFixture.t1)
        r.record(Outcome(job: try job("maintenance-m1--acme", in: manifest), files: nil, fingerprint: "f"))
        let set = r.finish()
        #expect(set.removed == 1 && set.removedMessages == ["maintenance-gone--acme"])
        #expect(set.orphaned == 1)
        #expect(set.manifest.entries.map { "\($0.id):\($0.orphaned)" } ==
                ["maintenance-gone--globex:true", "maintenance-m1--acme:false", "maintenance-m1--acme--2:false"])
    }

    /// An orphaned lineage that is produced again (its event said `notify: false`, then
    /// notifies again with a change, so a revision is made) is no orphan any more: every
    /// message of it loses the flag, not only the one the render settled.
    @Test func aLineageProducedAgainIsNoLongerOrphaned() throws {
        var sent = StageFixture.entry("maintenance-m1--acme", status: .sent)
        sent.orphaned = true
        let manifest = Manifest(entries: [sent])
        let schedule = Schedule(manifest, now: StageFixture.t1)
        let revision = schedule.revision(of: schedule.job(for: try #require(plans["maintenance-m1--acme"]), in: manifest))
        var r = Reconciliation(manifest, now: StageFixture.t1)
        r.record(Outcome(job: revision, files: files, fingerprint: "f2", revises: sent))
        let set = r.finish()
        #expect(set.revisions == 1 && set.orphaned == 0)
        #expect(set.manifest.entries.map { "\($0.id):\($0.status.rawValue):\($0.orphaned)" } ==
                ["maintenance-m1--acme:sent:false", "maintenance-m1--acme--2:draft:false"])
    }
}
