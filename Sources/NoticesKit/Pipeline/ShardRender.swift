import Foundation

/// What `render --shard` did: its messages by kind (removals, orphans and withdrawals
/// are the merge's, which sees every shard).
public struct PartSummary: Sendable {
    public var shard: Shard
    public var new = 0, updated = 0, unchanged = 0, revisions = 0
    /// Messages whose files the part holds.
    public var files = 0
    public var warnings: [Diagnostic] = []

    public var line: String {
        "shard \(shard): \(new) new, \(updated) updated, \(unchanged) unchanged, \(revisions) revisions, \(warnings.count) warnings "
            + "(\(files) messages to write; merge the parts to finish)"
    }

    package var json: JSONValue {
        .object([("shard", .int(shard.index)), ("shards", .int(shard.count)), ("new", .int(new)), ("updated", .int(updated)),
                 ("unchanged", .int(unchanged)), ("revisions", .int(revisions)), ("files", .int(files)),
                 ("warnings", .int(warnings.count))])
    }
}

/// `notices render ROOT --shard I/N --out PART [--base OUT]` (SPEC §3.6): the render's
/// pass over one shard's units against the base manifest, written to a part instead of
/// OUT. The base is only read (no lock: it may be a read-only checkout; the merge
/// takes OUT's lock and checks that its manifest is still this one).
public enum ShardRender {
    /// `options.out`: the base output folder (--base); default the settings' output.
    public static func run(root: URL, shard: Shard, part: URL, options: RenderOptions) throws -> PartSummary {
        let loaded = Loader.load(root: root, out: options.out)
        if loaded.hasErrors { throw DiagnosticsError(loaded.diagnostics.filter { $0.severity == .error }) }
        let base = try OutputFolder(root: root, settings: loaded.model.settings, override: options.out)
        // The base manifest's bytes are not kept: only their digest goes into the part.
        let (manifest, baseDigest) = try { () throws -> (Manifest, String?) in
            guard let bytes = FileIO.readBytes(base.manifestURL) else { return (Manifest(), nil) }
            return (try Manifest.parse(bytes, file: base.manifestURL.path), PartFolder.digest(bytes))
        }()
        // The shard's own folders are inspected as render inspects all: a damaged one is
        // rendered again whatever its fingerprint says.
        let standalone = Shard.standaloneLineages(loaded.model)
        let damaged = base.inspect(Manifest(entries: manifest.entries.filter { shard.owns(key: Shard.key($0, standalone: standalone)) }),
                                   record: base.readFolderStats(), keepingRecord: false, jobs: options.jobs).damaged
        let fingerprints = base.readFingerprints().filter { damaged[$0.key] == nil }
        // Before the part's temporary folder exists (it may lie inside ROOT).
        let tree = InputDigest.tree(root: root, out: base)
        let writer = try PartFolder.Writer(PartFolder(part))
        do {
            var passOptions = Pipeline.Options(options, out: base, settings: loaded.model.settings, fingerprints: fingerprints)
            passOptions.shard = shard
            // The part keeps the files a merge may write: those render would stage.
            let pass = try Pipeline.run(loaded, manifest: consume manifest, options: passOptions) { change -> (String, String)? in
                guard let files = change.files, change.kind != .unchanged || damaged[change.id] != nil else { return nil }
                return (change.id, try writer.write(change.id, files: files))
            }
            let result = Part(shard: shard, tree: tree, now: passOptions.now,
                              base: baseDigest,
                              loadWarnings: loaded.diagnostics.filter { $0.severity == .warning }, planWarnings: pass.planWarnings,
                              messages: pass.settled, files: Dictionary(pass.applied, uniquingKeysWith: { a, _ in a }))
            try writer.finish(result)
            var summary = PartSummary(shard: shard)
            for m in pass.settled {
                switch m.settlement.change.kind {
                case .new: summary.new += 1
                case .updated: summary.updated += 1
                case .unchanged: summary.unchanged += 1
                case .revision: summary.revisions += 1
                }
            }
            summary.files = result.files.count
            summary.warnings = pass.warnings
            return summary
        } catch {
            writer.discard()
            throw error
        }
    }
}
