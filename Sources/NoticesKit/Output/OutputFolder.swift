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

    /// ROOT's output folder: `override` (--out) when given, else `settings.output` under ROOT.
    package init(root: URL, settings: Settings, override: URL?) {
        self.init(override ?? root.appendingPathComponent(settings.output, isDirectory: true))
    }

    /// ROOT's output folder, reading only `notices.yaml` (commands that need no model).
    /// Settings with errors fall back to the defaults, as loading does.
    public static func locate(root: URL, override: URL?) -> OutputFolder {
        if let override { return OutputFolder(override) }
        return OutputFolder(root: root, settings: SettingsReader.settings(root: root).settings, override: nil)
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
    package var previewURL: URL { url.appendingPathComponent("preview", isDirectory: true) }
    var previewStagingURL: URL { url.appendingPathComponent(".preview-staging", isDirectory: true) }
    var previewOldURL: URL { url.appendingPathComponent(".preview-old", isDirectory: true) }

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
    package func lock() throws -> FileIO.Lock { try FileIO.Lock(lockURL) }

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

    /// The manifest; nil when OUT has none yet. A damaged one is an error.
    package func readManifest() throws -> Manifest? { try Manifest.read(manifestURL) }

    /// The manifest, or an error saying to render first.
    package func requireManifest() throws -> Manifest {
        guard let manifest = try readManifest() else {
            throw DiagnosticsError([.error(nil, "no manifest at \(manifestURL.path); run `notices render` first")])
        }
        return manifest
    }

    /// Writes the manifest (streamed, atomically; an unchanged file is left alone) and
    /// returns the SHA-256 of its bytes.
    @discardableResult
    func writeManifest(_ manifest: Manifest) throws -> [UInt8] { try manifest.replace(manifestURL) }

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

    /// The bytes of one file of a message; nil when it does not exist.
    package func contents(_ name: String, of id: String) -> Data? {
        FileManager.default.contents(atPath: filePath(name, of: id))
    }

    /// One file of a message as text (UTF-8, invalid bytes replaced); nil when missing.
    package func text(_ name: String, of id: String) -> String? {
        contents(name, of: id).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A file of OUT by its path relative to OUT (as `relativePath` gives it).
    func contents(_ relativePath: String) -> Data? {
        FileManager.default.contents(atPath: path + "/" + relativePath)
    }

    func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/" + relativePath)
    }

    package func exists(_ name: String, of id: String) -> Bool {
        FileManager.default.fileExists(atPath: filePath(name, of: id))
    }

    /// The names of a message's files, sorted (hidden names left out unless asked for);
    /// empty when the folder is missing.
    package func fileNames(of id: String, includingHidden: Bool = false) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folderPath(id))) ?? []
        return (includingHidden ? names : names.filter { !$0.hasPrefix(".") }).sorted()
    }

    /// Every file of a message, name → bytes.
    func files(of id: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in fileNames(of: id) { files[name] = contents(name, of: id) }
        return files
    }

    /// A message's recipients.json; nil when missing or unreadable.
    package func recipients(of id: String) -> [Recipient]? {
        guard let text = text("recipients.json", of: id),
              case .success(let node) = DocumentParser.parseJSON(text, file: "recipients.json"),
              case .sequence(let items, _) = node else { return nil }
        return items.compactMap(Recipient.init(node:))
    }

    /// Removes a message's folder (discard, a vanished draft).
    func removeMessage(_ id: String) { try? FileManager.default.removeItem(atPath: folderPath(id)) }
}
