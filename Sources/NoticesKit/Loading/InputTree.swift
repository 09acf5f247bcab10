import Foundation

/// Finding the data files of an input tree and resolving `*_file` paths safely.
enum InputTree {
    static let dataExtensions: Set<String> = ["yaml", "yml", "json"]

    /// Data files below `root`, as paths relative to it, in code-point order.
    /// Hidden names, the output folder and (when given) paths outside `only` are skipped.
    static func dataFiles(root: URL, output: String, only: [String]?, sink: DiagnosticSink) -> [String] {
        var found: [String] = []
        let fm = FileManager.default
        let outputRel = normalize(output) ?? output
        func walk(_ rel: String) {
            let dir = rel.isEmpty ? root : root.appendingPathComponent(rel)
            guard let names = try? fm.contentsOfDirectory(atPath: dir.path) else { return }
            for name in names where !name.hasPrefix(".") {
                let childRel = rel.isEmpty ? name : rel + "/" + name
                if childRel == outputRel { continue }
                let url = root.appendingPathComponent(childRel)
                guard let attrs = try? fm.attributesOfItem(atPath: url.path),
                      let type = attrs[.type] as? FileAttributeType else { continue }
                if type == .typeDirectory {
                    walk(childRel)
                } else if type == .typeRegular || type == .typeSymbolicLink {
                    let ext = (name as NSString).pathExtension.lowercased()
                    guard dataExtensions.contains(ext) else { continue }
                    if rel.isEmpty && name == "notices.yaml" { continue }
                    if let only, !only.contains(where: { childRel == $0 || childRel.hasPrefix($0 + "/") || $0 == "." || $0.isEmpty }) {
                        continue
                    }
                    if type == .typeSymbolicLink {
                        // A linked data file must still be a file inside the tree.
                        let real = url.resolvingSymlinksInPath().path
                        var isDir: ObjCBool = false
                        if !isInside(real, rootReal: root.resolvingSymlinksInPath().path) {
                            sink.error(SourceLocation(file: childRel, line: 1, column: 1), "symbolic link leads outside the input root")
                            continue
                        }
                        if !fm.fileExists(atPath: real, isDirectory: &isDir) || isDir.boolValue { continue }
                    }
                    found.append(childRel)
                }
            }
        }
        walk("")
        return found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
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

    static func isInside(_ path: String, rootReal: String) -> Bool {
        path == rootReal || path.hasPrefix(rootReal.hasSuffix("/") ? rootReal : rootReal + "/")
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
        let real = url.resolvingSymlinksInPath().path
        if !isInside(real, rootReal: root.resolvingSymlinksInPath().path) {
            return .failure(InputProblem("path '\(reference)' is a symbolic link that leads outside the input root"))
        }
        return .success(rel)
    }
}
