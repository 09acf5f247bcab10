import Foundation

/// What `notices render` did.
public struct RenderSummary: Sendable {
    public var new = 0, updated = 0, unchanged = 0, revisions = 0, removed = 0, orphaned = 0
    public var warnings: [Diagnostic] = []
    /// Pending messages withdrawn because a newer revision superseded them, with the
    /// message that superseded each (not part of the summary line: they are state
    /// changes, reported on their own lines).
    public var withdrawn: [(id: String, supersededBy: String)] = []
    /// Render repairs OUT: damaged message folders written again; names in
    /// OUT/messages that no manifest entry names, removed; files found in a message
    /// folder that are not the message's (added by hand), removed, as paths relative to
    /// OUT.
    public var repaired: [String] = []
    public var removedUnlisted: [String] = []
    public var removedStrays: [String] = []
    /// Events and standalone messages replayed from OUT/.local/units, not planned (tests
    /// see that the replay was taken; it changes nothing a user sees).
    package var replayedUnits = 0

    public init() {}

    init(_ changes: ChangeSet, warnings: [Diagnostic]) {
        new = changes.new
        updated = changes.updated
        unchanged = changes.unchanged
        revisions = changes.revisions
        removed = changes.removed
        orphaned = changes.orphaned
        withdrawn = changes.withdrawn
        self.warnings = warnings
    }

    public var line: String {
        "\(new) new, \(updated) updated, \(unchanged) unchanged, \(counted(revisions, "revision")), \(removed) removed, \(orphaned) orphaned, "
            + counted(warnings.count, "warning")
    }

    package var json: JSONValue {
        .object([("new", .int(new)), ("updated", .int(updated)), ("unchanged", .int(unchanged)), ("revisions", .int(revisions)),
                 ("removed", .int(removed)), ("orphaned", .int(orphaned)), ("warnings", .int(warnings.count)),
                 ("withdrawn", .array(withdrawn.map { .object([("id", .string($0.id)), ("superseded_by", .string($0.supersededBy))]) })),
                 ("repaired", .array(repaired.map(JSONValue.string))),
                 ("removed_strays", .array((removedUnlisted.map { "\(OutputFolder.messagesName)/\($0)" } + removedStrays).sorted().map(JSONValue.string)))])
    }
}

public struct RenderOptions: Sendable {
    /// --out: the output folder instead of the settings' one.
    public var out: URL?
    /// --now: the time of new messages.
    public var now: Timestamp?
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Called after each chunk with (events and standalone messages done, their total).
    public var progress: (@Sendable (Int, Int) -> Void)?
    public init() {}
}

/// `notices render`: load, run the stages, apply the change set to OUT (SPEC §3.1–§3.3).
/// Nothing is written unless the whole render succeeds. OUT is repaired on the way: a
/// damaged folder is rendered again whatever its fingerprint says, and what no manifest
/// entry names is removed (OutputFolder+Repair).
public enum Render {
    /// What the pass hands back for one message folder it staged or cleaned.
    struct Written: Sendable {
        var id: String
        /// Files of the folder that go, relative to OUT.
        var extra: [String]
        /// Whether any file of the folder was written.
        var wrote: Bool
    }

    public static func run(root: URL, options: RenderOptions) throws -> RenderSummary {
        if let summary = try unchangedSinceLastRender(root: root, options: options) { return summary }
        // The files that did not change since the last render are not parsed again.
        let cache = (try? OutputFolder(root: root, settings: SettingsReader.settings(root: root).settings, override: options.out))
            .map { ParseCache(folder: $0.parseCacheURL) }
        let loaded = Loader.load(root: root, out: options.out, cache: cache)
        if loaded.hasErrors { throw DiagnosticsError(loaded.diagnostics.filter { $0.severity == .error }) }
        let out = try OutputFolder(root: root, settings: loaded.model.settings, override: options.out)
        let lock = try out.lock()
        defer { lock.release() }
        let (manifest, manifestHash) = try { () throws -> (Manifest, String?) in
            let (read, hash) = try out.readManifestHashed()
            return (read ?? Manifest(), hash)
        }()
        let inspection = out.inspect(manifest, record: out.readFolderStats(), jobs: options.jobs)
        // A damaged folder is rendered again even when its inputs did not change.
        let fingerprints = out.readFingerprints()
        let trusted = inspection.damaged.isEmpty ? fingerprints : fingerprints.filter { inspection.damaged[$0.key] == nil }
        // Units are replayed only from the manifest and folders the last render left.
        let replay = inspection.damaged.isEmpty ? out.readUnitRecords().flatMap { $0.manifestHash == manifestHash ? $0 : nil } : nil
        let staging = try OutputFolder.Staging(out)
        let pass: Pipeline.Pass<Written>
        do {
            var passOptions = Pipeline.Options(options, out: out, settings: loaded.model.settings, fingerprints: trusted)
            passOptions.recordUnits = true
            passOptions.replay = replay
            pass = try Pipeline.run(loaded, manifest: consume manifest, options: passOptions) { change in
                try stage(change, out: out, staging: staging, damaged: inspection.damaged)
            }
            try refuseLost(inspection, pass.changes, out: out)
        } catch {
            staging.discard()
            throw error
        }
        var summary = try write(pass.changes, written: pass.applied, warnings: pass.warnings, out: out, staging: staging,
                                inspection: inspection, tree: InputDigest.tree(root: root, out: out), units: pass.units, jobs: options.jobs)
        summary.replayedUnits = pass.replayed
        try out.writeLocalRecord(to: out.parseCacheURL) {
            try ParseCache(folder: out.parseCacheURL).write(loaded.parseCacheEntries, keep: loaded.parseCacheNames)
        }
        return summary
    }

    /// Stages one message's change, on the render thread (render and merge): nil when
    /// its folder needs nothing.
    static func stage(_ change: MessageChange, out: OutputFolder, staging: OutputFolder.Staging,
                      damaged: [String: [String]]) throws -> Written? {
        // An unchanged message's files match its manifest hash; they are not read back
        // unless its folder is damaged.
        guard change.kind != .unchanged || damaged[change.id] != nil, change.files != nil else { return nil }
        let d = out.difference(change)
        if d.changed.isEmpty && d.extra.isEmpty { return nil }
        try staging.stage(change.id, d.changed)
        return Written(id: change.id, extra: d.extra.map { OutputFolder.relativePath($0, of: change.id) }, wrote: !d.changed.isEmpty)
    }

    /// A damaged folder the pass did not write again (an earlier revision, an orphan)
    /// cannot be repaired: after a render, check must pass.
    static func refuseLost(_ inspection: OutputFolder.Inspection, _ changes: ChangeSet, out: OutputFolder) throws {
        let rendered = Set(changes.produced)
        let removed = Set(changes.removedMessages)
        let lost = inspection.damaged.filter { !rendered.contains($0.key) && !removed.contains($0.key) }
        if !lost.isEmpty { throw DiagnosticsError(out.unrepairable(lost, in: changes.manifest)) }
    }

    /// Applies a reconciled pass to OUT (staged files, removals, the manifest), then the
    /// caches: the last step of render and of merge.
    static func write(_ changes: ChangeSet, written: [Written], warnings: [Diagnostic], out: OutputFolder, staging: OutputFolder.Staging,
                      inspection: OutputFolder.Inspection, tree: InputDigest.Tree, units: UnitRecords? = nil,
                      jobs: Int = 1) throws -> RenderSummary {
        let kept = Set(changes.manifest.entries.map(\.id))
        try out.prepareLocalFolder()
        let manifestHash = try out.apply(changes, staging: staging, extraFiles: written.flatMap(\.extra) + inspection.strayPaths,
                                         unlisted: inspection.unlisted.filter { !kept.contains($0) })
        try out.writeFingerprints(changes)
        try out.writeFolderStats(changes.manifest, inspection: inspection,
                                 written: changes.fresh.union(written.map(\.id)).union(inspection.strays.keys), jobs: jobs)
        try out.writeUnitRecords(units, manifestHash: manifestHash)
        try out.writeRenderState(tree: tree, manifestHash: manifestHash, messages: changes.messages,
                                 orphaned: changes.orphaned, warnings: warnings)
        var summary = RenderSummary(changes, warnings: warnings)
        // A damaged folder written again is repaired; files that were only taken out of
        // a folder (added by hand) are reported as removed.
        let damaged = written.filter { inspection.damaged[$0.id] != nil && kept.contains($0.id) }
        summary.repaired = damaged.filter(\.wrote).map(\.id).sorted()
        summary.removedStrays = Set(damaged.flatMap(\.extra) + inspection.strays.filter { kept.contains($0.key) }.flatMap { id, names in
            names.map { OutputFolder.relativePath($0, of: id) }
        }).sorted()
        summary.removedUnlisted = inspection.unlisted.filter { !kept.contains($0) }
        return summary
    }

    /// The summary of a render that would change nothing, when `OUT/.render-state`
    /// shows that no input file and not the manifest changed since the last successful
    /// render and every message folder still looks as that render left it (see
    /// RenderState, FolderStats); nil when a full render is needed.
    package static func unchangedSinceLastRender(root: URL, options: RenderOptions) throws -> RenderSummary? {
        let (settings, problems) = SettingsReader.settings(root: root)
        guard !problems.hasErrors else { return nil }
        // A folder that cannot be OUT is reported by the full render. Every cache present:
        // a render rebuilds the one that was deleted.
        guard let out = try? OutputFolder(root: root, settings: settings, override: options.out),
              FileManager.default.fileExists(atPath: out.renderStateURL.path), !out.hasLeftovers,
              FileManager.default.fileExists(atPath: out.fingerprintsURL.path) else { return nil }
        let lock = try out.lock()
        defer { lock.release() }
        // The state's warnings and the folder record are large: read only when the inputs
        // did not change.
        guard let digest = RenderState.digest(root: root, out: out), let state = out.readRenderState(digest: digest),
              let record = out.readFolderStats(), out.matches(record) else { return nil }
        var summary = RenderSummary()
        summary.unchanged = state.messages
        summary.orphaned = state.orphaned
        summary.warnings = state.warnings
        return summary
    }
}
