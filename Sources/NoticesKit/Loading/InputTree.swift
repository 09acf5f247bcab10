import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Finding the data files of an input tree and resolving `*_file` paths safely.
enum InputTree {
    static let dataExtensions: Set<String> = ["yaml", "yml", "json"]

    /// Data files below `root`, as paths relative to it, in code-point order.
    /// Hidden names, the output folders (the settings' and --out's, relative to ROOT, and
    /// any folder that `isOutputFolder` recognizes), shard parts, files that are plainly
    /// not data (NonDataFiles) and (when given) paths outside `only` are skipped;
    /// anything else that cannot be read as a data file is an error, never skipped
    /// silently: a folder that cannot be listed, a broken or looping symbolic link, a
    /// link to a folder (not followed: it could loop or read files twice) or out of the
    /// tree, a FIFO or device with a data file's name.
    static func dataFiles(root: URL, outputs: Set<String>, only: [String]?, sink: DiagnosticSink) -> [String] {
        var found: [String] = []
        let fm = FileManager.default
        let outputs = Set(outputs.map { normalize($0) ?? $0 })
        let rootReal = SafeFile.rootReal(root)
        let only = only?.map { $0 == "." ? "" : $0 }
        /// `rel` is inside a listed path (or there is no list).
        func covered(_ rel: String) -> Bool {
            only.map { $0.contains { p in p.isEmpty || rel == p || rel.hasPrefix(p + "/") } } ?? true
        }
        /// `rel` is a listed path, inside one, or a folder on the way to one.
        func inScope(_ rel: String) -> Bool {
            covered(rel) || (only ?? []).contains { $0.hasPrefix(rel + "/") }
        }
        func problem(_ rel: String, _ text: String) {
            sink.error(SourceLocation(file: rel.isEmpty ? "." : rel, line: 1, column: 1), text)
        }
        func walk(_ rel: String) {
            let dir = rel.isEmpty ? root : root.appendingPathComponent(rel)
            let names: [String]
            do {
                names = try fm.contentsOfDirectory(atPath: dir.path)
            } catch {
                var st = stat()
                let why = lstat(dir.path, &st) == 0 && access(dir.path, R_OK | X_OK) != 0 ? "permission denied" : ErrorText.describe(error)
                return problem(rel, "cannot list folder: \(why)")
            }
            for name in names where !name.hasPrefix(".") {
                let childRel = rel.isEmpty ? name : rel + "/" + name
                if outputs.contains(childRel) || !inScope(childRel) { continue }
                let path = root.appendingPathComponent(childRel).path
                let isData = dataExtensions.contains((name as NSString).pathExtension.lowercased())
                    && !(rel.isEmpty && name == "notices.yaml") && !NonDataFiles.skipsByName(name) && covered(childRel)
                var st = stat()
                guard lstat(path, &st) == 0 else {
                    problem(childRel, "cannot read: \(SafeFile.reason(errno))")
                    continue
                }
                var mode = st.st_mode & S_IFMT
                if mode == S_IFLNK {
                    // Where the link leads decides: a file inside the tree is read as itself.
                    let real: String
                    switch SafeFile.realPath(path) {
                    case .failure(let why): problem(childRel, "symbolic link \(why)"); continue
                    case .success(let r): real = r
                    }
                    guard lstat(real, &st) == 0 else { problem(childRel, "symbolic link: \(SafeFile.reason(errno))"); continue }
                    mode = st.st_mode & S_IFMT
                    let inside = SafeFile.isInside(real, rootReal)
                    if mode == S_IFDIR {
                        problem(childRel, inside ? "symbolic link to a folder: not followed (it could loop or read files twice); use the folder itself"
                                : "symbolic link leads outside the input root")
                        continue
                    }
                    guard isData else { continue }
                    if !inside {
                        problem(childRel, "symbolic link leads outside the input root")
                        continue
                    }
                }
                if mode == S_IFDIR {
                    // Output folders and a shard's part (render --shard) are output, not data.
                    if !isOutputFolder(path) && !PartFolder.isPart(path) { walk(childRel) }
                } else if isData {
                    if mode == S_IFREG { found.append(childRel) } else { problem(childRel, "is \(SafeFile.kind(mode)), not a data file") }
                }
            }
        }
        walk("")
        return found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// A folder that `render` wrote: `manifest.json` beside `messages/` or the render
    /// caches. An output folder is never data (SPEC §1), wherever it lies: one rendered
    /// with `--out` inside ROOT is not read by the next `validate` either, which knows
    /// nothing of that --out.
    static func isOutputFolder(_ path: String) -> Bool {
        var st = stat()
        func isA(_ name: String, _ type: mode_t) -> Bool { lstat(path + "/" + name, &st) == 0 && (st.st_mode & S_IFMT) == type }
        return isA("manifest.json", S_IFREG) && (isA("messages", S_IFDIR) || isA(".render-state", S_IFREG) || isA(".fingerprints", S_IFREG))
    }

    /// Lexically resolves `.` and `..`; nil when the path climbs above its start.
    static func normalize(_ path: String) -> String? {
        var parts: [Substring] = []
        for comp in path.split(separator: "/", omittingEmptySubsequences: true) {
            if comp == "." { continue }
            if comp == ".." {
                if parts.isEmpty { return nil }
                parts.removeLast()
            } else {
                parts.append(comp)
            }
        }
        return parts.joined(separator: "/")
    }

    /// Resolves `reference`, written in the data file `fromFile`, to a file inside root.
    /// Returns the root-relative path or a reason why it is refused.
    static func resolveReference(_ reference: String, fromFile: String, root: URL) -> Result<String, InputProblem> {
        if reference.hasPrefix("/") || reference.hasPrefix("~") {
            return .failure(InputProblem("path '\(reference)' is absolute; write it relative to \(fromFile)"))
        }
        let dir = (fromFile as NSString).deletingLastPathComponent
        guard let rel = normalize(dir.isEmpty ? reference : dir + "/" + reference), !rel.isEmpty else {
            return .failure(InputProblem("path '\(reference)' leads outside the input root"))
        }
        let url = root.appendingPathComponent(rel)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
            return .failure(InputProblem("file '\(reference)' does not exist (looked for \(rel))"))
        }
        if isDir.boolValue { return .failure(InputProblem("'\(reference)' is a folder, not a file")) }
        guard case .success(let real) = SafeFile.realPath(url.path),
              SafeFile.isInside(real, SafeFile.rootReal(root)) else {
            return .failure(InputProblem("path '\(reference)' is a symbolic link that leads outside the input root"))
        }
        return .success(rel)
    }
}
