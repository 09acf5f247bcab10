/// `notices schema --settings`: a JSON Schema (draft 2020-12) of notices.yaml (SPEC §1.10),
/// made from the settings table.
extension Schema {
    package static func settingsDocument(_ tables: Tables = .standard) -> JSONValue {
        .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://notices.invalid/schema/settings.json")),
            ("title", .string("notices settings (notices.yaml)")),
            ("description", .string("Settings of an input tree (SPEC §1.10).")),
            ("anyOf", .array([schema(tables.settings), .object([("type", .string("null"))])])),
        ])
    }
}
