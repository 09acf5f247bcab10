import Foundation
import NoticesKit

/// Writes a throw-away input tree from `path → contents` and removes it afterwards.
package struct TreeFixture {
    package let root: URL

    package init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("notices-test-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    package func load() -> LoadResult { Loader.load(root: root) }

    /// Every diagnostic as `file:line:col: severity: text`.
    package func problems() -> [String] { load().diagnostics.map(\.description) }

    package func remove() { try? FileManager.default.removeItem(at: root) }

    /// A small valid tree the bad-input cases start from.
    package static let base: [String: String] = [
        "org.yaml": """
        providers:
          - slug: zayo
            name: Zayo
        tenants:
          - slug: acme
            name: ACME
        contact_roles:
          - slug: noc
        """,
        "inventory.yaml": """
        sites:
          - slug: ams1
        circuits:
          - cid: C1
            provider: zayo
            tenant: acme
            site: ams1
          - cid: C2
            provider: zayo
        """,
    ]
}
