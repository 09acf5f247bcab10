import Foundation

/// The stages in order over one loaded tree (docs/ARCHITECTURE.md): plan → schedule →
/// render → reconcile, a chunk of events at a time so memory stays bounded. Each
/// message's change is handed to `apply` on the render thread that rendered it (so
/// files are compared and staged in parallel); what `apply` returns is collected in
/// plan order. `render` and `check` differ only in what they pass in: the fingerprint
/// cache, and what `apply` does with a change. A shard's pass (SPEC §3.6) is the same
/// pass over its own units, keeping what a merge needs to reconcile them later.
enum Pipeline {
    /// Events (and standalone messages) planned and rendered per chunk.
    static let chunk = 512

    struct Pass<Applied> {
        var changes: ChangeSet
        /// What `apply` returned, in plan order (nil results left out).
        var applied: [Applied]
        /// Loading, planning and rendering warnings, each once.
        var warnings: [Diagnostic]
        /// With `Options.shard`: every settled message in plan order, and the planning
        /// warnings with the index of the unit that gave each (a merge puts them back in
        /// the order one pass would have).
        var settled: [SettledMessage] = []
        var planWarnings: [(unit: Int, warning: Diagnostic)] = []
        /// With `Options.recordUnits`: what each unit made (UnitRecords; the caller adds
        /// the manifest's hash).
        var units: UnitRecords?
        /// How many units were replayed rather than planned.
        var replayed = 0
    }

    struct Options {
        var now: Timestamp
        var jobs: Int
        /// Last render's fingerprints; empty renders every message.
        var fingerprints: [String: InputFingerprint.Cached]
        /// The lineage's earlier message as templates see it (read from OUT).
        var previousMessage: @Sendable (ManifestEntry) throws -> PreviousMessage?
        var progress: (@Sendable (Int, Int) -> Void)?
        /// Only this shard's units; the pass then keeps its settlements (`Pass.settled`).
        var shard: Shard? = nil
        /// Keep what each unit made (`Pass.units`), for the next render's replay.
        var recordUnits = false
        /// The last render's units, valid for this manifest and OUT (the caller checked):
        /// units whose key did not change are replayed, not planned (UnitRecords).
        var replay: UnitRecords? = nil

        init(now: Timestamp, jobs: Int, fingerprints: [String: InputFingerprint.Cached],
             previousMessage: @escaping @Sendable (ManifestEntry) throws -> PreviousMessage?, progress: (@Sendable (Int, Int) -> Void)?) {
            self.now = now
            self.jobs = jobs
            self.fingerprints = fingerprints
            self.previousMessage = previousMessage
            self.progress = progress
        }

        /// A render's pass (render, a shard): its time and jobs from `options`, earlier
        /// messages read from `out`.
        init(_ options: RenderOptions, out: OutputFolder, settings: Settings, fingerprints: [String: InputFingerprint.Cached]) {
            self.init(now: Schedule.runNow(options.now), jobs: options.jobs, fingerprints: fingerprints,
                      previousMessage: { try PreviousMessage.read($0, out: out, settings: settings) }, progress: options.progress)
        }
    }

    /// One message of a chunk: a job to render, or a message of a replayed unit (its
    /// manifest entry, its cached fingerprint, its event for the render-time warnings).
    private enum Work {
        case job(Job)
        case replay(ManifestEntry, lineage: String, InputFingerprint.Cached, Event?)
    }

    /// Runs the stages; throws every planning error, else every rendering error, and
    /// then nothing of the run should take effect.
    /// `manifest` is consumed: the reconciliation changes it in place, and a caller that
    /// kept it would make that a copy (tens of MB at 100,000 messages).
    static func run<Applied>(_ loaded: LoadResult, manifest: consuming Manifest, options: Options,
                             apply: @escaping @Sendable (MessageChange) throws -> Applied?) throws -> Pass<Applied> {
        let model = loaded.model
        let index = ModelIndex(model)
        let schedule = Schedule(copy manifest, now: options.now)  // keeps indexes, not the manifest
        let stage = RenderStage(renderer: MessageRenderer(index: index),
                                cache: FingerprintCache(previous: options.fingerprints, model: model), schedule: schedule,
                                previousMessage: options.previousMessage)
        var reconciliation = Reconciliation(consume manifest, now: options.now)
        var planDiagnostics: [Diagnostic] = []
        var renderWarnings: [Diagnostic] = []
        var errors: [Diagnostic] = []
        var seenWarnings = Set<Diagnostic>()
        var applied: [Applied] = []
        var lineages = Planner.LineageCheck()
        // Units by their index in the whole plan (a shard's are a subset).
        let units = Planner.units(index).enumerated().filter { options.shard?.owns($0.element) ?? true }
        var settled: [SettledMessage] = []
        // About the shard's share of the manifest: a large array grown by doubling holds
        // its old and new storage at once.
        if let shard = options.shard { settled.reserveCapacity(reconciliation.manifest.entries.count / shard.count * 21 / 20 + 256) }
        var planWarnings: [(unit: Int, warning: Diagnostic)] = []
        var origins: [SettledMessage.Origin] = []
        let keys = options.recordUnits && options.shard == nil ? UnitKeys(model, run: stage.cache.run) : nil
        var records = UnitRecords()
        var replayedUnits = 0
        // Per message of the chunk: its unit's name and its plan's description, when its unit is recorded.
        var recording: [(unit: String, source: String)?] = []
        var next = 0
        while next < units.count {
            var slice: [Work] = []
            origins.removeAll(keepingCapacity: true)
            recording.removeAll(keepingCapacity: true)
            while next < units.count && slice.count < chunk {
                let (unit, planned) = units[next]
                next += 1
                let name = keys.map { _ in Shard.key(planned) }
                let key = keys?.key(planned)
                if let name, let key, let replayed = replay(options.replay?.units[name], key: key, schedule, reconciliation.manifest, options.fingerprints) {
                    planDiagnostics += replayed.record.warnings
                    let event: Event? = if case .event(let e) = planned { e } else { nil }
                    let location = Planner.location(of: planned)
                    for (m, entry, cached) in replayed.messages {
                        if let clash = lineages.add(m.lineage, m.source, at: location) { planDiagnostics.append(clash) }
                        slice.append(.replay(entry, lineage: m.lineage, cached, event))
                        recording.append(nil)
                    }
                    records.units[name] = replayed.record
                    replayedUnits += 1
                    continue
                }
                let (plans, diagnostics) = Planner.plan(planned, index)
                planDiagnostics += diagnostics
                if options.shard != nil { planWarnings += diagnostics.map { (unit, $0) } }
                if let name, let key { records.units[name] = UnitRecords.Unit(key: key, warnings: diagnostics) }
                for plan in plans {
                    if let clash = lineages.add(plan) { planDiagnostics.append(clash) }
                    slice.append(.job(schedule.job(for: plan, in: reconciliation.manifest)))
                    recording.append(name.map { ($0, Planner.describe(plan)) })
                    if options.shard != nil {
                        origins.append(SettledMessage.Origin(unit: unit, source: Planner.describe(plan), location: Planner.location(of: plan)))
                    }
                }
            }
            // A planning error stops the rendering; planning goes on to report every one.
            if planDiagnostics.hasErrors { continue }
            let results = Parallel.map(slice, jobs: options.jobs) { work -> Result<(Reconciliation.Settlement, [Diagnostic], [Diagnostic], Applied?), DiagnosticsError> in
                guard case .job(let job) = work else { return replayed(work, settings: model.settings, apply: apply) }
                return stage.outcome(job).flatMap { outcome -> Result<(Reconciliation.Settlement, [Diagnostic], [Diagnostic], Applied?), DiagnosticsError> in
                    var settled = Reconciliation.settle(outcome)
                    do {
                        let result = try apply(settled.change)
                        settled.rendered = settled.change.files != nil
                        settled.change.files = nil
                        // Warnings about the message's render time: not cached with its fingerprint.
                        let timing = outcome.job.plan.event.map { SanityChecks.check($0, now: outcome.job.now, settings: model.settings) } ?? []
                        return .success((settled, outcome.warnings, timing, result))
                    } catch let e as DiagnosticsError {
                        return .failure(e)
                    } catch {
                        return .failure(DiagnosticsError([.error(nil, "message \(settled.entry.id): \(ErrorText.describe(error))")]))
                    }
                }
            }
            for (n, r) in results.enumerated() {
                switch r {
                case .failure(let e): errors += e.diagnostics
                case .success(let (s, warnings, timing, result)):
                    // The same warning can come from many messages (a contact without email).
                    renderWarnings += (warnings + timing).filter { seenWarnings.insert($0).inserted }
                    if errors.isEmpty, let result { applied.append(result) }
                    reconciliation.record(s)
                    if let (unit, source) = recording[n] {
                        records.units[unit]?.messages.append(UnitRecords.Message(id: s.entry.id, lineage: s.lineage, source: source))
                    }
                    if options.shard != nil { settled.append(SettledMessage(settlement: s, origin: origins[n], timing: timing)) }
                }
            }
            options.progress?(next, units.count)
        }
        let all = loaded.diagnostics.filter { $0.severity == .warning } + planDiagnostics + renderWarnings
        var unique = Set<Diagnostic>()
        let warnings = all.filter { $0.severity == .warning && unique.insert($0).inserted }
        if planDiagnostics.hasErrors { throw DiagnosticsError(planDiagnostics.filter { $0.severity == .error }, warnings: warnings) }
        if !errors.isEmpty { throw DiagnosticsError(errors, warnings: warnings) }
        return Pass(changes: reconciliation.finish(), applied: applied, warnings: warnings,
                    settled: settled, planWarnings: planWarnings, units: keys == nil ? nil : records, replayed: replayedUnits)
    }

    /// A unit's last record when its key is the same and each of its messages is still
    /// its lineage's latest entry with a cached fingerprint: its messages, to replay.
    private static func replay(_ record: UnitRecords.Unit?, key: String, _ schedule: Schedule, _ manifest: Manifest,
                               _ fingerprints: [String: InputFingerprint.Cached])
        -> (record: UnitRecords.Unit, messages: [(UnitRecords.Message, ManifestEntry, InputFingerprint.Cached)])? {
        guard let record, record.key == key else { return nil }
        var messages: [(UnitRecords.Message, ManifestEntry, InputFingerprint.Cached)] = []
        messages.reserveCapacity(record.messages.count)
        for m in record.messages {
            guard let entry = schedule.latest(m.lineage, in: manifest), entry.id == m.id, let cached = fingerprints[m.id] else { return nil }
            messages.append((m, entry, cached))
        }
        return (record, messages)
    }

    /// A replayed message settled as the render stage settles one whose fingerprint
    /// matched: unchanged, its entry standing, its cached warnings.
    private static func replayed<Applied>(_ work: Work, settings: Settings, apply: @Sendable (MessageChange) throws -> Applied?)
        -> Result<(Reconciliation.Settlement, [Diagnostic], [Diagnostic], Applied?), DiagnosticsError> {
        guard case .replay(let previous, let lineage, let cached, let event) = work else { preconditionFailure("not a replay") }
        var entry = previous
        entry.orphaned = false
        let change = MessageChange(id: entry.id, kind: .unchanged, files: nil, frozenRecipients: entry.status != .draft && entry.recipients == nil)
        let settled = Reconciliation.Settlement(entry: entry, change: change, lineage: lineage, fingerprint: cached.fingerprint,
                                                warnings: cached.warnings)
        do {
            let result = try apply(change)
            let timing = event.map { SanityChecks.check($0, now: entry.renderedAt, settings: settings) } ?? []
            return .success((settled, cached.warnings, timing, result))
        } catch let e as DiagnosticsError {
            return .failure(e)
        } catch {
            return .failure(DiagnosticsError([.error(nil, "message \(entry.id): \(ErrorText.describe(error))")]))
        }
    }
}
