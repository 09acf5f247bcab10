import Foundation
import Testing
@testable import NoticesKit

/// Schedule: manifest + plans → jobs, without a disk.
@Suite struct ScheduleTests {
    let plans = StageFixture.plans(StageFixture.index())

    @Test func aNewLineageStartsAtSequenceOneWithThisRendersTime() throws {
        let schedule = Schedule(Manifest(), now: StageFixture.t1)
        let job = schedule.job(for: try #require(plans["maintenance-m1--acme"]), in: Manifest())
        #expect(job.id == "maintenance-m1--acme" && job.sequence == 1 && job.now == StageFixture.t1 && job.previous == nil)
    }

    @Test func aKnownLineageContinuesFromItsLatestRevision() throws {
        let manifest = Manifest(entries: [
            StageFixture.entry("maintenance-m1--acme--2", lineage: "maintenance-m1--acme", sequence: 2, status: .ready),
            StageFixture.entry("maintenance-m1--acme", sequence: 1, status: .sent),
            StageFixture.entry("maintenance-m1--globex"),
        ])
        let schedule = Schedule(manifest, now: StageFixture.t1)
        let job = schedule.job(for: try #require(plans["maintenance-m1--acme"]), in: manifest)
        #expect(job.id == "maintenance-m1--acme--2" && job.sequence == 2)
        #expect(job.now == StageFixture.t0, "a message keeps the time it was first rendered at")
        #expect(job.previous?.status == .ready)
        let next = schedule.revision(of: job)
        #expect(next.id == "maintenance-m1--acme--3" && next.sequence == 3 && next.now == StageFixture.t1 && next.previous == nil)
        #expect(next.before?.id == "maintenance-m1--acme--2", "the revision follows the lineage's latest")
    }

    @Test func approvedMessagesKeepTheirRecipients() throws {
        let frozen = [Recipient(contactID: "old", name: "Old", email: "old@acme.test", role: nil, priority: nil, tenant: "acme")]
        let plan = try #require(plans["maintenance-m1--acme"])
        #expect(plan.recipients.map(\.contactID) == ["ann@acme.test"])
        for (status, expected) in [(MessageStatus.draft, ["ann@acme.test"]), (.ready, ["old"])] {
            let manifest = Manifest(entries: [StageFixture.entry("maintenance-m1--acme", status: status, recipients: frozen)])
            let job = Schedule(manifest, now: StageFixture.t1).job(for: plan, in: manifest)
            #expect(job.renderedPlan.recipients.map(\.contactID) == expected)
            // A revision is a new draft: today's recipients.
            #expect(Schedule(manifest, now: StageFixture.t1).revision(of: job).renderedPlan.recipients.map(\.contactID) == ["ann@acme.test"])
        }
    }
}
