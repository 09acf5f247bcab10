/// Which `*.yaml`, `*.yml` and `*.json` files under ROOT are not notices data
/// (docs/DECISIONS.md, "Which files are data"). Besides hidden names, notices.yaml and
/// the output folder (InputTree), these are left alone:
///
/// - JSON Schemas: files named `*.schema.json`, `*.schema.yaml` or `*.schema.yml` (what
///   `notices schema > notices.schema.json` writes), and any file whose top level
///   declares a json-schema.org `$schema`;
/// - configuration files of common tools, by exact name, in any folder (`toolFiles`).
///
/// Every other such file is data: a mistyped collection name in it stays an error.
enum NonDataFiles {
    /// Tools whose configuration commonly sits in a repository's folders.
    static let toolFiles: Set<String> = [
        "renovate.json", "mkdocs.yml", "mkdocs.yaml", "package.json", "package-lock.json", "composer.json", "tsconfig.json",
        "docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml", "codecov.yml", "codecov.yaml",
        "azure-pipelines.yml", "bitbucket-pipelines.yml", "appveyor.yml", "lefthook.yml", "lefthook.yaml", "action.yml",
        "action.yaml", "catalog-info.yaml", "pnpm-lock.yaml", "pnpm-workspace.yaml", "cspell.json", "dependabot.yml",
    ]

    static let schemaSuffixes = [".schema.json", ".schema.yaml", ".schema.yml"]

    /// Whether a file name (no folder) says it is not data.
    static func skipsByName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return toolFiles.contains(lower) || schemaSuffixes.contains { lower.hasSuffix($0) && lower.count > $0.count }
    }

    /// Whether a parsed document is a JSON Schema: a top-level `$schema` naming a
    /// json-schema.org dialect.
    static func isJSONSchema(_ doc: DataNode) -> Bool {
        guard case .mapping(let entries, _) = doc else { return false }
        return entries.contains { $0.key.scalarText == "$schema" && ($0.value.scalarText?.contains("json-schema.org") ?? false) }
    }
}
