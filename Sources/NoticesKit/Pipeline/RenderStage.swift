import Foundation
import Jinja

/// A job after rendering: its files, or the news that its inputs did not change.
package struct Outcome: Sendable {
    /// The job as rendered: the revision's job when the content changed after approval.
    package var job: Job
    /// The message's files; nil when its inputs match the last render's fingerprint
    /// (nothing was rendered: its folder and manifest entry stand).
    package var files: [String: Data]?
    /// The rendering's warnings (for a message not rendered, those it gave last time).
    package var warnings: [Diagnostic]
    /// The digest of the inputs of `job` (OUT/.fingerprints).
    package var fingerprint: String
    /// For a new revision: the entry it revises (the lineage's latest).
    package var revises: ManifestEntry?

    package init(job: Job, files: [String: Data]?, warnings: [Diagnostic] = [], fingerprint: String, revises: ManifestEntry? = nil) {
        self.job = job
        self.files = files
        self.warnings = warnings
        self.fingerprint = fingerprint
        self.revises = revises
    }
}

/// Last render's fingerprints and what this run's are made of. A job whose fingerprint
/// is the one its message had is not rendered again.
package struct FingerprintCache: Sendable {
    /// Message id → fingerprint and warnings, as OUT/.fingerprints holds them; empty
    /// for `check`, which renders everything.
    let previous: [String: InputFingerprint.Cached]
    let run: String
    let digests = InputFingerprint.makeCache()

    package init(previous: [String: InputFingerprint.Cached], model: Model) {
        self.previous = previous
        run = InputFingerprint.runDigest(model)
    }

    /// What the last render kept of the job's message when its inputs are the same.
    func unchanged(_ job: Job, _ fingerprint: String) -> InputFingerprint.Cached? {
        guard job.previous != nil, let cached = previous[job.id], cached.fingerprint == fingerprint else { return nil }
        return cached
    }
}

/// Stage 2, render: jobs → outcomes, through the fingerprint cache. Thread-safe: many
/// render threads share one stage.
package final class RenderStage: Sendable {
    let renderer: MessageRenderer
    let cache: FingerprintCache
    let schedule: Schedule
    /// The lineage's earlier message as templates see it (`previous`): read from the
    /// output folder by the caller, so this stage does no I/O of its own.
    let previousMessage: @Sendable (ManifestEntry) throws -> PreviousMessage?

    package init(renderer: MessageRenderer, cache: FingerprintCache, schedule: Schedule,
                 previousMessage: @escaping @Sendable (ManifestEntry) throws -> PreviousMessage? = { _ in nil }) {
        self.renderer = renderer
        self.cache = cache
        self.schedule = schedule
        self.previousMessage = previousMessage
    }

    /// Renders a job unless its inputs are unchanged. A message that left draft and
    /// whose content changed is rendered again as its next revision (SPEC §3.2).
    package func outcome(_ job: Job) -> Result<Outcome, DiagnosticsError> {
        do {
            let earlier = try job.before.flatMap(previousMessage)
            let prepared = prepare(job, previous: earlier)
            let fp = prepared.fingerprint
            if let cached = cache.unchanged(job, fp) {
                return .success(Outcome(job: job, files: nil, warnings: cached.warnings, fingerprint: fp))
            }
            let rendered = try render(job, previous: earlier, prepared: prepared)
            guard let previous = job.previous, Reconciliation.needsRevision(previous, rendered.files) else {
                return .success(Outcome(job: job, files: rendered.files, warnings: rendered.warnings, fingerprint: fp))
            }
            let next = schedule.revision(of: job)
            // The message it revises is withdrawn in this same render when still pending
            // (Supersede): the revision's `previous` shows it so, as later renders will.
            let last = try previousMessage(previous.status.isPending ? Supersede.withdrawn(previous, by: next.id, at: schedule.now) : previous)
            let preparedNext = prepare(next, previous: last)
            let revision = try render(next, previous: last, prepared: preparedNext)
            return .success(Outcome(job: next, files: revision.files, warnings: revision.warnings,
                                    fingerprint: preparedNext.fingerprint, revises: previous))
        } catch let e as DiagnosticsError {
            return .failure(e)
        } catch {
            return .failure(DiagnosticsError([.error(Planner.location(of: job.plan), "message \(job.id): \(ErrorText.describe(error))")]))
        }
    }

    /// A job's plan and template context, built once for its fingerprint and its render.
    struct Prepared {
        var plan: MessagePlan
        var context: [String: Value]
        var fingerprint: String
    }

    func render(_ job: Job, previous: PreviousMessage?, prepared: Prepared? = nil) throws -> RenderedMessage {
        try renderer.render(prepared?.plan ?? job.renderedPlan, id: job.id, sequence: job.sequence, now: job.now, previous: previous,
                            context: prepared?.context)
    }

    func prepare(_ job: Job, previous: PreviousMessage?) -> Prepared {
        let plan = job.renderedPlan
        let ctx = renderer.objects.context(for: plan, now: job.now, sequence: job.sequence, netboxURL: renderer.index.model.settings.netboxURL,
                                           id: job.id, previous: previous)
        let fp = InputFingerprint.message(ctx, plan: plan, id: job.id, sequence: job.sequence, now: job.now, run: cache.run, cache: cache.digests)
        return Prepared(plan: plan, context: ctx, fingerprint: fp)
    }

    func fingerprint(_ job: Job, previous: PreviousMessage?) -> String { prepare(job, previous: previous).fingerprint }
}
