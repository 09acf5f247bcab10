import Foundation

/// What `notices render` did.
public struct RenderSummary: Sendable {
    public var new = 0, updated = 0, unchanged = 0, revisions = 0, removed = 0, orphaned = 0
    public var warnings: [Diagnostic] = []

    public init() {}

    init(_ changes: ChangeSet, warnings: [Diagnostic]) {
        new = changes.new
        updated = changes.updated
        unchanged = changes.unchanged
        revisions = changes.revisions
        removed = changes.removed
        orphaned = changes.orphaned
        self.warnings = warnings
    }

    public var line: String {
        "\(new) new, \(updated) updated, \(unchanged) unchanged, \(revisions) revisions, \(removed) removed, \(orphaned) orphaned, \(warnings.count) warnings"
    }

    package var json: JSONValue {
        .object([("new", .int(new)), ("updated", .int(updated)), ("unchanged", .int(unchanged)), ("revisions", .int(revisions)),
                 ("removed", .int(removed)), ("orphaned", .int(orphaned)), ("warnings", .int(warnings.count))])
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
/// Nothing is written unless the whole render succeeds.
public enum Render {
    public static func run(root: URL, options: RenderOptions) throws -> RenderSummary {
        if let summary = try unchangedSinceLastRender(root: root, options: options) { return summary }
        let loaded = Loader.load(root: root)
        if loaded.hasErrors { throw DiagnosticsError(loaded.diagnostics.filter { $0.severity == .error }) }
        let out = OutputFolder(root: root, settings: loaded.model.settings, override: options.out)
        let lock = try out.lock()
        defer { lock.release() }
        let manifest = try out.readManifest() ?? Manifest()
        let fingerprints = out.readFingerprints()
        let staging = try OutputFolder.Staging(out)
        let pass: Pipeline.Pass<[String]>
        do {
            let settings = loaded.model.settings
            let passOptions = Pipeline.Options(now: Schedule.runNow(options.now), jobs: options.jobs, fingerprints: fingerprints,
                                               previousMessage: { PreviousMessage.read($0, out: out, settings: settings) },
                                               progress: options.progress)
            pass = try Pipeline.run(loaded, manifest: manifest, options: passOptions) { change in
                // An unchanged message's files match its manifest hash; they are not read back.
                guard change.kind != .unchanged, change.files != nil else { return nil }
                let d = out.difference(change)
                try staging.stage(change.id, d.changed)
                return d.extra.map { OutputFolder.relativePath($0, of: change.id) }
            }
        } catch {
            staging.discard()
            throw error
        }
        let manifestHash = try out.apply(pass.changes, staging: staging, extraFiles: pass.applied.flatMap { $0 })
        try out.writeFingerprints(pass.changes, previous: fingerprints)
        try out.writeRenderState(root: root, manifestHash: manifestHash, messages: pass.changes.messages,
                                 orphaned: pass.changes.orphaned, warnings: pass.warnings)
        return RenderSummary(pass.changes, warnings: pass.warnings)
    }

    /// The summary of a render that would change nothing, when `OUT/.render-state`
    /// shows that no input file and not the manifest changed since the last successful
    /// render (see RenderState); nil when a full render is needed.
    package static func unchangedSinceLastRender(root: URL, options: RenderOptions) throws -> RenderSummary? {
        let (settings, problems) = SettingsReader.settings(root: root)
        guard !problems.hasErrors else { return nil }
        let out = OutputFolder(root: root, settings: settings, override: options.out)
        guard let state = out.readRenderState(), !out.hasLeftovers else { return nil }
        let lock = try out.lock()
        defer { lock.release() }
        guard RenderState.digest(root: root, out: out) == state.digest else { return nil }
        var summary = RenderSummary()
        summary.unchanged = state.messages
        summary.orphaned = state.orphaned
        summary.warnings = state.warnings
        return summary
    }
}
