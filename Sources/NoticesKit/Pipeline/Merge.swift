import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `notices merge PART… --out OUT` (SPEC §3.6): brings OUT to the bytes one unsharded
/// `render` gives, from the parts of a sharded render. The parts' settled messages are
/// recorded into one Reconciliation in plan order, as one pass records them, so new
/// messages, updates, revisions, withdrawals, removals and orphans come out the same;
/// their files are staged and applied to OUT as render does (Render.stage/write).
/// Nothing is written unless every part is sound, they belong together (one tree, one
/// `now`, one base manifest, every shard once) and OUT's manifest is still their base.
public enum Merge {
    public static func run(parts urls: [URL], out outURL: URL, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> RenderSummary {
        let parts = try readParts(urls)
        let jobs = max(1, jobs)
        let first = parts[0].part
        let out = OutputFolder(outURL)
        func refuseOtherBase(_ bytes: [UInt8]?) throws {
            guard bytes.map({ PartFolder.digest($0) }) != first.base else { return }
            throw DiagnosticsError([.error(nil, "\(out.manifestURL.path) is not the manifest the parts were rendered against "
                                           + "(\(bytes == nil ? "there is none" : "it differs")\(first.base == nil ? "; the parts found none" : "")): "
                                           + "it changed since, or the shards read another --base; render the shards again")])
        }
        // Before the lock makes OUT, so a refused merge leaves no trace.
        if first.base != nil { try refuseOtherBase(FileIO.readBytes(out.manifestURL)) }
        let created = !FileManager.default.fileExists(atPath: out.url.path)
        let lock = try out.lock()
        do {
            defer { lock.release() }
            return try merge(parts, into: out, jobs: jobs, refuseOtherBase: refuseOtherBase)
        } catch {
            // An OUT this merge made for nothing goes again (rmdir: only when empty).
            if created {
                try? FileManager.default.removeItem(at: out.lockURL)
                rmdir(out.url.path)
            }
            throw error
        }
    }

    /// The merge proper, under OUT's lock.
    static func merge(_ parts: [(folder: PartFolder, part: Part)], into out: OutputFolder, jobs: Int,
                      refuseOtherBase: ([UInt8]?) throws -> Void) throws -> RenderSummary {
        let first = parts[0].part
        // The manifest's bytes are not kept past parsing (90 MB at 134,000 messages).
        let manifest = try { () throws -> Manifest in
            let bytes = FileIO.readBytes(out.manifestURL)
            try refuseOtherBase(bytes)
            return try bytes.map { try Manifest.parse($0, file: out.manifestURL.path) } ?? Manifest()
        }()

        // One pass's order: by unit, then as the shard planned them.
        var order: [(part: Int, message: Int)] = []
        for (p, item) in parts.enumerated() { order += item.part.messages.indices.map { (p, $0) } }
        order.sort { a, b in
            let x = parts[a.part].part.messages[a.message].origin.unit, y = parts[b.part].part.messages[b.message].origin.unit
            return x != y ? x < y : a.message < b.message
        }
        // Lineages can clash across shards (events `A` and `a`): render's planning error.
        var lineages = Planner.LineageCheck()
        let clashes = order.compactMap { o -> Diagnostic? in
            let m = parts[o.part].part.messages[o.message]
            return lineages.add(m.settlement.lineage, m.origin.source, at: m.origin.location)
        }
        if !clashes.isEmpty { throw DiagnosticsError(clashes) }

        // The old record is not kept: the new one is written from a fresh scan of each
        // folder (one more lstat per file), so the merge holds neither it (~30 MB packed)
        // nor any scan beside every part's settled messages.
        let inspection = out.inspect(manifest, record: out.readFolderStats(), keepingRecord: false, jobs: jobs)
        let staging = try OutputFolder.Staging(out)
        var reconciliation = Reconciliation(consume manifest, now: first.now)
        var written: [Render.Written] = []
        var renderWarnings: [Diagnostic] = []
        var seen = Set<Diagnostic>()
        let changes: ChangeSet
        do {
            var next = 0
            while next < order.count {
                let slice = Array(order[next..<min(next + Pipeline.chunk, order.count)])
                next += slice.count
                let results = Parallel.map(slice, jobs: jobs) { o -> Result<(Reconciliation.Settlement, [Diagnostic], Render.Written?), DiagnosticsError> in
                    let (folder, part) = parts[o.part]
                    var s = part.messages[o.message].settlement
                    let id = s.entry.id
                    if let digest = part.files[id] {
                        switch folder.files(of: id, digest: digest) {
                        case .success(let files): s.change.files = files
                        case .failure(let damage): return .failure(DiagnosticsError([.error(nil, "\(folder): damaged part: \(damage)")]))
                        }
                    } else if inspection.damaged[id] != nil {
                        return .failure(DiagnosticsError([.error(nil, "\(out.folderPath(id)) was changed or deleted after the parts were "
                                                                 + "rendered (their base held it intact); render the shards again")]))
                    }
                    do {
                        // Copied, not linked: a link would tie OUT's files to the part's
                        // (deleting the part changes their inode times, and the next render
                        // would read every folder back).
                        let w = try Render.stage(s.change, out: out, staging: staging, damaged: inspection.damaged)
                        s.change.files = nil
                        return .success((s, part.messages[o.message].timing, w))
                    } catch let e as DiagnosticsError {
                        return .failure(e)
                    } catch {
                        return .failure(DiagnosticsError([.error(nil, "message \(id): \(ErrorText.describe(error))")]))
                    }
                }
                var errors: [Diagnostic] = []
                for r in results {
                    switch r {
                    case .failure(let e): errors += e.diagnostics
                    case .success(let (s, timing, w)):
                        renderWarnings += (s.warnings + timing).filter { seen.insert($0).inserted }
                        if let w { written.append(w) }
                        reconciliation.record(s)
                    }
                }
                if !errors.isEmpty { throw DiagnosticsError(errors) }
            }
            changes = reconciliation.finish()
            try Render.refuseLost(inspection, changes, out: out)
        } catch {
            staging.discard()
            throw error
        }
        // Warnings in one pass's order: loading, planning (by unit), rendering.
        let planning = parts.flatMap { $0.part.planWarnings }.enumerated()
            .sorted { $0.element.unit != $1.element.unit ? $0.element.unit < $1.element.unit : $0.offset < $1.offset }
            .map(\.element.warning)
        var unique = Set<Diagnostic>()
        let warnings = (first.loadWarnings + planning + renderWarnings).filter { unique.insert($0).inserted }
        return try Render.write(changes, written: written, warnings: warnings, out: out, staging: staging,
                                inspection: inspection, tree: first.tree)
    }

    /// Every part, read and checked, in the order given; throws every reason to refuse.
    static func readParts(_ urls: [URL]) throws -> [(folder: PartFolder, part: Part)] {
        var problems: [Diagnostic] = []
        var parts: [(folder: PartFolder, part: Part)] = []
        for url in urls {
            let folder = PartFolder(url)
            switch folder.read() {
            case .success(let part): parts.append((folder, part))
            case .failure(let damage): problems.append(.error(nil, "\(folder): damaged part: \(damage); render this shard again"))
            }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        guard let (firstFolder, first) = parts.first else { throw DiagnosticsError([.error(nil, "merge: no parts given")]) }
        for (folder, part) in parts.dropFirst() {
            if part.shard.count != first.shard.count {
                problems.append(.error(nil, "\(folder) is shard \(part.shard) but \(firstFolder) is shard \(first.shard): "
                                       + "parts of one render share N"))
            }
            if part.tree.digest != first.tree.digest {
                problems.append(.error(nil, "\(folder) was rendered from a different tree than \(firstFolder) "
                                       + "(input digests \(part.tree.digest.prefix(12)) and \(first.tree.digest.prefix(12)))"))
            }
            if part.now != first.now {
                problems.append(.error(nil, "\(folder) was rendered with now \(part.now.rfc3339) but \(firstFolder) with "
                                       + "\(first.now.rfc3339): give every shard the same --now (or SOURCE_DATE_EPOCH)"))
            }
            if part.base != first.base {
                problems.append(.error(nil, "\(folder) was rendered against a different base manifest than \(firstFolder)"))
            }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        var given: [Int: [PartFolder]] = [:]
        for (folder, part) in parts { given[part.shard.index, default: []].append(folder) }
        for i in 1...first.shard.count {
            let folders = given[i] ?? []
            if folders.isEmpty {
                problems.append(.error(nil, "shard \(i)/\(first.shard.count) is missing: no part of it was given"))
            } else if folders.count > 1 {
                problems.append(.error(nil, "shard \(i)/\(first.shard.count) was given \(folders.count) times: "
                                       + folders.map(\.description).joined(separator: ", ")))
            }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return parts
    }
}
