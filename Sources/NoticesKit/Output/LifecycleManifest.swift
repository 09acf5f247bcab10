import Foundation

/// The manifest as a lifecycle command changes it: read whole (`LoadedManifest`), or a
/// stamped file changed in place (`ManifestSplice`). Both give the same bytes; the
/// second costs what the touched messages cost instead of what every message does.
protocol LifecycleManifest: AnyObject {
    /// The message's entry as changed so far; nil when there is no such message.
    func entry(_ id: String) throws -> ManifestEntry?
    func set(_ entry: ManifestEntry)
    func remove(_ id: String)
    /// The ids of the messages with `status`, in id order.
    func ids(withStatus status: MessageStatus) throws -> [String]
    /// Every id (to suggest one for a mistyped id).
    func allIDs() throws -> [String]
    /// Withdraws pending messages that a newer revision supersedes (SPEC §3.2); the
    /// `touched` messages are those this command changed.
    func supersede(_ touched: [String], at now: Timestamp) throws -> [(id: String, supersededBy: String)]
    /// Writes the changed manifest.
    func write() throws
}

/// The whole manifest in memory: any manifest notices can read, healed of pending
/// messages that an older notices left unsuperseded, written in canonical form.
final class LoadedManifest: LifecycleManifest {
    private let out: OutputFolder
    private var manifest: Manifest
    private var position: [String: Int] = [:]
    private var removed = Set<String>()

    init(_ manifest: Manifest, out: OutputFolder) {
        self.out = out
        self.manifest = manifest
        for (i, e) in manifest.entries.enumerated() { position[e.id] = i }
    }

    func entry(_ id: String) -> ManifestEntry? {
        guard !removed.contains(id), let i = position[id] else { return nil }
        return manifest.entries[i]
    }

    func set(_ entry: ManifestEntry) { manifest.entries[position[entry.id]!] = entry }

    func remove(_ id: String) { removed.insert(id) }

    func ids(withStatus status: MessageStatus) -> [String] {
        manifest.entries.filter { $0.status == status && !removed.contains($0.id) }.map(\.id)
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    func allIDs() -> [String] { manifest.entries.map(\.id).filter { !removed.contains($0) } }

    func supersede(_ touched: [String], at now: Timestamp) -> [(id: String, supersededBy: String)] {
        if !removed.isEmpty {
            manifest.entries.removeAll { removed.contains($0.id) }
            removed = []
            position = [:]
            for (i, e) in manifest.entries.enumerated() { position[e.id] = i }
        }
        return Supersede.apply(&manifest, at: now)
    }

    func write() throws { try out.writeManifest(manifest) }
}
