import Crypto
import Foundation

/// The output folder OUT (SPEC §3.1) and everything about its layout: where the
/// manifest, the message folders, the lock, the staging folder, the caches and the
/// preview site live. Every command reads and writes OUT through this type; no other
/// code spells a path inside it.
///
/// ```
/// OUT/manifest.json            the manifest (§3.4), written last
/// OUT/messages/ID/NAME         one folder per message
/// OUT/.lock                    held by every command that changes the manifest
/// OUT/.staging/ID/NAME         a render's changed files before they move into place
/// OUT/.fingerprints            cache: message id → digest of its inputs
/// OUT/.render-state            cache: digest of the whole tree at the last render
/// OUT/.local/folder-stats       machine-local cache: the message folders as last written
/// OUT/.local/manifest-stamp     machine-local: manifest.json as notices last wrote it
/// OUT/.local/units            machine-local cache: what each event made, for the unit replay
/// OUT/.local/.gitignore         `*`: the folder keeps itself out of version control
/// OUT/preview/                 the review site (`notices preview`)
/// ```
public struct OutputFolder: Sendable, CustomStringConvertible {
    public let url: URL
    /// `url.path`: message files are found by path (building a URL per file parses it).
    let path: String

    public init(_ url: URL) {
        self.url = url
        path = url.path
    }

    public var description: String { url.path }

    // MARK: - Layout

    static let manifestName = "manifest.json"
    static let messagesName = "messages"

    package var manifestURL: URL { url.appendingPathComponent(Self.manifestName, isDirectory: false) }
    var messagesURL: URL { url.appendingPathComponent(Self.messagesName, isDirectory: true) }
    var lockURL: URL { url.appendingPathComponent(".lock", isDirectory: false) }
    var stagingURL: URL { url.appendingPathComponent(".staging", isDirectory: true) }
    var fingerprintsURL: URL { url.appendingPathComponent(".fingerprints", isDirectory: false) }
    var renderStateURL: URL { url.appendingPathComponent(".render-state", isDirectory: false) }
    /// What only this machine's copy of OUT can use (inodes, times): never committed.
    var localURL: URL { url.appendingPathComponent(".local", isDirectory: true) }
    var folderStatsURL: URL { localURL.appendingPathComponent("folder-stats", isDirectory: false) }
    /// The last render's parsed YAML files (ParseCache).
    var parseCacheURL: URL { localURL.appendingPathComponent("parsed", isDirectory: true) }
    package var previewURL: URL { url.appendingPathComponent("preview", isDirectory: true) }
    var previewStagingURL: URL { url.appendingPathComponent(".preview-staging", isDirectory: true) }
    var previewOldURL: URL { url.appendingPathComponent(".preview-old", isDirectory: true) }

    /// True when `id` has the form `render` gives IDs (SPEC §3.1): `maintenance-`,
    /// `outage-` or `message-`, then only `[a-z0-9._-]`, at most 255 bytes (a file
    /// name). IDs read from the manifest are used as folder names, so one that is not of
    /// this form (`../../victim`) is damage and never reaches a path.
    package static func isMessageID(_ id: String) -> Bool {
        let bytes = id.utf8
        guard bytes.count <= 255, ["maintenance-", "outage-", "message-"].contains(where: { id.hasPrefix($0) }) else { return false }
        return bytes.allSatisfy { b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
    }

    /// The folder of message `id`.
    package func folder(_ id: String) -> URL { URL(fileURLWithPath: folderPath(id), isDirectory: true) }

    /// The path of message `id`'s folder.
    package func folderPath(_ id: String) -> String { path + "/" + Self.messagesName + "/" + id }

    /// The path of a file of message `id`.
    func filePath(_ name: String, of id: String) -> String { folderPath(id) + "/" + name }

    /// A message file's path relative to OUT, as `check` and `render` report it.
    package static func relativePath(_ name: String, of id: String) -> String { "\(messagesName)/\(id)/\(name)" }

    // MARK: - Lock and leftovers

    /// The exclusive lock every command that changes the manifest holds (SPEC §3.5).
    package func lock() throws -> FileIO.Lock {
        try checkLayout()
        return try FileIO.Lock(lockURL)
    }

    /// OUT and OUT/messages are real folders (or do not exist yet): through a link there,
    /// every write and delete would land elsewhere. Checked before the lock is taken and
    /// before the manifest is read, so by every command.
    func checkLayout() throws {
        for folder in [path, messagesURL.path] {
            switch FileIO.entry(atPath: folder) {
            case .missing, .folder: continue
            case let other: throw Self.refusal(folder, other, fix: "make it a real folder")
            }
        }
    }

    /// What an interrupted command can leave behind: a staging folder or temporary files.
    var hasLeftovers: Bool {
        FileManager.default.fileExists(atPath: stagingURL.path)
            || ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).contains(where: FileIO.isTemporaryName)
    }

    /// Removes the temporary files of an interrupted atomic write (under the lock).
    func removeTemporaryFiles() {
        FileIO.removeLeftovers(in: url)
        FileIO.removeLeftovers(in: localURL)
    }

    // MARK: - The manifest

    /// The manifest; nil when OUT has none yet. A damaged one is an error, and so is a
    /// link in its place (never followed).
    package func readManifest() throws -> Manifest? {
        try checkLayout()
        switch FileIO.stored(atPath: manifestURL.path) {
        case .bytes(let bytes): return try Manifest.parse(bytes, file: manifestURL.path)
        case .missing: return nil
        case .refused(let entry): throw Self.refusal(manifestURL.path, entry, fix: "restore manifest.json from version control")
        case .unreadable(let why): throw DiagnosticsError([.error(Self.at(manifestURL.path), "cannot read: \(why)")])
        }
    }

    /// The manifest with the SHA-256 of its bytes (hex), as `readManifest`.
    func readManifestHashed() throws -> (Manifest?, String?) {
        try checkLayout()
        guard case .bytes(let bytes) = FileIO.stored(atPath: manifestURL.path) else { return (try readManifest(), nil) }
        return (try Manifest.parse(bytes, file: manifestURL.path), Hex.string(SHA256.hash(data: bytes)))
    }

    /// The manifest, or an error saying to render first.
    package func requireManifest() throws -> Manifest {
        guard let manifest = try readManifest() else {
            throw DiagnosticsError([.error(nil, "no manifest at \(manifestURL.path); run `notices render` first")])
        }
        return manifest
    }

    /// Writes the manifest (streamed, atomically; an unchanged file is left alone),
    /// stamps it, and returns the SHA-256 of its bytes.
    @discardableResult
    func writeManifest(_ manifest: Manifest) throws -> [UInt8] {
        let hash = try manifest.replace(manifestURL)
        stampManifest()
        return hash
    }

    /// The bytes of `manifest` when they differ from OUT's manifest.json, else nil
    /// (compared as it is serialized; the bytes are kept only when asked for).
    func manifestDiffers(_ manifest: Manifest, keepingBytes: Bool) throws -> Data? {
        let comparison = FileIO.StreamComparison(manifestURL)
        var bytes = Data()
        try manifest.write { piece in
            try comparison.append(piece)
            if keepingBytes { bytes.append(piece) }
        }
        return comparison.finish() ? bytes : nil
    }

    // MARK: - Message folders

    /// What is at message `id`'s folder, not followed.
    func folderEntry(_ id: String) -> FileIO.Entry { FileIO.entry(atPath: folderPath(id)) }

    /// One file of a message as stored, and the path that decided it: never read through
    /// a link, neither the file's own nor its folder's.
    func stored(_ name: String, of id: String) -> (path: String, found: FileIO.Stored) {
        switch folderEntry(id) {
        case .folder: return (filePath(name, of: id), FileIO.stored(atPath: filePath(name, of: id)))
        case .missing: return (folderPath(id), .missing)
        case let other: return (folderPath(id), .refused(other))
        }
    }

    /// The bytes of one file of a message; nil when it does not exist. A symbolic link
    /// (or FIFO…) in place of the file or its folder is an error: it is never followed.
    package func contents(_ name: String, of id: String) throws -> Data? {
        let (path, found) = stored(name, of: id)
        switch found {
        case .bytes(let bytes): return Data(bytes)
        case .missing: return nil
        case .refused(let entry): throw Self.refusal(path, entry)
        case .unreadable(let why): throw DiagnosticsError([.error(Self.at(path), "cannot read: \(why)")])
        }
    }

    /// One file of a message when it is a regular file in a real folder, else nil (for
    /// comparisons, where a link simply differs).
    func regularContents(_ name: String, of id: String) -> Data? {
        if case .bytes(let bytes) = stored(name, of: id).found { return Data(bytes) }
        return nil
    }

    /// One file of a message as text (UTF-8, invalid bytes replaced); nil when missing.
    package func text(_ name: String, of id: String) throws -> String? {
        try contents(name, of: id).map { String(decoding: $0, as: UTF8.self) }
    }

    /// True when something (a file, or a link in its place) stands at a message file's name.
    package func exists(_ name: String, of id: String) -> Bool {
        folderEntry(id) == .folder && FileIO.entry(atPath: filePath(name, of: id)) != .missing
    }

    /// The entries of a message's folder (hidden names left out unless asked for), sorted;
    /// nil when the folder is missing, the refusal when it is not a real folder.
    func listing(of id: String, includingHidden: Bool = false) -> Result<[String], DiagnosticsError>? {
        switch folderEntry(id) {
        case .folder:
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folderPath(id))) ?? []
            return .success((includingHidden ? names : names.filter { !$0.hasPrefix(".") }).sorted())
        case .missing: return nil
        case let other: return .failure(Self.refusal(folderPath(id), other))
        }
    }

    /// The names of a message's files, sorted; empty when the folder is missing. A folder
    /// that is a symbolic link is an error (its target is never listed).
    package func fileNames(of id: String, includingHidden: Bool = false) throws -> [String] {
        try listing(of: id, includingHidden: includingHidden)?.get() ?? []
    }

    /// Every file of a message, name → bytes.
    func files(of id: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try fileNames(of: id) { files[name] = try contents(name, of: id) }
        return files
    }

    /// A message's recipients.json; nil when missing or unreadable as JSON.
    package func recipients(of id: String) throws -> [Recipient]? {
        guard let text = try text("recipients.json", of: id),
              case .success(let node) = DocumentParser.parseJSON(text, file: "recipients.json"),
              case .sequence(let items, _) = node else { return nil }
        return items.compactMap(Recipient.init(node:))
    }

    /// The error for what stands in OUT where notices reads or writes, when it is not
    /// what notices put there: a symbolic link above all, which could lead anywhere
    /// (`messages/ID -> ../../..`, `body.txt -> /proc/self/environ`).
    static func refusal(_ path: String, _ found: FileIO.Entry,
                        fix: String = "replace it with what notices wrote there (`notices render` rewrites a draft)") -> DiagnosticsError {
        let text = found == .link
            ? "is a symbolic link: nothing in the output folder is read or written through a link; \(fix)"
            : "is \(found.described), which notices never writes there; remove it"
        return DiagnosticsError([.error(at(path), text)])
    }

    /// A path of OUT as an error location.
    static func at(_ path: String) -> SourceLocation { SourceLocation(file: path, line: 1, column: 1) }

    /// Writes a machine-local record into OUT/.local (atomically, only when it changed);
    /// the folder keeps itself out of version control.
    func writeLocalRecord(_ data: Data, to url: URL) throws {
        try writeLocalRecord(to: url) {
            if FileIO.readBytes(url).map({ Data($0) }) != data { try FileIO.writeAtomically(data, to: url) }
        }
    }

    /// Writes a machine-local record with `write` (which leaves an unchanged file alone).
    func writeLocalRecord(to url: URL, _ write: () throws -> Void) throws {
        try prepareLocalFolder()
        try write()
        // OUT is committed; these records describe one machine's copy and would only churn.
        let ignore = localURL.appendingPathComponent(".gitignore", isDirectory: false)
        if FileIO.readBytes(ignore) == nil { try FileIO.writeAtomically(Data("*\n".utf8), to: ignore) }
    }

    /// Makes sure the records are written inside OUT: a link (or file) where `.local` or
    /// `.local/parsed` belongs is removed, never written through (it holds only caches).
    func prepareLocalFolder() throws {
        for folder in [localURL, parseCacheURL] {
            switch FileIO.entry(atPath: folder.path) {
            case .missing, .folder: continue
            default: try FileManager.default.removeItem(atPath: folder.path)
            }
        }
    }

    /// Removes a message's folder (discard, a vanished draft).
    func removeMessage(_ id: String) { try? FileManager.default.removeItem(atPath: folderPath(id)) }
}
