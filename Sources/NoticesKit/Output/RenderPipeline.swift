import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `notices render` did.
public struct RenderSummary: Sendable {
    public var new = 0, updated = 0, unchanged = 0, revisions = 0, removed = 0, orphaned = 0
    public var warnings: [Diagnostic] = []
    /// Files (relative to OUT) that a dry run (`check`) would write; empty after a
    /// real render, which does not need the list (it can be a million names).
    public var changedFiles: [String] = []
    /// Files (relative to OUT) that the render removed or would remove.
    public var removedFiles: [String] = []
    /// In a dry run with `keepContent`: the new bytes of each changed file.
    public var contents: [String: Data] = [:]

    public var line: String {
        "\(new) new, \(updated) updated, \(unchanged) unchanged, \(revisions) revisions, \(removed) removed, \(orphaned) orphaned, \(warnings.count) warnings"
    }
}

public struct RenderOptions: Sendable {
    public var out: URL?
    public var now: Timestamp?
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// `check`: compute everything, write nothing.
    public var dryRun = false
    /// Keep the new bytes of changed files (for `check --diff`).
    public var keepContent = false
    /// Called after each chunk with (events and standalone messages done, their total).
    public var progress: (@Sendable (Int, Int) -> Void)?
    public init() {}
}

/// `render` and `check`: load, plan, render every message, and bring OUT up to date
/// (SPEC §3.1–§3.3). Nothing is written unless the whole render succeeds.
public enum RenderPipeline {
    /// What will happen to one planned message.
    struct Job {
        var plan: MessagePlan
        var id: String
        var sequence: Int
        var now: Timestamp
        /// The entry this render compares against (the lineage's latest), if any.
        var previous: ManifestEntry?
        /// The lineage's entry before this message (`previous` in templates), if any.
        var before: ManifestEntry?
    }

    public static func outputURL(root: URL, settings: Settings, override: URL?) -> URL {
        override ?? root.appendingPathComponent(settings.output)
    }

    /// The run's `now`: --now, else SOURCE_DATE_EPOCH, else the clock (whole seconds).
    /// The commands check both first (RenderTime) and always pass `given`.
    public static func runNow(_ given: Timestamp?) -> Timestamp {
        if let given { return given }
        return (try? RenderTime.resolve(now: nil).get()) ?? RenderTime.current()
    }

    public static func run(root: URL, options: RenderOptions) throws -> RenderSummary {
        if !options.dryRun, let summary = try unchangedSinceLastRender(root: root, options: options) { return summary }
        let loaded = Loader.load(root: root)
        if loaded.hasErrors { throw DiagnosticsError(loaded.diagnostics.filter { $0.severity == .error }) }
        let index = ModelIndex(loaded.model)
        let out = outputURL(root: root, settings: loaded.model.settings, override: options.out)
        let lock = options.dryRun ? nil : try FileIO.Lock(out.appendingPathComponent(".lock"))
        defer { lock?.release() }
        let manifestURL = out.appendingPathComponent("manifest.json")
        var manifest = try Manifest.read(manifestURL) ?? Manifest()
        let now = runNow(options.now)

        // Each message's ID, sequence and time come from its lineage's latest entry.
        // Indexes into manifest.entries, not copies: a large manifest is held once.
        var latestOfLineage: [String: Int] = [:]
        var position: [String: Int] = [:]
        for (i, e) in manifest.entries.enumerated() {
            position[e.id] = i
            if let j = latestOfLineage[e.lineage], manifest.entries[j].sequence >= e.sequence { continue }
            latestOfLineage[e.lineage] = i
        }
        func job(_ plan: MessagePlan) -> Job {
            if let i = latestOfLineage[plan.lineage] {
                let latest = manifest.entries[i]
                let before = position[MessageThread.id(lineage: plan.lineage, sequence: latest.sequence - 1)].map { manifest.entries[$0] }
                return Job(plan: plan, id: latest.id, sequence: latest.sequence, now: latest.renderedAt, previous: latest,
                           before: latest.sequence > 1 ? before : nil)
            }
            return Job(plan: plan, id: plan.lineage, sequence: 1, now: now, previous: nil, before: nil)
        }

        let renderer = MessageRenderer(index: index)
        var summary = RenderSummary()
        var planDiags: [Diagnostic] = []
        var renderWarnings: [Diagnostic] = []
        var errors: [Diagnostic] = []
        let staging = out.appendingPathComponent(".staging")
        if !options.dryRun {
            // Leftovers of an interrupted run: its staging folder and temporary files.
            try? FileManager.default.removeItem(at: staging)
            FileIO.removeLeftovers(in: out)
        }

        struct Outcome {
            var entry: ManifestEntry
            var files: [String: Data]?
            var kind: Kind
            var warnings: [Diagnostic]
            var fingerprint: String?
            /// Set when staged: the files that differ from OUT (their bytes only for
            /// `check --diff`), and the files of the folder the message no longer has.
            var changedNames: [String] = []
            var changedData: [String: Data] = [:]
            var removedNames: [String] = []
            enum Kind { case new, updated, unchanged, revision }
        }

        // Messages whose inputs are unchanged since the last render need no rendering.
        let fingerprintsURL = out.appendingPathComponent(".fingerprints")
        let oldFingerprints = options.dryRun ? [:] : InputFingerprint.read(fingerprintsURL)
        let runDigest = InputFingerprint.runDigest(loaded.model)
        let digestCache = InputFingerprint.makeCache()
        func fingerprint(_ plan: MessagePlan, id: String, sequence: Int, now: Timestamp, previous: PreviousMessage?) -> String {
            let ctx = renderer.objects.context(for: plan, now: now, sequence: sequence, netboxURL: loaded.model.settings.netboxURL,
                                               id: id, previous: previous)
            return InputFingerprint.message(ctx, plan: plan, id: id, sequence: sequence, now: now, run: runDigest, cache: digestCache)
        }
        /// The plan an existing message is compared with: approved ones keep their recipients.
        func comparisonPlan(_ job: Job) -> MessagePlan {
            var plan = job.plan
            if let prev = job.previous, prev.status != .draft, let frozen = prev.recipients { plan.recipients = frozen }
            return plan
        }

        func renderJob(_ job: Job) -> Result<Outcome, DiagnosticsError> {
            do {
                let plan = comparisonPlan(job)
                let earlier = job.before.map { PreviousMessage.read($0, out: out, settings: loaded.model.settings) }
                let fp = fingerprint(plan, id: job.id, sequence: job.sequence, now: job.now, previous: earlier)
                if let prev = job.previous, let cached = oldFingerprints[job.id], cached.fingerprint == fp {
                    var e = prev
                    e.orphaned = false
                    return .success(Outcome(entry: e, files: nil, kind: .unchanged, warnings: cached.warnings, fingerprint: fp))
                }
                var rendered = try renderer.render(plan, id: job.id, sequence: job.sequence, now: job.now, previous: earlier)
                guard let prev = job.previous else {
                    return .success(Outcome(entry: entry(job, rendered, status: .draft), files: rendered.files, kind: .new,
                                            warnings: rendered.warnings, fingerprint: fp))
                }
                if prev.status == .draft {
                    let hash = Manifest.contentHash(rendered.files, includeRecipients: true)
                    let same = hash == prev.contentHash
                    var e = prev
                    e.contentHash = hash
                    e.template = job.plan.merged.top.slug
                    e.orphaned = false
                    return .success(Outcome(entry: e, files: rendered.files, kind: same ? .unchanged : .updated,
                                            warnings: rendered.warnings, fingerprint: fp))
                }
                let hash = Manifest.contentHash(rendered.files, includeRecipients: false)
                if hash == prev.contentHash {
                    var e = prev
                    e.orphaned = false
                    return .success(Outcome(entry: e, files: rendered.files, kind: .unchanged, warnings: rendered.warnings, fingerprint: fp))
                }
                // The content changed after approval: a new revision, with today's recipients.
                let next = Job(plan: job.plan, id: MessageThread.id(lineage: job.plan.lineage, sequence: prev.sequence + 1),
                               sequence: prev.sequence + 1, now: now, previous: nil, before: prev)
                let last = PreviousMessage.read(prev, out: out, settings: loaded.model.settings)
                rendered = try renderer.render(next.plan, id: next.id, sequence: next.sequence, now: next.now, previous: last)
                return .success(Outcome(entry: entry(next, rendered, status: .draft), files: rendered.files, kind: .revision,
                                        warnings: rendered.warnings,
                                        fingerprint: fingerprint(next.plan, id: next.id, sequence: next.sequence, now: next.now,
                                                                 previous: last)))
            } catch let e as DiagnosticsError {
                return .failure(e)
            } catch {
                return .failure(DiagnosticsError([.error(Planner.location(of: job.plan), "message \(job.id): \(ErrorText.describe(error))")]))
            }
        }

        /// Compares a rendered message with its folder and writes what changed to the
        /// staging folder. Runs on the render threads, so files are created in parallel.
        func stage(_ outcome: Outcome) -> Result<Outcome, DiagnosticsError> {
            var o = outcome
            // An unchanged message's files match its manifest hash; only `check` reads
            // them back to catch hand edits.
            guard let files = o.files, options.dryRun || o.kind != .unchanged else { o.files = nil; return .success(o) }
            do {
                // New messages and revisions get a folder of their own: nothing to compare.
                let fresh = o.kind == .new || o.kind == .revision
                let folder = out.appendingPathComponent("messages/\(o.entry.id)", isDirectory: true)
                let changed = fresh ? files : try changedFiles(files, folder: folder, frozenRecipients: o.entry.status != .draft)
                if o.kind == .unchanged && !changed.isEmpty && o.entry.status == .draft { o.kind = .updated }
                if !changed.isEmpty || o.kind != .unchanged {
                    o.changedNames = changed.keys.sorted()
                    if options.keepContent { o.changedData = changed }
                    if !options.dryRun {
                        let dir = staging.appendingPathComponent(o.entry.id, isDirectory: true)
                        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false)
                        for (name, data) in changed { try FileIO.write(data, to: dir.appendingPathComponent(name, isDirectory: false)) }
                    }
                }
                // Files of the folder that the message no longer has.
                if !fresh, let existing = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
                    for name in existing.sorted() where !name.hasPrefix(".") && files[name] == nil {
                        if o.entry.status == .draft || name != "recipients.json" { o.removedNames.append(name) }
                    }
                }
            } catch let e as DiagnosticsError {
                return .failure(e)
            } catch {
                return .failure(DiagnosticsError([.error(nil, "message \(o.entry.id): \(ErrorText.describe(error))")]))
            }
            o.files = nil
            return .success(o)
        }
        if !options.dryRun { try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true) }

        // Plan and render a few events at a time so memory stays bounded (plans and
        // outcomes are dropped once rendered); stage changed files as we go. A planning
        // error stops the rendering, and planning goes on only to report every such
        // error. Kept per message: its manifest entry, which replaces its old self in
        // manifest.entries in place (`rendered` marks it), and its fingerprint.
        var rendered = [Bool](repeating: false, count: manifest.entries.count)
        var messageCount = 0
        var newFingerprints: [String: InputFingerprint.Cached] = [:]
        var fresh = Set<String>()
        var seenWarnings = Set<Diagnostic>()
        var produced = Set<String>()
        var lineages = Planner.LineageCheck()
        let units = Planner.units(index)
        let chunk = 512
        var nextUnit = 0
        while nextUnit < units.count {
            var slice: [Job] = []
            while nextUnit < units.count && slice.count < chunk {
                let (plans, diags) = Planner.plan(units[nextUnit], index)
                nextUnit += 1
                planDiags += diags
                for plan in plans {
                    if let clash = lineages.add(plan) { planDiags.append(clash) }
                    produced.insert(plan.lineage)
                    slice.append(job(plan))
                }
            }
            if planDiags.hasErrors { continue }
            let results = Parallel.map(slice, jobs: options.jobs) { renderJob($0).flatMap(stage) }
            for r in results {
                switch r {
                case .failure(let e): errors += e.diagnostics
                case .success(let o):
                    // The same warning can come from many messages (a contact without email).
                    renderWarnings += o.warnings.filter { seenWarnings.insert($0).inserted }
                    if errors.isEmpty {
                        if options.dryRun { summary.changedFiles += o.changedNames.map { "messages/\(o.entry.id)/\($0)" } }
                        for (name, data) in o.changedData { summary.contents["messages/\(o.entry.id)/\(name)"] = data }
                        summary.removedFiles += o.removedNames.map { "messages/\(o.entry.id)/\($0)" }
                    }
                    if let i = position[o.entry.id] {
                        manifest.entries[i] = o.entry
                        rendered[i] = true
                    } else {
                        position[o.entry.id] = manifest.entries.count
                        manifest.entries.append(o.entry)
                        rendered.append(true)
                    }
                    messageCount += 1
                    newFingerprints[o.entry.id] = o.fingerprint.map { InputFingerprint.Cached(fingerprint: $0, warnings: o.warnings) }
                    switch o.kind {
                    case .new: summary.new += 1; fresh.insert(o.entry.id)
                    case .revision: summary.revisions += 1; fresh.insert(o.entry.id)
                    case .updated: summary.updated += 1
                    case .unchanged: summary.unchanged += 1
                    }
                }
            }
            options.progress?(nextUnit, units.count)
        }
        if planDiags.hasErrors {
            if !options.dryRun { try? FileManager.default.removeItem(at: staging) }
            throw DiagnosticsError(planDiags.filter { $0.severity == .error })
        }
        summary.warnings = loaded.diagnostics.filter { $0.severity == .warning } + planDiags + renderWarnings
        if !errors.isEmpty {
            if !options.dryRun { try? FileManager.default.removeItem(at: staging) }
            throw DiagnosticsError(errors)
        }

        // The new manifest: this render's entries, older entries of produced lineages
        // (earlier revisions), vanished drafts removed, vanished others orphaned.
        var removedIDs: [String] = []
        for i in manifest.entries.indices where !rendered[i] && !produced.contains(manifest.entries[i].lineage) {
            if manifest.entries[i].status == .draft {
                removedIDs.append(manifest.entries[i].id)
                summary.removed += 1
            } else {
                manifest.entries[i].orphaned = true
                summary.orphaned += 1
            }
        }
        let removedSet = Set(removedIDs)
        manifest.entries.removeAll { removedSet.contains($0.id) }
        position = [:]
        rendered = []
        for id in removedIDs {
            let folder = out.appendingPathComponent("messages/\(id)", isDirectory: true)
            if let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
                summary.removedFiles += names.sorted().map { "messages/\(id)/\($0)" }
            }
        }
        summary.changedFiles.sort()
        summary.removedFiles.sort()
        var uniqueWarnings = Set<Diagnostic>()
        summary.warnings = summary.warnings.filter { uniqueWarnings.insert($0).inserted }
        if options.dryRun {
            let writer = FileIO.ReplacingWriter(manifestURL, dryRun: true)
            var bytes = Data()
            try manifest.write { piece in
                try writer.append(piece)
                if options.keepContent { bytes.append(piece) }
            }
            if try writer.finish() {
                summary.changedFiles.append("manifest.json")
                summary.changedFiles.sort()
                if options.keepContent { summary.contents["manifest.json"] = bytes }
            }
            return summary
        }

        // Commit: move staged files into place, drop removed ones, then the manifest.
        let fm = FileManager.default
        try fm.createDirectory(at: out.appendingPathComponent("messages"), withIntermediateDirectories: true)
        if let staged = try? fm.contentsOfDirectory(atPath: staging.path) {
            for id in staged.sorted() {
                let src = staging.appendingPathComponent(id, isDirectory: true)
                let dst = out.appendingPathComponent("messages/\(id)", isDirectory: true)
                // A new folder moves in whole (replacing a leftover of an interrupted
                // run, which the manifest does not list); an existing one file by file.
                if fresh.contains(id) {
                    try? fm.removeItem(at: dst)
                    if rename(src.path, dst.path) == 0 { continue }
                }
                try fm.createDirectory(at: dst, withIntermediateDirectories: true)
                for name in try fm.contentsOfDirectory(atPath: src.path).sorted() {
                    guard rename(src.appendingPathComponent(name, isDirectory: false).path, dst.appendingPathComponent(name, isDirectory: false).path) == 0 else {
                        throw FileIO.posixError("cannot move \(name) into \(dst.path)")
                    }
                }
            }
        }
        // Make the moved files durable before the manifest points at them.
        sync()
        try? fm.removeItem(at: staging)
        for path in summary.removedFiles { try? fm.removeItem(at: out.appendingPathComponent(path)) }
        for id in removedIDs { try? fm.removeItem(at: out.appendingPathComponent("messages/\(id)", isDirectory: true)) }
        // Streamed: the manifest of a large tree is over a hundred megabytes.
        let manifestHash = try manifest.replace(manifestURL)
        // The fingerprints last: a crash before this only costs a slower next render.
        let kept = Set(manifest.entries.map(\.id))
        var fingerprints = oldFingerprints.filter { kept.contains($0.key) }
        fingerprints.merge(newFingerprints) { _, new in new }
        let fingerprintData = InputFingerprint.serialized(fingerprints)
        if FileManager.default.contents(atPath: fingerprintsURL.path) != fingerprintData {
            try FileIO.writeAtomically(fingerprintData, to: fingerprintsURL)
        }
        // The whole-run state last of all, once everything it vouches for is written.
        let stateURL = out.appendingPathComponent(".render-state")
        if let digest = RenderState.digest(root: root, out: out, manifestHash: manifestHash) {
            let state = RenderState(digest: digest, messages: messageCount, orphaned: summary.orphaned, warnings: summary.warnings)
            let data = state.serialized()
            if FileManager.default.contents(atPath: stateURL.path) != data { try FileIO.writeAtomically(data, to: stateURL) }
        } else {
            try? FileManager.default.removeItem(at: stateURL)
        }
        return summary
    }

    /// The summary of a render that would change nothing, when `OUT/.render-state`
    /// shows that no input file and not the manifest changed since the last successful
    /// render (see RenderState); nil when a full render is needed.
    static func unchangedSinceLastRender(root: URL, options: RenderOptions) throws -> RenderSummary? {
        let sink = DiagnosticSink()
        let settingsURL = root.appendingPathComponent("notices.yaml")
        var settings = Settings()
        if FileManager.default.fileExists(atPath: settingsURL.path) {
            settings = SettingsReader.read(url: settingsURL, root: root.standardizedFileURL, sink: sink)
        }
        guard !sink.diagnostics.hasErrors else { return nil }
        let out = outputURL(root: root, settings: settings, override: options.out)
        let fm = FileManager.default
        guard let state = RenderState.read(out.appendingPathComponent(".render-state")),
              !fm.fileExists(atPath: out.appendingPathComponent(".staging").path),
              !((try? fm.contentsOfDirectory(atPath: out.path)) ?? []).contains(where: { $0.hasPrefix(".") && $0.contains(".tmp-") })
        else { return nil }
        let lock = try FileIO.Lock(out.appendingPathComponent(".lock"))
        defer { lock.release() }
        guard RenderState.digest(root: root, out: out) == state.digest else { return nil }
        var summary = RenderSummary()
        summary.unchanged = state.messages
        summary.orphaned = state.orphaned
        summary.warnings = state.warnings
        return summary
    }

    static func entry(_ job: Job, _ rendered: RenderedMessage, status: MessageStatus) -> ManifestEntry {
        ManifestEntry(id: job.id, lineage: job.plan.lineage, sequence: job.sequence, status: status,
                      template: job.plan.merged.top.slug, event: job.plan.event?.ref, tenant: job.plan.tenant?.slug,
                      target: job.plan.target, contentHash: Manifest.contentHash(rendered.files, includeRecipients: status == .draft),
                      renderedAt: job.now)
    }

    /// The files whose bytes differ from what the folder holds (recipients.json is
    /// frozen once a message is approved).
    static func changedFiles(_ files: [String: Data], folder: URL, frozenRecipients: Bool) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for (name, data) in files {
            if frozenRecipients && name == "recipients.json" { continue }
            if FileManager.default.contents(atPath: folder.appendingPathComponent(name, isDirectory: false).path) != data { out[name] = data }
        }
        return out
    }
}
