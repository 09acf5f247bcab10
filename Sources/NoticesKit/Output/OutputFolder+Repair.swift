import Foundation

/// Render repairs OUT (SPEC §3.2): a message file deleted or edited by hand is written
/// again, a folder no manifest entry names is removed, a missing folder is recreated,
/// so that after a successful render `check` passes. What a folder should hold is its
/// manifest entry's content hash; what it held when the last render left it is the
/// machine-local record (FolderStats). A folder that still looks as recorded is
/// trusted, any other is read back and hashed.
extension OutputFolder {
    /// The message folders against the manifest, before a render.
    package struct Inspection: Sendable {
        /// Folders that no longer hold what their manifest entry says: id → the names
        /// found wrong (missing, changed or extra), `[""]` for a missing folder, empty
        /// when some file's bytes changed but which one is not known.
        package var damaged: [String: [String]] = [:]
        /// The record the folders were checked against, kept for the next record (see
        /// `recordedEntries`); nil when there was none or it is not kept.
        var record: FolderStats?
        /// By place in `record`: whether the folder still looked as recorded.
        var trusted: [Bool] = []
        /// Names in OUT/messages that no manifest entry names.
        package var unlisted: [String] = []
        /// Folders whose own files are intact but that hold more (added by hand): id →
        /// the names that go. No render is needed to repair them, only removal.
        package var strays: [String: [String]] = [:]

        /// The strays as paths relative to OUT.
        var strayPaths: [String] {
            strays.keys.sorted().flatMap { id in strays[id]!.map { OutputFolder.relativePath($0, of: id) } }
        }

        /// A folder's entries as the inspection found them, when it looked as recorded:
        /// the record has them, so no scan of 134,000 folders is held for the next record
        /// (~64 MB as arrays of entries). Nil for any other folder (it is scanned again).
        func recordedEntries(of id: String) -> [FolderStats.Entry]? {
            guard let record, let i = record.index(of: id), trusted[i] else { return nil }
            return record.folder(at: i).entries
        }
    }

    func readFolderStats() -> FolderStats? { FolderStats.read(folderStatsURL) }

    /// Checks every folder the manifest lists. `record`: the last render's, to trust the
    /// folders that look as it recorded them (with `trusting`; `check` reads every folder
    /// back and uses the record only to name the files that changed).
    /// `keepingRecord`: keep the record with the folders that still look as it says, for
    /// the next record (render writes one; `check` and a shard's render do not).
    /// No folder's scan outlives its check: only what was found wrong is kept.
    package func inspect(_ manifest: Manifest, record: FolderStats?, trusting: Bool = true, keepingRecord: Bool = true, jobs: Int) -> Inspection {
        let results = Parallel.map(manifest.entries, jobs: jobs) { entry -> (trusted: Int?, damage: Damage?) in
            let scanned = FolderStats.scan(self.folderPath(entry.id))
            let recorded = record.flatMap { $0.index(of: entry.id) }
            if trusting, let scanned, let recorded, record!.matches(recorded, contentHash: entry.contentHash, entries: scanned) {
                return (recorded, nil)
            }
            return (nil, self.damage(entry, scanned, recorded: recorded.map { record!.folder(at: $0) }))
        }
        var inspection = Inspection()
        if keepingRecord, let record {
            inspection.trusted = [Bool](repeating: false, count: record.count)
            for r in results { if let i = r.trusted { inspection.trusted[i] = true } }
            inspection.record = record
        }
        for (entry, r) in zip(manifest.entries, results) {
            if case .strays(let names)? = r.damage {
                inspection.strays[entry.id] = names
            } else if case .files(let names)? = r.damage {
                inspection.damaged[entry.id] = names
            }
        }
        let listed = Set(manifest.entries.map(\.id))
        inspection.unlisted = FolderStats.names(messagesURL.path).filter { !listed.contains($0) }
        return inspection
    }

    /// What is wrong with a folder (see `Inspection`).
    enum Damage {
        /// Its own files are intact; these names were added and go.
        case strays([String])
        /// These names are missing, changed or extra (`[""]`: the folder is missing).
        case files([String])
    }

    /// What is wrong with a message's folder, read back: nil when its files hash to the
    /// entry's content hash (and an approved message's recipients.json is its snapshot).
    func damage(_ entry: ManifestEntry, _ scanned: [FolderStats.Entry]?, recorded: FolderStats.Folder?) -> Damage? {
        guard let scanned else { return .files([""]) }
        var files: [String: Data] = [:]
        var odd: [String] = []
        for e in scanned {
            if e.isRegularFile, let data = regularContents(e.name, of: entry.id) { files[e.name] = data } else { odd.append(e.name) }
        }
        let draft = entry.status == .draft
        let snapshotDiffers = !draft && entry.recipients.map { files["recipients.json"] != Recipient.fileData($0) } ?? false
        if odd.isEmpty && !snapshotDiffers && Manifest.contentHash(files, includeRecipients: draft) == entry.contentHash { return nil }
        // Only additions: the files message.json lists (and itself) still hash right.
        if !snapshotDiffers, let listed = files["message.json"].flatMap(Self.listedFiles) {
            let own = Set(listed + ["message.json"])
            let kept = files.filter { own.contains($0.key) }
            let added = (Array(files.keys) + odd).filter { !own.contains($0) }
            if !added.isEmpty, Manifest.contentHash(kept, includeRecipients: draft) == entry.contentHash {
                return .strays(added.sorted())
            }
        }
        // Which files: those message.json lists (else the recorded ones) that are gone,
        // those it does not list, and, with a record, those that changed since.
        var wrong = Set(odd)
        var expected = files["message.json"].flatMap(Self.listedFiles).map { Set($0 + ["message.json"]) }
        if expected == nil, let recorded { expected = Set(recorded.entries.map(\.name)) }
        if let expected {
            wrong.formUnion(expected.subtracting(files.keys))
            wrong.formUnion(Set(files.keys).subtracting(expected))
        }
        if snapshotDiffers { wrong.insert("recipients.json") }
        if let recorded {
            let before = Dictionary(recorded.entries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for e in scanned where before[e.name].map({ $0 != e }) ?? false { wrong.insert(e.name) }
        }
        return .files(wrong.sorted())
    }

    /// The `files` of a message.json.
    static func listedFiles(_ data: Data) -> [String]? {
        (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["files"] as? [String]
    }

    /// Damaged folders that no render can write again (an earlier revision, an orphaned
    /// message, or one whose data changed after it left draft), one error each, saying
    /// how to restore them. `manifest`: the manifest the render would write.
    func unrepairable(_ damaged: [String: [String]], in manifest: Manifest) -> [Diagnostic] {
        guard !damaged.isEmpty else { return [] }
        var newest: [String: (sequence: Int, id: String)] = [:]
        var byID: [String: ManifestEntry] = [:]
        for e in manifest.entries {
            if damaged[e.id] != nil { byID[e.id] = e }
            if let n = newest[e.lineage], n.sequence >= e.sequence { continue }
            newest[e.lineage] = (e.sequence, e.id)
        }
        return damaged.keys.sorted().map { id in
            let folder = folderPath(id)
            let names = damaged[id]!
            let what = names == [""] ? "\(folder)/ is missing"
                : names.isEmpty ? "a file of \(folder)/ was changed"
                : names.map { "\(folder)/\($0)" }.joined(separator: ", ") + (names.count == 1 ? " was" : " were") + " deleted, changed or added"
            var why = "the data it was rendered from has changed since it left draft"
            if let e = byID[id] {
                if e.orphaned {
                    why = "its \(e.event.map { $0.description } ?? "message") is no longer in the data"
                } else if let n = newest[e.lineage], n.sequence > e.sequence {
                    why = "it is an earlier revision (the latest is \(n.id))"
                }
            }
            return .error(nil, "\(what), and no render can write \(id) again: \(why); restore it from version control "
                          + "(git checkout -- \(folder)) and render again")
        }
    }

    /// The files of OUT/messages entries that no manifest entry names, relative to OUT
    /// (a folder without files as `messages/NAME/`).
    func unlistedFiles(_ names: [String]) -> [String] {
        var paths: [String] = []
        for name in names {
            let base = Self.relativePath("", of: name)
            guard FolderStats.isFolder(folderPath(name)) else {
                paths.append(String(base.dropLast()))
                continue
            }
            var files: [String] = []
            if let walker = FileManager.default.enumerator(atPath: folderPath(name)) {
                for case let p as String in walker {
                    var isDir: ObjCBool = false
                    if FileManager.default.fileExists(atPath: folderPath(name) + "/" + p, isDirectory: &isDir), isDir.boolValue { continue }
                    files.append(base + p)
                }
            }
            paths += files.isEmpty ? [base] : files.sorted()
        }
        return paths
    }

    /// Removes OUT/messages entries that no manifest entry names.
    func removeUnlisted(_ names: [String]) {
        for name in names { try? FileManager.default.removeItem(atPath: folderPath(name)) }
    }

    /// Records every folder of `manifest` as it is now, after a render applied its
    /// changes: folders the inspection found as recorded and the render did not write
    /// are taken from the old record, the others are looked at again. The folders are
    /// scanned on `jobs` threads a chunk at a time (a full render looks at every folder
    /// again; the chunk keeps memory bounded).
    func writeFolderStats(_ manifest: Manifest, inspection: Inspection, written: Set<String>, jobs: Int = 1) throws {
        let writer = FolderStats.Writer(folderStatsURL)
        // The manifest is sorted by id; the record is too.
        let entries = manifest.entries
        var order = Array(entries.indices)
        if !zip(entries, entries.dropFirst()).allSatisfy({ $0.id.precedesByCodePoint($1.id) }) {
            order.sort { entries[$0].id.precedesByCodePoint(entries[$1].id) }
        }
        var next = 0
        while next < order.count {
            let chunk = Array(order[next..<min(next + 4096, order.count)])
            next += chunk.count
            let scans = Parallel.map(chunk, jobs: jobs) { i -> [FolderStats.Entry]? in
                let e = entries[i]
                return (written.contains(e.id) ? nil : inspection.recordedEntries(of: e.id)) ?? FolderStats.scan(self.folderPath(e.id))
            }
            for (i, scanned) in zip(chunk, scans) {
                let e = entries[i]
                guard let scanned, scanned.allSatisfy({ FolderStats.isRecordable($0.name) }) else { continue }
                try writer.add(e.id, contentHash: e.contentHash, entries: scanned)
            }
        }
        try writeLocalRecord(to: folderStatsURL) { try writer.finish() }
    }

    /// Whether every message folder still looks as `record` says and OUT/messages holds
    /// nothing else, and this binary wrote the record: the whole-run shortcut's test of
    /// the output.
    func matches(_ record: FolderStats) -> Bool {
        guard record.build == FolderStats.build else { return false }
        let names = FolderStats.names(messagesURL.path)
        guard names.count == record.count else { return false }
        for name in names {
            guard let i = record.index(of: name), let scanned = FolderStats.scan(folderPath(name)),
                  record.matches(i, contentHash: nil, entries: scanned) else { return false }
        }
        return true
    }
}
