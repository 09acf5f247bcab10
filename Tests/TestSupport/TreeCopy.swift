import Foundation
import Testing

/// A copy of an example tree in a temporary folder, removed afterwards.
package struct TreeCopy {
    package let root: URL

    package init(_ example: String, files: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent(example), to: root)
        try? FileManager.default.removeItem(at: root.appendingPathComponent("out"))
        for (path, text) in files { try Data(text.utf8).write(to: root.appendingPathComponent(path)) }
    }

    package func remove() { try? FileManager.default.removeItem(at: root) }

    package func read(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: root.appendingPathComponent(path).path) ?? Data(), as: UTF8.self)
    }

    package func edit(_ path: String, _ from: String, _ to: String) throws {
        let text = read(path)
        #expect(text.contains(from))
        try Data(text.replacingOccurrences(of: from, with: to).utf8).write(to: root.appendingPathComponent(path))
    }

    /// path → (inode, mtime, bytes) for every file under `out/`.
    package func snapshot() throws -> [String: String] {
        var out: [String: String] = [:]
        let base = root.appendingPathComponent("out")
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [:] }
        for case let path as String in walker {
            let attrs = try FileManager.default.attributesOfItem(atPath: base.appendingPathComponent(path).path)
            guard attrs[.type] as? FileAttributeType == .typeRegular, !path.hasSuffix(".lock") else { continue }
            let data = FileManager.default.contents(atPath: base.appendingPathComponent(path).path) ?? Data()
            out[path] = "\(attrs[.systemFileNumber] ?? 0) \((attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0) \(data.hashValue) \(data.count)"
        }
        return out
    }
}

