import Foundation

/// One planned message with the identity it gets this render: its ID, sequence and
/// time come from its lineage's latest manifest entry (SPEC §3.2, §3.3).
package struct Job: Sendable {
    package var plan: MessagePlan
    package var id: String
    package var sequence: Int
    package var now: Timestamp
    /// The entry this render compares against (the lineage's latest); nil for a lineage
    /// without messages, and for a new revision.
    package var previous: ManifestEntry?
    /// The lineage's message before this one (`previous` in templates), if any.
    package var before: ManifestEntry?

    package init(plan: MessagePlan, id: String, sequence: Int, now: Timestamp, previous: ManifestEntry?, before: ManifestEntry? = nil) {
        self.plan = plan
        self.id = id
        self.sequence = sequence
        self.now = now
        self.previous = previous
        self.before = before
    }

    /// The plan as rendered: a message that left draft keeps its approved recipients
    /// (recipients.json, the To header and `contacts`), so a change of contacts alone
    /// never makes a revision.
    package var renderedPlan: MessagePlan {
        var plan = self.plan
        if let previous, previous.status != .draft, let frozen = previous.recipients { plan.recipients = frozen }
        return plan
    }
}

/// Stage 1, schedule: manifest + plans → jobs. Pure: it reads the old manifest and
/// never changes it.
package struct Schedule: Sendable {
    /// The time of messages created by this render (`--now`, SOURCE_DATE_EPOCH or the clock).
    package let now: Timestamp
    /// Lineage → index of its latest entry in the manifest, and id → index (indexes, not
    /// copies: a large manifest is held once).
    private var latest: [String: Int] = [:]
    private var position: [String: Int] = [:]

    package init(_ manifest: Manifest, now: Timestamp) {
        self.now = now
        for (i, e) in manifest.entries.enumerated() {
            position[e.id] = i
            if let j = latest[e.lineage], manifest.entries[j].sequence >= e.sequence { continue }
            latest[e.lineage] = i
        }
    }

    /// The job of a plan: the lineage's latest message when there is one, else a new
    /// message (sequence 1, ID = lineage, this render's time). `manifest` is the one
    /// the schedule was made from.
    package func job(for plan: MessagePlan, in manifest: Manifest) -> Job {
        if let i = latest[plan.lineage] {
            let e = manifest.entries[i]
            let before = e.sequence > 1 ? position[MessageThread.id(lineage: plan.lineage, sequence: e.sequence - 1)] : nil
            return Job(plan: plan, id: e.id, sequence: e.sequence, now: e.renderedAt, previous: e,
                       before: before.map { manifest.entries[$0] })
        }
        return Job(plan: plan, id: plan.lineage, sequence: 1, now: now, previous: nil)
    }

    /// The lineage's latest entry in `manifest` (the one the schedule was made from).
    func latest(_ lineage: String, in manifest: Manifest) -> ManifestEntry? { latest[lineage].map { manifest.entries[$0] } }

    /// The next revision of a job whose message left draft and whose content changed:
    /// sequence + 1, its own ID, this render's time and today's recipients.
    package func revision(of job: Job) -> Job {
        let sequence = job.sequence + 1
        return Job(plan: job.plan, id: MessageThread.id(lineage: job.plan.lineage, sequence: sequence), sequence: sequence,
                   now: now, previous: nil, before: job.previous)
    }

    /// The run's `now`: the given time, else SOURCE_DATE_EPOCH, else the clock (whole
    /// seconds). The commands check both first (RenderTime) and pass `given`.
    package static func runNow(_ given: Timestamp?) -> Timestamp {
        if let given { return given }
        return (try? RenderTime.resolve(now: nil).get()) ?? RenderTime.current()
    }
}
