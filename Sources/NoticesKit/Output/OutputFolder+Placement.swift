import Foundation

/// Where OUT may be. Every render writes, replaces and removes files in OUT, so it may
/// not be the input tree itself, a folder that holds the tree, or the file-system root;
/// and it is never reached through a symbolic link (a committed `out -> /` would send
/// every write and delete there). Inside ROOT it is never read as data (SPEC §1): the
/// loader leaves it out, whether it is the settings' `output` or given with `--out`.
extension OutputFolder {
    /// ROOT's output folder: `override` (--out) when given, else `settings.output` under
    /// ROOT; an error when it cannot be one (`problem`).
    package init(root: URL, settings: Settings, override: URL?) throws {
        let url = override ?? root.appendingPathComponent(settings.output, isDirectory: true)
        if let problem = Self.problem(out: url, root: root, fromSettings: override == nil) {
            throw DiagnosticsError([.error(nil, "the output folder \(url.path) \(problem)")])
        }
        self.init(url)
    }

    /// ROOT's output folder, reading only `notices.yaml` (commands that need no model).
    /// Settings with errors fall back to the defaults, as loading does.
    public static func locate(root: URL, override: URL?) throws -> OutputFolder {
        try OutputFolder(root: root, settings: SettingsReader.settings(root: root).settings, override: override)
    }

    /// Why `out` cannot be the output folder of the tree at `root` ("is the file-system
    /// root…"), or nil. A folder from the tree's own settings (`fromSettings`) is
    /// untrusted like the rest of the tree: no folder on its way from ROOT may be a link.
    package static func problem(out: URL, root: URL, fromSettings: Bool) -> String? {
        let outPath = out.standardizedFileURL.path
        let linkAdvice = ": the output folder is never reached through a link (it could lead anywhere); use a real folder"
        if fromSettings && outPath.hasPrefix(root.standardizedFileURL.path + "/") {
            // ROOT/a/b/out: a, a/b and out are each checked where they exist.
            let rootPath = root.standardizedFileURL.path
            var path = rootPath
            for part in outPath.dropFirst(rootPath.count).split(separator: "/") {
                path += "/" + part
                if FileIO.entry(atPath: path) == .link {
                    return path == outPath ? "is a symbolic link" + linkAdvice
                        : "leads through the symbolic link \(path)" + linkAdvice
                }
            }
        } else if FileIO.entry(atPath: outPath) == .link {
            return "is a symbolic link" + linkAdvice
        }
        let realOut = resolvedPath(outPath)
        let realRoot = SafeFile.rootReal(root)
        let own = "; give the messages a folder of their own (render writes, replaces and removes files there)"
        if realOut == "/" { return "is the file-system root" + own }
        if realOut == realRoot { return "is the input tree itself" + own }
        if SafeFile.isInside(realRoot, realOut) { return "contains the input tree \(realRoot)" + own }
        return nil
    }

    /// The path of `out` relative to ROOT when OUT lies inside the tree (the loader skips
    /// it), else nil.
    package static func relativePath(out: URL, root: URL) -> String? {
        let realOut = resolvedPath(out.standardizedFileURL.path)
        let realRoot = SafeFile.rootReal(root)
        guard realOut != realRoot, SafeFile.isInside(realOut, realRoot) else { return nil }
        return String(realOut.dropFirst(realRoot.count).drop { $0 == "/" })
    }

    /// `path` with every link resolved in the part that exists (OUT may not exist yet).
    static func resolvedPath(_ path: String) -> String {
        var existing = path
        var rest: [Substring] = []
        while existing != "/" && !existing.isEmpty {
            if case .success(let real) = SafeFile.realPath(existing) {
                if rest.isEmpty { return real }
                return ([real == "/" ? "" : real] + rest.reversed().map(String.init)).joined(separator: "/")
            }
            let cut = existing.lastIndex(of: "/") ?? existing.startIndex
            rest.append(existing[existing.index(after: cut)...])
            existing = String(existing[..<cut])
        }
        return rest.isEmpty ? "/" : "/" + rest.reversed().joined(separator: "/")
    }
}
