/// `notices schema --settings`: a JSON Schema (draft 2020-12) of notices.yaml (SPEC §1.10).
extension Schema {
    public static func settingsDocument() -> JSONValue {
        let flag = boolean
        let organization = record([("name", text), ("email", text), ("phone", text), ("website", text), ("domain", text)], required: [])
        return .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://notices.invalid/schema/settings.json")),
            ("title", .string("notices settings (notices.yaml)")),
            ("description", .string("Settings of an input tree (SPEC §1.10).")),
            ("anyOf", .array([
                record([
                    ("netbox_url", text), ("output", text), ("timezone", text), ("paths", list(text)), ("template_paths", list(text)),
                    ("strict_undefined", flag),
                    ("jinja", record([("trim_blocks", flag), ("lstrip_blocks", flag), ("keep_trailing_newline", flag)], required: [])),
                    ("eml", record([("from", text)], required: ["from"])),
                    ("organization", organization),
                    ("vars", freeForm),
                ], required: []),
                .object([("type", .string("null"))]),
            ])),
        ])
    }
}
