import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a message's folder differs from its rendered files.
package struct FolderDifference: Sendable {
    /// Files whose bytes differ from the folder's, or that it lacks.
    package var changed: [String: Data] = [:]
    /// Files of the folder that the message no longer has.
    package var extra: [String] = []
    /// Changed files that stand in the folder (stale rather than missing).
    package var present: Set<String> = []
    /// What stands, never followed, where a file should be (by name; "" for the folder
    /// itself): a symbolic link, a FIFO… A render replaces it.
    package var refused: [String: FileIO.Entry] = [:]
}

extension OutputFolder {
    /// Compares a change with its folder, never reading through a link: a linked file
    /// or folder counts as changed, so `render` replaces the link itself (SECURITY.md). A
    /// fresh message's files all count as changed; a frozen recipients.json is neither
    /// compared nor extra while its folder is intact. Anything else in the folder
    /// (hidden names and folders too) is extra.
    func difference(_ change: MessageChange) -> FolderDifference {
        guard let files = change.files else { return FolderDifference() }
        if change.fresh { return FolderDifference(changed: files) }
        var d = FolderDifference()
        switch folderEntry(change.id) {
        case .folder: break
        case .missing:
            d.changed = files.filter { !(change.frozenRecipients && $0.key == "recipients.json") }
            return d
        case let other:
            // The folder is replaced whole, so it takes every file.
            d.refused[""] = other
            d.changed = files
            return d
        }
        for (name, data) in files where !(change.frozenRecipients && name == "recipients.json") {
            switch FileIO.stored(atPath: filePath(name, of: change.id)) {
            case .bytes(let bytes):
                if !bytes.elementsEqual(data) { d.changed[name] = data; d.present.insert(name) }
            case .missing:
                d.changed[name] = data
            case .refused(let entry):
                d.changed[name] = data
                d.present.insert(name)
                d.refused[name] = entry
            case .unreadable:
                d.changed[name] = data
                d.present.insert(name)
            }
        }
        for name in (try? listing(of: change.id, includingHidden: true)?.get()) ?? [] where files[name] == nil {
            if !change.frozenRecipients || name != "recipients.json" { d.extra.append(name) }
        }
        return d
    }

    /// A render's writes before they take effect: the changed files of each message
    /// under OUT/.staging/ID/. Only `apply` moves them into place.
    struct Staging: Sendable {
        let out: OutputFolder

        /// Starts a render's staging (under the lock): what an interrupted run left
        /// behind goes first.
        init(_ out: OutputFolder) throws {
            self.out = out
            try? FileManager.default.removeItem(at: out.stagingURL)
            out.removeTemporaryFiles()
            try FileManager.default.createDirectory(at: out.stagingURL, withIntermediateDirectories: true)
        }

        /// Stages a message's changed files (called on the render threads).
        func stage(_ id: String, _ files: [String: Data]) throws {
            let dir = out.stagingURL.path + "/" + id
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
            for (name, data) in files { try FileIO.write(data, toPath: dir + "/" + name) }
        }

        /// A failed render leaves OUT as it was.
        func discard() { try? FileManager.default.removeItem(at: out.stagingURL) }
    }

    /// Applies a render's change set: staged folders and files move into place, files
    /// and folders that go are deleted (`unlisted`: entries of OUT/messages that no
    /// manifest entry names), then the manifest is written. Returns the SHA-256 of the
    /// manifest's bytes.
    func apply(_ changes: ChangeSet, staging: Staging, extraFiles: [String], unlisted: [String] = []) throws -> [UInt8] {
        let fm = FileManager.default
        try fm.createDirectory(at: messagesURL, withIntermediateDirectories: true)
        let staged = (try? fm.contentsOfDirectory(atPath: stagingURL.path)) ?? []
        for id in staged.sorted() {
            let src = stagingURL.path + "/" + id
            let dst = folderPath(id)
            // A new folder moves in whole (replacing a leftover of an interrupted
            // run, which the manifest does not list), and so does one whose folder is
            // missing or is not a real folder: a link is removed itself (never its
            // target) and never written through. An existing folder is updated file by
            // file (each rename replaces a linked file, not its target).
            if changes.fresh.contains(id) || FileIO.entry(atPath: dst) != .folder {
                // Nothing there is the common case: one rename. Else what is there
                // goes first (rename(2) replaces only an empty folder).
                if rename(src, dst) == 0 { continue }
                try? fm.removeItem(atPath: dst)
                if rename(src, dst) == 0 { continue }
            }
            // A file or link in the folder's place (damage) goes; the folder is made again.
            if !FolderStats.isFolder(dst) { try? fm.removeItem(atPath: dst) }
            try fm.createDirectory(atPath: dst, withIntermediateDirectories: true)
            for name in try fm.contentsOfDirectory(atPath: src).sorted() {
                if rename(src + "/" + name, dst + "/" + name) == 0 { continue }
                // A folder in a file's place (damage) goes too.
                try? fm.removeItem(atPath: dst + "/" + name)
                guard rename(src + "/" + name, dst + "/" + name) == 0 else {
                    throw FileIO.posixError("cannot move \(name) into \(dst)")
                }
            }
        }
        // Make the moved files durable before the manifest points at them: OUT's file
        // system only (a machine-wide sync also waits for everyone else's writes).
        if !staged.isEmpty { syncFileSystem(of: path) }
        staging.discard()
        for relativePath in extraFiles { try? fm.removeItem(atPath: path + "/" + relativePath) }
        for id in changes.removedMessages { removeMessage(id) }
        removeUnlisted(unlisted)
        // Streamed: the manifest of a large tree is over a hundred megabytes.
        return try writeManifest(changes.manifest)
    }

    /// Flushes the file system that holds `path` (syncfs); where there is none, everything.
    private func syncFileSystem(of path: String) {
        #if os(Linux)
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            defer { close(fd) }
            if c_syncfs(fd) == 0 { return }
        }
        #endif
        sync()
    }

    // MARK: - Caches

    /// Last render's fingerprints (empty when there are none or they are unreadable).
    func readFingerprints() -> [String: InputFingerprint.Cached] { InputFingerprint.read(fingerprintsURL) }

    /// Keeps the fingerprints of the manifest's messages, this render's replacing older ones.
    /// Written after the manifest: a crash before this only costs a slower next render.
    /// Only the messages this render produced: no later render reads the fingerprint of
    /// an earlier revision or an orphan, and the file is then the same whether or not
    /// it was deleted before.
    func writeFingerprints(_ changes: ChangeSet) throws {
        // In pieces, compared with the file as they come; an unchanged file is left untouched.
        let writer = FileIO.ReplacingWriter(fingerprintsURL)
        try InputFingerprint.write(changes.fingerprints) { try writer.append($0) }
        try writer.finish()
    }

    var unitRecordsURL: URL { localURL.appendingPathComponent("units", isDirectory: false) }

    func readUnitRecords() -> UnitRecords? { UnitRecords.read(unitRecordsURL) }

    /// Keeps what each unit made with the manifest just written (UnitRecords), after the
    /// manifest and the fingerprints; without records (a merge), none are left.
    func writeUnitRecords(_ units: UnitRecords?, manifestHash: [UInt8]) throws {
        guard var units else {
            try? FileManager.default.removeItem(at: unitRecordsURL)
            return
        }
        units.manifestHash = Hex.string(manifestHash)
        try FileIO.writeAtomically(units.serialized(), to: unitRecordsURL)
    }

    /// The whole-run state; nil when there is none, when `digest` is given and the
    /// state's is another, or when OUT's layout is not sound (the full render then
    /// reports why).
    func readRenderState(digest: String? = nil) -> RenderState? {
        guard (try? checkLayout()) != nil else { return nil }
        return RenderState.read(renderStateURL, digest: digest)
    }

    /// Writes the whole-run state last of all, once everything it vouches for is
    /// written; removes it when the tree cannot be short-cut.
    func writeRenderState(tree: InputDigest.Tree, manifestHash: [UInt8], messages: Int, orphaned: Int, warnings: [Diagnostic]) throws {
        guard tree.complete else {
            try? FileManager.default.removeItem(at: renderStateURL)
            return
        }
        let digest = RenderState.digest(tree: tree.digest, manifestHash: manifestHash)
        let data = RenderState(digest: digest, messages: messages, orphaned: orphaned, warnings: warnings).serialized()
        if FileIO.regularBytes(atPath: renderStateURL.path).map({ Data($0) }) != data { try FileIO.writeAtomically(data, to: renderStateURL) }
    }
}

#if os(Linux)
/// syncfs(2): the Glibc module does not export it.
@_silgen_name("syncfs") private func c_syncfs(_ fd: Int32) -> Int32
#endif
