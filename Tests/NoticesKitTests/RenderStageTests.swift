import Foundation
import Testing
import TestSupport
@testable import NoticesKit

/// The render stage: jobs → outcomes through the fingerprint cache, without a disk.
@Suite struct RenderStageTests {
    let index = StageFixture.index()

    func stage(_ manifest: Manifest, fingerprints: [String: InputFingerprint.Cached] = [:]) -> RenderStage {
        RenderStage(renderer: MessageRenderer(index: index), cache: FingerprintCache(previous: fingerprints, model: index.model),
                    schedule: Schedule(manifest, now: StageFixture.t1))
    }

    func job(_ stage: RenderStage, _ manifest: Manifest) throws -> Job {
        stage.schedule.job(for: try #require(StageFixture.plans(index)["maintenance-m1--acme"]), in: manifest)
    }

    @Test func aJobIsRenderedUnlessItsFingerprintMatches() throws {
        let first = stage(Manifest())
        let rendered = try first.outcome(try job(first, Manifest())).get()
        let files = try #require(rendered.files)
        #expect(String(decoding: try #require(files["body.txt"]), as: UTF8.self) == "Dear Ann: Work")
        #expect(String(decoding: try #require(files["subject"]), as: UTF8.self) == "Work for ACME")

        // The same inputs against the message they made: nothing to render.
        var manifest = Manifest()
        var r = Reconciliation(manifest, now: StageFixture.t1)
        r.record(rendered)
        manifest = r.finish().manifest
        let again = stage(manifest, fingerprints: ["maintenance-m1--acme": InputFingerprint.Cached(fingerprint: rendered.fingerprint)])
        let outcome = try again.outcome(try job(again, manifest)).get()
        #expect(outcome.files == nil && outcome.fingerprint == rendered.fingerprint)
        // Without the cache (as `check` runs), it is rendered again, to the same bytes.
        let uncached = stage(manifest)
        #expect(try uncached.outcome(try job(uncached, manifest)).get().files == files)
    }

    @Test func anApprovedMessageWhoseContentChangedIsRenderedAsItsNextRevision() throws {
        let manifest = Manifest(entries: [StageFixture.entry("maintenance-m1--acme", status: .ready, hash: "before",
                                                            recipients: [Recipient(contactID: "ann@acme.test", name: "Ann", email: "ann@acme.test",
                                                                                   role: nil, priority: nil, tenant: "acme")])])
        let s = stage(manifest)
        let outcome = try s.outcome(try job(s, manifest)).get()
        #expect(outcome.job.id == "maintenance-m1--acme--2" && outcome.job.sequence == 2 && outcome.job.now == StageFixture.t1)
        #expect(outcome.revises?.id == "maintenance-m1--acme")
        #expect(outcome.files?["message.json"].map { String(decoding: $0, as: UTF8.self).contains("\"sequence\": 2,") } == true)
    }

    @Test func renderErrorsNameTheMessage() throws {
        let broken = memoryModel(StageFixture.yaml.replacingOccurrences(of: "{{ maintenance.summary }} for", with: "{{ maintenance.summary|nosuch }} for")).0
        let s = RenderStage(renderer: MessageRenderer(index: broken), cache: FingerprintCache(previous: [:], model: broken.model),
                            schedule: Schedule(Manifest(), now: StageFixture.t1))
        let (plans, _) = Planner.planEvent(broken.model.events[0], broken)
        guard case .failure(let e) = s.outcome(s.schedule.job(for: plans[0], in: Manifest())) else { Issue.record("rendered"); return }
        #expect(e.diagnostics.map(\.message).first?.contains("(message maintenance-m1--acme)") == true, Comment(rawValue: "\(e)"))
    }
}
