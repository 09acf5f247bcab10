import Foundation

/// What `notices check` found: every file of OUT that a render would write or remove.
public struct CheckReport: Sendable {
    public enum Kind: String, Sendable {
        /// The file exists with other bytes.
        case stale
        /// A render would create it.
        case missing
        /// A render would remove it.
        case extra
        /// Deleted, changed or added by hand in a folder no render can write again
        /// (an earlier revision, an orphaned message): restore it from version control.
        case damaged
    }

    public struct Item: Sendable, Equatable {
        /// Relative to OUT.
        public var path: String
        public var kind: Kind
    }

    /// Written files (stale or missing) in path order, then extra files in path order,
    /// then damaged ones.
    public var items: [Item] = []
    /// For damaged folders: what a render would say (how to restore them).
    public var problems: [Diagnostic] = []
    /// With `diffs`: a unified diff of each written file, in the order of `items`.
    public var diff = ""

    public var isCurrent: Bool { items.isEmpty }
}

/// `notices check`: reconcile, then compare the change set with OUT (nothing is
/// written; no fingerprint is trusted, every message is rendered and every file compared).
public enum Check {
    /// `now`: the time of messages a render would create (`render --now`'s default).
    public static func run(root: URL, out override: URL?, now: Timestamp? = nil, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                           diffs: Bool = false) throws -> CheckReport {
        let loaded = Loader.load(root: root)
        if loaded.hasErrors { throw DiagnosticsError(loaded.diagnostics.filter { $0.severity == .error }) }
        let out = OutputFolder(root: root, settings: loaded.model.settings, override: override)
        let manifest = try out.readManifest() ?? Manifest()
        struct Compared: Sendable {
            var written: [String: Data]
            var extra: [String]
        }
        let settings = loaded.model.settings
        let options = Pipeline.Options(now: Schedule.runNow(now), jobs: jobs, fingerprints: [:],
                                       previousMessage: { PreviousMessage.read($0, out: out, settings: settings) }, progress: nil)
        let pass = try Pipeline.run(loaded, manifest: manifest, options: options) { change -> Compared? in
            let d = out.difference(change)
            if d.changed.isEmpty && d.extra.isEmpty { return nil }
            var written: [String: Data] = [:]
            // The bytes are kept only for the diff.
            for (name, data) in d.changed { written[OutputFolder.relativePath(name, of: change.id)] = diffs ? data : Data() }
            return Compared(written: written, extra: d.extra.map { OutputFolder.relativePath($0, of: change.id) })
        }
        var written: [String: Data] = [:]
        var extra: [String] = []
        for c in pass.applied {
            written.merge(c.written) { a, _ in a }
            extra += c.extra
        }
        for id in pass.changes.removedMessages {
            extra += out.fileNames(of: id, includingHidden: true).map { OutputFolder.relativePath($0, of: id) }
        }
        // Folders this render would not write: read back against their entries.
        let produced = Set(pass.changes.produced)
        let kept = Manifest(entries: pass.changes.manifest.entries.filter { !produced.contains($0.id) })
        let inspection = out.inspect(kept, record: out.readFolderStats(), trusting: false, jobs: jobs)
        // Names no entry lists (removed drafts' folders are listed above already).
        let listed = Set(pass.changes.manifest.entries.map(\.id)).union(pass.changes.removedMessages)
        extra += out.unlistedFiles(inspection.unlisted.filter { !listed.contains($0) }) + inspection.strayPaths
        if let bytes = try out.manifestDiffers(pass.changes.manifest, keepingBytes: diffs) { written[OutputFolder.manifestName] = bytes }

        var report = CheckReport()
        let paths = written.keys.sorted()
        for path in paths {
            report.items.append(CheckReport.Item(path: path, kind: out.exists(path) ? .stale : .missing))
        }
        report.items += extra.sorted().map { CheckReport.Item(path: $0, kind: .extra) }
        for id in inspection.damaged.keys.sorted() {
            let names = inspection.damaged[id]!
            report.items += (names.isEmpty ? [""] : names).map { CheckReport.Item(path: OutputFolder.relativePath($0, of: id), kind: .damaged) }
        }
        report.problems = out.unrepairable(inspection.damaged, in: pass.changes.manifest)
        if diffs {
            for path in paths {
                let old = out.contents(path).map { String(decoding: $0, as: UTF8.self) } ?? ""
                report.diff += UnifiedDiff.diff(old: old, new: String(decoding: written[path]!, as: UTF8.self), path: path)
            }
        }
        return report
    }
}
