import Crypto
import Foundation

/// The digest of an input tree: every file under ROOT (hidden ones too), with the
/// version of notices, except `.git`, the output folder and shard parts (folders
/// holding `.notices-part`, PartFolder). `render` keeps it in `OUT/.render-state`
/// (RenderState) to skip a render when nothing changed; a shard keeps it in its part so
/// a merge refuses parts of different trees and writes the same render state.
///
/// A tree is hashed whole even when it cannot be short-cut (a symbolic link to a
/// folder, a FIFO, an unreadable file: their names and link targets are hashed, not
/// their contents); `complete` says whether it can.
package enum InputDigest {
    package struct Tree: Sendable, Equatable {
        package var digest: String
        /// Every file's contents went in: safe for the whole-run shortcut.
        package var complete: Bool
    }

    static func tree(root: URL, out: OutputFolder) -> Tree {
        var h = SHA256()
        // A new release may render differently: its first render is a full one.
        h.add(InputFingerprint.version + "|" + noticesVersion)
        var complete = true
        let fm = FileManager.default
        let rootPath = root.standardizedFileURL.resolvingSymlinksInPath().path
        let outPath = out.url.standardizedFileURL.resolvingSymlinksInPath().path
        func walk(_ dir: String, _ rel: String) {
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else {
                complete = false
                h.add("?:" + rel)
                return
            }
            for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let path = dir + "/" + name
                let childRel = rel.isEmpty ? name : rel + "/" + name
                if path == outPath || (rel.isEmpty && name == ".git") { continue }
                guard let attrs = try? fm.attributesOfItem(atPath: path), let type = attrs[.type] as? FileAttributeType else {
                    complete = false
                    h.add("?:" + childRel)
                    continue
                }
                switch type {
                case .typeDirectory:
                    // Folders count by their files only: an empty folder, or one that holds
                    // only parts, changes nothing a render reads.
                    if !PartFolder.isPart(path) { walk(path, childRel) }
                case .typeRegular:
                    guard let data = fm.contents(atPath: path) else {
                        complete = false
                        h.add("?:" + childRel)
                        continue
                    }
                    h.add("f:" + childRel)
                    h.add(String(data.count))
                    h.update(data: data)
                case .typeSymbolicLink:
                    // Read only links to regular files inside ROOT (docs/SECURITY.md); any
                    // other link means no shortcut.
                    let target = (try? fm.destinationOfSymbolicLink(atPath: path)) ?? ""
                    h.add("l:" + childRel + "\u{1}" + target)
                    guard case .success(let real) = SafeFile.realPath(path), SafeFile.isInside(real, rootPath),
                          case .success(let data) = SafeFile.read(real) else {
                        complete = false
                        continue
                    }
                    h.add(String(data.count))
                    h.update(data: data)
                default:
                    complete = false
                    h.add("?:" + childRel)
                }
            }
        }
        walk(rootPath, "")
        return Tree(digest: Hex.string(h.finalize()), complete: complete)
    }
}
