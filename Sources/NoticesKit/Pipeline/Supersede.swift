import Foundation

/// Superseding (SPEC §3.2): once a lineage has a newer message, its earlier messages
/// that are approved but not yet out (`ready`, `failed`) are withdrawn, so a mail tool
/// that sends every `ready` message never sends a stale notice. Sent and delivered
/// messages are history and stay as they are. Pure: render (Reconciliation) and the
/// lifecycle commands apply it to the manifest they are about to write, so a manifest
/// written before superseding existed heals at its next change.
package enum Supersede {
    /// An entry as it is once superseded by `newer` (the lineage's newest message).
    package static func withdrawn(_ entry: ManifestEntry, by newer: String, at now: Timestamp) -> ManifestEntry {
        var e = entry
        e.journal.append(JournalEntry(at: now, from: entry.status, to: .withdrawn, kind: .warning, by: nil,
                                      message: "superseded by \(newer)"))
        e.status = .withdrawn
        e.withdrawnAt = now
        return e
    }

    /// Withdraws every pending entry that has a newer message in its lineage; returns
    /// the ids withdrawn (in manifest order) with the id that superseded each.
    @discardableResult
    package static func apply(_ manifest: inout Manifest, at now: Timestamp) -> [(id: String, supersededBy: String)] {
        // The newest message of each lineage that has a pending one (most have none).
        var pending = Set<String>()
        for e in manifest.entries where e.status.isPending { pending.insert(e.lineage) }
        guard !pending.isEmpty else { return [] }
        var newest: [String: (sequence: Int, id: String)] = [:]
        for e in manifest.entries where pending.contains(e.lineage) {
            if let n = newest[e.lineage], n.sequence >= e.sequence { continue }
            newest[e.lineage] = (e.sequence, e.id)
        }
        var done: [(id: String, supersededBy: String)] = []
        for i in manifest.entries.indices {
            let e = manifest.entries[i]
            guard e.status.isPending, let n = newest[e.lineage], n.sequence > e.sequence else { continue }
            manifest.entries[i] = withdrawn(e, by: n.id, at: now)
            done.append((e.id, n.id))
        }
        return done
    }
}
