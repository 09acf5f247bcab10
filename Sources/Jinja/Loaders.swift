import Foundation


/// Where `{% include %}`, `{% extends %}` and `{% import %}` find templates by name.
public protocol TemplateLoader: Sendable {
    /// The source of the named template, or nil when there is none.
    func source(for name: String) throws -> String?
    /// Where names are looked up, for "not found" errors (folders, …); empty says nothing.
    var searched: [String] { get }
}

extension TemplateLoader {
    public var searched: [String] { [] }
}

/// Templates held in memory, by name.
public struct DictionaryLoader: TemplateLoader {
    public var templates: [String: String]
    public init(_ templates: [String: String]) { self.templates = templates }
    public func source(for name: String) throws -> String? { templates[name] }
}

/// Templates read from folders. Names are `/`-separated relative paths; a name that
/// would leave its folder (`..`, absolute, a symbolic link pointing out) is not found.
public struct FileSystemLoader: TemplateLoader {
    public var searchPaths: [URL]
    public init(searchPaths: [URL]) { self.searchPaths = searchPaths }
    public var searched: [String] { searchPaths.map { $0.relativePath.hasSuffix("/") ? $0.relativePath : $0.relativePath + "/" } }

    public func source(for name: String) throws -> String? {
        let parts = name.split(separator: "/", omittingEmptySubsequences: true)
        if name.hasPrefix("/") || parts.contains("..") || parts.isEmpty { return nil }
        for base in searchPaths {
            let url = parts.reduce(base) { $0.appendingPathComponent(String($1)) }
            let real = url.resolvingSymlinksInPath().path
            let root = base.resolvingSymlinksInPath().path
            guard real.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { continue }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: real, isDirectory: &isDir), !isDir.boolValue else { continue }
            guard let data = FileManager.default.contents(atPath: real) else { continue }
            guard let text = String(data: data, encoding: .utf8) else {
                throw TemplateError(.runtime, "template '\(name)' is not UTF-8 text", template: name)
            }
            return text
        }
        return nil
    }
}
