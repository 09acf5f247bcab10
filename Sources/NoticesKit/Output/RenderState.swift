import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole-run shortcut of `render`, like make's up-to-date check: `OUT/.render-state`
/// holds a digest of every input file of the tree and of the manifest as the last
/// successful render left them, with that render's message count and warnings. When the
/// digest still matches, nothing can render differently, and `render` reports the same
/// state without loading anything.
///
/// The digest covers every file under ROOT (hidden ones too; not `.git` and not the
/// output folder) and the version of notices, so any edit, added or removed file,
/// lifecycle change to the manifest or new release falls back to the full render. A
/// tree with a symbolic link to a folder is never short-cut (its contents are not
/// hashed). The output itself is checked against `OUT/.local/folder-stats` (FolderStats):
/// a damaged message folder is never short-cut either.
struct RenderState: Equatable {
    static let header = "notices-render-state 1"

    var digest: String
    var messages: Int
    var orphaned: Int
    var warnings: [Diagnostic]

    /// The digest of the tree and manifest now; nil when the tree cannot be short-cut.
    /// `manifestHash`: the SHA-256 of the manifest's bytes when the caller has it (saves
    /// reading a large file back).
    static func digest(root: URL, out: OutputFolder, manifestHash: [UInt8]? = nil) -> String? {
        let tree = InputDigest.tree(root: root, out: out)
        guard tree.complete else { return nil }
        return digest(tree: tree.digest, manifestHash: manifestHash ?? fileHash(out.manifestURL))
    }

    /// The digest of a tree (InputDigest, complete) with a manifest's bytes' SHA-256
    /// (nil: no manifest). A merge writes it from its parts' tree digest.
    static func digest(tree: String, manifestHash: [UInt8]?) -> String {
        var h = SHA256()
        h.add(tree)
        h.add("manifest")
        h.update(data: manifestHash ?? Array("none".utf8))
        return Hex.string(h.finalize())
    }

    /// SHA-256 of a file, read in pieces; nil when there is no such regular file (a link
    /// is not followed: OUT is never read through one).
    static func fileHash(_ url: URL) -> [UInt8]? {
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        var h = SHA256()
        while let piece = try? handle.read(upToCount: 1 << 16), !piece.isEmpty { h.update(data: piece) }
        return Array(h.finalize())
    }

    /// The state `url` holds; nil when it cannot be read, or when `digest` is given and
    /// the state's is another (then its warnings, a megabyte on a large tree, are not read).
    static func read(_ url: URL, digest expected: String? = nil) -> RenderState? {
        guard let bytes = FileIO.regularBytes(atPath: url.path), var lines = TabSeparatedLines(bytes, header: header) else { return nil }
        var state = RenderState(digest: "", messages: 0, orphaned: 0, warnings: [])
        while let parts = lines.next() {
            switch parts[0] {
            case "digest" where parts.count == 2:
                if let expected, parts[1] != expected { return nil }
                state.digest = parts[1]
            case "messages" where parts.count == 2: state.messages = Int(parts[1]) ?? -1
            case "orphaned" where parts.count == 2: state.orphaned = Int(parts[1]) ?? -1
            case "warning" where parts.count == 5: state.warnings.append(TabSeparatedLines.warning(parts))
            default: return nil
            }
        }
        guard !state.digest.isEmpty, state.messages >= 0, state.orphaned >= 0 else { return nil }
        return state
    }

    func serialized() -> Data {
        var out = RenderState.header + "\n"
        out += "digest\t\(digest)\nmessages\t\(messages)\norphaned\t\(orphaned)\n"
        for w in warnings { out += TabSeparatedLines.warningLine(w) }
        return Data(out.utf8)
    }
}
