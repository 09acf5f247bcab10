import Foundation

/// What a render does to one message folder.
package struct MessageChange: Sendable {
    package enum Kind: String, Sendable { case new, updated, unchanged, revision }
    package var id: String
    package var kind: Kind
    /// The message's files as rendered; nil when nothing was rendered (inputs unchanged).
    package var files: [String: Data]?
    /// recipients.json cannot be written again: the message left draft before the
    /// manifest kept its recipients (once it does, an approved message renders with the
    /// snapshot, so its recipients.json is compared and repaired like any file).
    package var frozenRecipients: Bool
    /// A new message or revision gets a folder of its own: nothing in OUT to compare with.
    package var fresh: Bool { kind == .new || kind == .revision }
}

/// What a render did as a whole: the new manifest and the folders that go.
package struct ChangeSet: Sendable {
    package var manifest: Manifest
    package var new = 0, updated = 0, unchanged = 0, revisions = 0, removed = 0, orphaned = 0
    /// Messages that get a folder of their own (moved into OUT whole).
    package var fresh = Set<String>()
    /// Drafts whose lineage is no longer produced: their folders are deleted.
    package var removedMessages: [String] = []
    /// Pending messages withdrawn because their lineage has a newer one (Supersede), in
    /// manifest order, with the message that superseded each.
    package var withdrawn: [(id: String, supersededBy: String)] = []
    /// Messages this render produced, in the order it recorded them.
    package var produced: [String] = []
    /// This render's fingerprint (and warnings) of every message it produced.
    package var fingerprints: [String: InputFingerprint.Cached] = [:]
    /// Messages this render produced.
    package var messages = 0
}

/// Stage 3, reconcile: old manifest + outcomes → new manifest + change set (SPEC §3.2).
/// Pure: no file is read or written. Outcomes are recorded one at a time as they come
/// (a large render never holds them all); `finish` settles the lineages that were not
/// produced and withdraws what newer revisions superseded.
package struct Reconciliation: Sendable {
    private var changes: ChangeSet
    /// Message id → index in `changes.manifest.entries`; the new manifest is built in place.
    private var position: [String: Int] = [:]
    /// Entries this render produced (by index).
    private var produced: [Bool]
    private var producedLineages = Set<String>()
    /// The render's time: when superseded messages are withdrawn.
    private let now: Timestamp

    /// `now`: the render's time. Messages that an old manifest already shows superseded
    /// are withdrawn first, so templates of this render see them as they will be
    /// (`previous.status`) and the manifest heals whatever wrote it.
    /// `old` is consumed and changed in place (kept by the caller, it would be copied).
    package init(_ old: consuming Manifest, now: Timestamp) {
        self.now = now
        produced = [Bool](repeating: false, count: old.entries.count)
        for (i, e) in old.entries.enumerated() { position[e.id] = i }
        changes = ChangeSet(manifest: consume old)
        changes.withdrawn = Supersede.apply(&changes.manifest, at: now)
    }

    /// The manifest as reconciled so far (the schedule reads the old entries from it:
    /// entries are replaced only once their message was rendered).
    package var manifest: Manifest { changes.manifest }

    /// Content compared is every file except recipients.json once a message left draft.
    package static func contentHash(_ files: [String: Data], status: MessageStatus) -> String {
        Manifest.contentHash(files, includeRecipients: status == .draft)
    }

    /// A message that left draft needs a revision when its content changed.
    package static func needsRevision(_ previous: ManifestEntry, _ files: [String: Data]) -> Bool {
        previous.status != .draft && contentHash(files, status: previous.status) != previous.contentHash
    }

    /// One outcome settled: its manifest entry and what happens to its folder.
    package struct Settlement: Sendable {
        package var entry: ManifestEntry
        package var change: MessageChange
        package var lineage: String
        package var fingerprint: String
        package var warnings: [Diagnostic]
        /// Whether the message was rendered (else its fingerprint said it stands as it is).
        package var rendered = false
    }

    /// Settles one outcome on its own (no state: render threads call it, then apply the
    /// change to OUT, then hand the settlement to `record`).
    package static func settle(_ outcome: Outcome) -> Settlement {
        let job = outcome.job
        var entry: ManifestEntry
        let kind: MessageChange.Kind
        if let previous = job.previous {
            entry = previous
            entry.orphaned = false
            if let files = outcome.files, previous.status == .draft {
                entry.contentHash = contentHash(files, status: .draft)
                entry.template = job.plan.merged.top.slug
                kind = entry.contentHash == previous.contentHash ? .unchanged : .updated
            } else {
                // Nothing rendered, or approved and the same content.
                kind = .unchanged
            }
        } else {
            entry = newEntry(job, files: outcome.files ?? [:])
            kind = outcome.revises == nil ? .new : .revision
        }
        let change = MessageChange(id: entry.id, kind: kind, files: outcome.files, frozenRecipients: entry.status != .draft && entry.recipients == nil)
        return Settlement(entry: entry, change: change, lineage: job.plan.lineage, fingerprint: outcome.fingerprint,
                          warnings: outcome.warnings)
    }

    /// Records a settled outcome into the new manifest.
    package mutating func record(_ s: Settlement) {
        switch s.change.kind {
        case .new: changes.new += 1
        case .revision: changes.revisions += 1
        case .updated: changes.updated += 1
        case .unchanged: changes.unchanged += 1
        }
        if s.change.fresh { changes.fresh.insert(s.entry.id) }
        if let i = position[s.entry.id] {
            changes.manifest.entries[i] = s.entry
            produced[i] = true
        } else {
            position[s.entry.id] = changes.manifest.entries.count
            changes.manifest.entries.append(s.entry)
            produced.append(true)
        }
        producedLineages.insert(s.lineage)
        changes.fingerprints[s.entry.id] = InputFingerprint.Cached(fingerprint: s.fingerprint, warnings: s.warnings)
        changes.produced.append(s.entry.id)
        changes.messages += 1
    }

    /// Settles and records one outcome; returns what happens to its folder.
    @discardableResult
    package mutating func record(_ outcome: Outcome) -> MessageChange {
        let s = Self.settle(outcome)
        record(s)
        return s.change
    }

    /// Settles the lineages this render did not produce: their drafts are removed, the
    /// others kept and flagged orphaned. Older revisions of produced lineages stay; those
    /// still pending are withdrawn (superseded by the revision made this render).
    package mutating func finish() -> ChangeSet {
        var removed = Set<String>()
        for i in changes.manifest.entries.indices where !produced[i] {
            if producedLineages.contains(changes.manifest.entries[i].lineage) {
                // `orphaned` says the lineage is no longer produced (SPEC §3.2): a lineage
                // that comes back (its event notifies again, or is restored) is not an
                // orphan, whichever of its messages the render settled.
                changes.manifest.entries[i].orphaned = false
                continue
            }
            if changes.manifest.entries[i].status == .draft {
                removed.insert(changes.manifest.entries[i].id)
                changes.removedMessages.append(changes.manifest.entries[i].id)
            } else {
                changes.manifest.entries[i].orphaned = true
                changes.orphaned += 1
            }
        }
        changes.removed = removed.count
        if !removed.isEmpty { changes.manifest.entries.removeAll { removed.contains($0.id) } }
        changes.withdrawn += Supersede.apply(&changes.manifest, at: now)
        return changes
    }

    /// The entry of a new message or revision: a draft.
    static func newEntry(_ job: Job, files: [String: Data]) -> ManifestEntry {
        let plan = job.plan
        return ManifestEntry(id: job.id, lineage: plan.lineage, sequence: job.sequence, status: .draft, template: plan.merged.top.slug,
                             event: plan.event?.ref, tenant: plan.tenant?.slug, target: plan.target,
                             contentHash: contentHash(files, status: .draft), renderedAt: job.now)
    }
}
