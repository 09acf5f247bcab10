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
        /// Why, when it is not plain bytes: "a symbolic link, not followed".
        public var note: String?
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
/// `check --shard I/N` checks what is the shard's own (SPEC §3.6): its events' and
/// standalone messages' folders and manifest entries (Shard.key); shard 1 also what
/// belongs to no message (folders no entry names, the manifest's layout). The union of
/// the N reports is the full check's.
public enum Check {
    /// `now`: the time of messages a render would create (`render --now`'s default).
    public static func run(root: URL, out override: URL?, now: Timestamp? = nil, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                           diffs: Bool = false, shard: Shard? = nil) throws -> CheckReport {
        let loaded = Loader.load(root: root, out: override)
        if loaded.hasErrors { throw DiagnosticsError(loaded.diagnostics.filter { $0.severity == .error }) }
        let out = try OutputFolder(root: root, settings: loaded.model.settings, override: override)
        let manifest = try out.readManifest() ?? Manifest()
        struct Compared: Sendable {
            var written: [String: Data]
            var extra: [String]
            /// The folder's bytes of written files that exist (only for diffs).
            var old: [String: Data] = [:]
            var present: Set<String> = []
            var notes: [String: String] = [:]
        }
        let settings = loaded.model.settings
        var options = Pipeline.Options(now: Schedule.runNow(now), jobs: jobs, fingerprints: [:],
                                       previousMessage: { try PreviousMessage.read($0, out: out, settings: settings) }, progress: nil)
        options.shard = shard
        let standalone = Shard.standaloneLineages(loaded.model)
        let owns: (ManifestEntry) -> Bool = { e in shard.map { $0.owns(key: Shard.key(e, standalone: standalone)) } ?? true }
        let firstShard = shard.map { $0.index == 1 } ?? true
        // What is needed of the old manifest afterwards is taken now, so that the pass can
        // change it in place (a shard's check still compares entries with it).
        let removable = Set(manifest.entries.filter(owns).map(\.id))
        let old: Manifest? = shard == nil ? nil : manifest
        let pass = try Pipeline.run(loaded, manifest: consume manifest, options: options) { change -> Compared? in
            let d = out.difference(change)
            if d.changed.isEmpty && d.extra.isEmpty { return nil }
            var c = Compared(written: [:], extra: d.extra.map { OutputFolder.relativePath($0, of: change.id) })
            // A link is never read: it is reported, and its side of the diff is empty.
            let folderNote = d.refused[""].map { "its folder is \($0.described), not followed" }
            for (name, data) in d.changed {
                let path = OutputFolder.relativePath(name, of: change.id)
                // The bytes are kept only for the diff.
                c.written[path] = diffs ? data : Data()
                if d.present.contains(name) || folderNote != nil { c.present.insert(path) }
                if let note = folderNote ?? d.refused[name].map({ "\($0.described), not followed" }) { c.notes[path] = note }
                if diffs, d.present.contains(name), d.refused[name] == nil, let old = out.regularContents(name, of: change.id) { c.old[path] = old }
            }
            return c
        }
        var compared = Compared(written: [:], extra: [])
        for c in pass.applied {
            compared.written.merge(c.written) { a, _ in a }
            compared.extra += c.extra
            compared.old.merge(c.old) { a, _ in a }
            compared.present.formUnion(c.present)
            compared.notes.merge(c.notes) { a, _ in a }
        }
        for id in pass.changes.removedMessages where removable.contains(id) {
            switch out.listing(of: id, includingHidden: true) {
            case .success(let names)?: compared.extra += names.map { OutputFolder.relativePath($0, of: id) }
            case .failure?:
                let path = OutputFolder.messagesName + "/" + id
                compared.extra.append(path)
                compared.notes[path] = "\(out.folderEntry(id).described), not followed"
            case nil: break
            }
        }
        if shard == nil {
            if let bytes = try out.manifestDiffers(pass.changes.manifest, keepingBytes: diffs) {
                compared.written[OutputFolder.manifestName] = bytes
                if FileIO.entry(atPath: out.manifestURL.path) != .missing { compared.present.insert(OutputFolder.manifestName) }
                if diffs, let old = FileIO.regularBytes(atPath: out.manifestURL.path) { compared.old[OutputFolder.manifestName] = Data(old) }
            }
        } else if let old {
            // The shard's entries as a render would write them against those OUT holds
            // (the diff shows only those); shard 1 also checks the file's own layout.
            let expected = Manifest(entries: pass.changes.manifest.entries.filter(owns)).serialized()
            let current = Manifest(entries: old.entries.filter(owns)).serialized()
            let reformatted = firstShard ? try out.manifestDiffers(old, keepingBytes: false) != nil : false
            if expected != current || reformatted {
                compared.written[OutputFolder.manifestName] = expected
                compared.present.insert(OutputFolder.manifestName)
                compared.old[OutputFolder.manifestName] = current
            }
        }
        // Folders this render would not write: read back against their entries.
        let produced = Set(pass.changes.produced)
        let kept = Manifest(entries: pass.changes.manifest.entries.filter { !produced.contains($0.id) && owns($0) })
        let inspection = out.inspect(kept, record: out.readFolderStats(), trusting: false, keepingRecord: false, jobs: jobs)
        // Names no entry lists (removed drafts' folders are listed above already); a
        // shard's pass settles only its own lineages, the others' entries stay listed.
        let listed = Set(pass.changes.manifest.entries.map(\.id)).union(pass.changes.removedMessages)
            .union(old.map { $0.entries.filter { !owns($0) }.map(\.id) } ?? [])
        if firstShard { compared.extra += out.unlistedFiles(inspection.unlisted.filter { !listed.contains($0) }) }
        compared.extra += inspection.strayPaths

        var report = CheckReport()
        let paths = compared.written.keys.sorted()
        for path in paths {
            report.items.append(CheckReport.Item(path: path, kind: compared.present.contains(path) ? .stale : .missing, note: compared.notes[path]))
        }
        report.items += compared.extra.sorted().map { CheckReport.Item(path: $0, kind: .extra, note: compared.notes[$0]) }
        for id in inspection.damaged.keys.sorted() {
            let names = inspection.damaged[id]!
            report.items += (names.isEmpty ? [""] : names).map { CheckReport.Item(path: OutputFolder.relativePath($0, of: id), kind: .damaged) }
        }
        report.problems = out.unrepairable(inspection.damaged, in: pass.changes.manifest)
        if diffs {
            for path in paths {
                let old = compared.old[path].map { String(decoding: $0, as: UTF8.self) } ?? ""
                report.diff += UnifiedDiff.diff(old: old, new: String(decoding: compared.written[path]!, as: UTF8.self), path: path)
            }
        }
        return report
    }
}
