import Foundation
import Jinja

/// The folders where `{% include %}`, `{% extends %}`, `{% import %}` and `{% from %}`
/// find templates by path (settings.template_paths; default `templates/` when it
/// exists). They are compared with ROOT after every symbolic link is resolved, the
/// folder's own included: a `templates -> /proc/self` link would otherwise serve
/// `{% include "environ" %}` (docs/SECURITY.md).
enum TemplateFolders {
    /// Why the folder `rel` (relative to ROOT) cannot hold templates, or nil when it
    /// can (or does not exist: a name looked up there is then simply not found).
    static func problem(root: URL, rel: String) -> String? {
        let path = root.appendingPathComponent(rel).path
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        switch SafeFile.realPath(path) {
        case .failure(let why): return "template folder '\(rel)' \(why)"
        case .success(let real):
            if !SafeFile.isInside(real, SafeFile.rootReal(root)) {
                return "template folder '\(rel)' is a symbolic link that leads outside the input root"
            }
            guard lstat(real, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return "template folder '\(rel)' is not a folder" }
            return nil
        }
    }

    /// The default folder, when no template_paths are set (those are checked where the
    /// settings name them) and the search for data files does not pass it (it reports
    /// a linked folder itself).
    static func check(root: URL, settings: Settings, sink: DiagnosticSink) {
        let walked = settings.paths.map { $0.contains { $0.isEmpty || $0 == "." || $0 == "templates" } } ?? true
        guard settings.templatePaths == nil, !walked, let problem = problem(root: root, rel: "templates") else { return }
        sink.error(SourceLocation(file: "templates", line: 1, column: 1), problem)
    }

    /// The real paths of the folders to search, in order; folders that are missing or
    /// lead outside ROOT are left out.
    static func resolve(root: URL, settings: Settings) -> [String] {
        (settings.templatePaths ?? ["templates"]).compactMap { resolve(root: root, rel: $0) }
    }

    /// The real path of one folder, or nil when it is missing or leads outside ROOT.
    static func resolve(root: URL, rel: String) -> String? {
        guard problem(root: root, rel: rel) == nil, case .success(let real) = SafeFile.realPath(root.appendingPathComponent(rel).path) else {
            return nil
        }
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: real, isDirectory: &isDir) && isDir.boolValue ? real : nil
    }
}

/// Finds templates by name: a template slug names that template's body; any other
/// name is a relative path under the template folders, read only when it resolves to
/// a regular file inside its folder (SPEC §1.8).
struct NoticesLoader: TemplateLoader {
    let bodies: [String: String]
    /// Real paths of the template folders.
    let folders: [String]
    /// "template slugs" and the folders as settings name them, for "not found" errors.
    let searched: [String]

    init(bodies: [String: String], root: URL, settings: Settings) {
        self.bodies = bodies
        folders = TemplateFolders.resolve(root: root, settings: settings)
        searched = ["template slugs"] + (settings.templatePaths ?? ["templates"]).map { rel in
            let shown = rel.hasSuffix("/") ? rel : rel + "/"
            return TemplateFolders.resolve(root: root, rel: rel) == nil ? shown + " (no such folder)" : shown
        }
    }

    func source(for name: String) throws -> String? {
        if let body = bodies[name] { return body }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true)
        if name.hasPrefix("/") || parts.contains("..") || parts.isEmpty || name.contains("\0") { return nil }
        for folder in folders {
            let path = folder + "/" + parts.joined(separator: "/")
            guard FileManager.default.fileExists(atPath: path) || isLink(path) else { continue }
            let real: String
            switch SafeFile.realPath(path) {
            case .failure(let why): throw TemplateError(.runtime, "template '\(name)' \(why)")
            case .success(let r): real = r
            }
            guard SafeFile.isInside(real, folder) else {
                throw TemplateError(.runtime, "template '\(name)' is a symbolic link that leads outside its template folder")
            }
            switch SafeFile.read(real) {
            case .failure(let why): throw TemplateError(.runtime, "template '\(name)' \(why)")
            case .success(let data):
                guard let text = String(data: data, encoding: .utf8) else {
                    throw TemplateError(.runtime, "template '\(name)' is not UTF-8 text")
                }
                return text
            }
        }
        return nil
    }

    private func isLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }
}
