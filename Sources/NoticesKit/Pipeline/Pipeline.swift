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
    }

    /// Runs the stages; throws every planning error, else every rendering error, and
    /// then nothing of the run should take effect.
    static func run<Applied>(_ loaded: LoadResult, manifest: Manifest, options: Options,
                             apply: @escaping @Sendable (MessageChange) throws -> Applied?) throws -> Pass<Applied> {
        let model = loaded.model
        let index = ModelIndex(model)
        let schedule = Schedule(manifest, now: options.now)
        let stage = RenderStage(renderer: MessageRenderer(index: index),
                                cache: FingerprintCache(previous: options.fingerprints, model: model), schedule: schedule,
                                previousMessage: options.previousMessage)
        var reconciliation = Reconciliation(manifest, now: options.now)
        var planDiagnostics: [Diagnostic] = []
        var renderWarnings: [Diagnostic] = []
        var errors: [Diagnostic] = []
        var seenWarnings = Set<Diagnostic>()
        var applied: [Applied] = []
        var lineages = Planner.LineageCheck()
        // Units by their index in the whole plan (a shard's are a subset).
        let units = Planner.units(index).enumerated().filter { options.shard?.owns($0.element) ?? true }
        var settled: [SettledMessage] = []
        var planWarnings: [(unit: Int, warning: Diagnostic)] = []
        var origins: [SettledMessage.Origin] = []
        var next = 0
        while next < units.count {
            var slice: [Job] = []
            origins.removeAll(keepingCapacity: true)
            while next < units.count && slice.count < chunk {
                let (unit, planned) = units[next]
                let (plans, diagnostics) = Planner.plan(planned, index)
                next += 1
                planDiagnostics += diagnostics
                if options.shard != nil { planWarnings += diagnostics.map { (unit, $0) } }
                for plan in plans {
                    if let clash = lineages.add(plan) { planDiagnostics.append(clash) }
                    slice.append(schedule.job(for: plan, in: reconciliation.manifest))
                    if options.shard != nil {
                        origins.append(SettledMessage.Origin(unit: unit, source: Planner.describe(plan), location: Planner.location(of: plan)))
                    }
                }
            }
            // A planning error stops the rendering; planning goes on to report every one.
            if planDiagnostics.hasErrors { continue }
            let results = Parallel.map(slice, jobs: options.jobs) { job in
                stage.outcome(job).flatMap { outcome -> Result<(Reconciliation.Settlement, [Diagnostic], [Diagnostic], Applied?), DiagnosticsError> in
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
                    settled: settled, planWarnings: planWarnings)
    }
}
