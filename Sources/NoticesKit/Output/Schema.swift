/// `notices schema`: a JSON Schema (draft 2020-12) of the data files, for editors
/// (`# yaml-language-server: $schema=…`) and CI checks.
public enum Schema {
    /// Text fields take any scalar: notices reads the scalar as written (SPEC §1).
    static let text: JSONValue = .object([("type", .array(["string", "number", "boolean"].map { .string($0) }))])
    static let integer: JSONValue = .object([("type", .string("integer"))])
    static let boolean: JSONValue = .object([("type", .string("boolean"))])
    static let timestamp: JSONValue = .object([("type", .string("string")),
        ("pattern", .string("^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?([Zz]|[+-]\\d{2}:?\\d{2})?$"))])
    static let freeForm: JSONValue = .object([("type", .string("object"))])

    static func choice(_ values: [String]) -> JSONValue { .object([("enum", .array(values.map { .string($0) }))]) }
    static func list(_ item: JSONValue) -> JSONValue { .object([("type", .string("array")), ("items", item)]) }

    static func record(_ fields: [(String, JSONValue)], required: [String], open: Bool = false) -> JSONValue {
        .object([
            ("type", .string("object")),
            ("properties", .object(fields)),
            ("required", .array(required.map { .string($0) })),
            ("additionalProperties", .bool(open)),
        ])
    }

    static var impact: JSONValue {
        record([("circuit", text), ("device", text), ("site", text), ("virtual_machine", text), ("power_feed", text),
                ("object", record([("type", text), ("id", text)], required: ["type", "id"])),
                ("impact", choice(ImpactLevel.allCases.map(\.rawValue))), ("maintenance", text), ("outage", text)],
               required: [])
    }

    static func event(_ kind: EventKind) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", text), ("name", text), ("summary", text), ("provider", text), ("start", timestamp), ("end", timestamp),
            ("status", choice(kind == .maintenance ? maintenanceStatuses : outageStatuses)), ("original_timezone", text),
            ("internal_ticket", text), ("acknowledged", boolean), ("comments", text), ("impact", text),
            ("impacts", list(impact)), ("custom_fields", freeForm),
        ]
        if kind == .maintenance { fields.append(("replaces", text)) } else {
            fields += [("reported_at", timestamp), ("estimated_time_to_repair", timestamp)]
        }
        return record(fields, required: kind == .maintenance ? ["id", "summary", "provider", "start", "end", "status"]
                                                             : ["id", "summary", "provider", "start", "status"])
    }

    static var template: JSONValue {
        let sources = ["subject_template", "body_template", "css_template", "ical_template"]
        let scope = record([("type", text), ("object", text), ("event_type", choice(["maintenance", "outage", "both"])),
                            ("event_status", choice(maintenanceStatuses + outageStatuses)), ("weight", integer)], required: ["type"])
        return record([
            ("slug", text), ("name", text), ("description", text), ("event_type", choice(["maintenance", "outage", "both", "none"])),
            ("granularity", choice(Granularity.allCases.map(\.rawValue))), ("body_format", choice(BodyFormat.allCases.map(\.rawValue))),
            ("headers_template", .object([("type", .string("object")), ("additionalProperties", text)])),
            ("include_ical", boolean), ("contact_roles", list(text)),
            ("contact_priorities", list(choice(["primary", "secondary", "tertiary"]))), ("is_base_template", boolean),
            ("extends", text), ("weight", integer), ("scopes", list(scope)),
        ] + sources.map { ($0, text) } + sources.map { ($0 + "_file", text) }, required: ["slug", "event_type"])
    }

    public static func document() -> JSONValue {
        let assignment = record([("tenant", text), ("role", text), ("priority", choice(ContactPriority.allCases.map(\.rawValue)))],
                                required: ["tenant"])
        let inventoryCommon: [(String, JSONValue)] = [("tenant", text), ("site", text), ("provider", text), ("description", text),
                                                     ("name", text), ("custom_fields", freeForm)]
        func inventory(_ key: String) -> JSONValue {
            record([(key, text)] + inventoryCommon.filter { $0.0 != key }, required: [key], open: true)
        }
        let collections: [(String, JSONValue)] = [
            ("providers", list(record([("slug", text), ("name", text), ("description", text), ("custom_fields", freeForm)], required: ["slug"]))),
            ("tenants", list(record([("slug", text), ("name", text), ("group", text), ("description", text), ("custom_fields", freeForm)], required: ["slug"]))),
            ("contact_roles", list(record([("slug", text), ("name", text)], required: ["slug"]))),
            ("circuits", list(inventory("cid"))), ("devices", list(inventory("name"))), ("sites", list(inventory("slug"))),
            ("virtual_machines", list(inventory("name"))), ("power_feeds", list(inventory("name"))),
            ("objects", list(record([("type", text), ("id", text)] + inventoryCommon, required: ["type", "id"], open: true))),
            ("contacts", list(record([("id", text), ("name", text), ("email", text), ("phone", text), ("title", text),
                                      ("description", text), ("custom_fields", freeForm), ("assignments", list(assignment))],
                                     required: ["name"]))),
            ("contact_assignments", list(record([("contact", text), ("tenant", text), ("role", text),
                                                 ("priority", choice(ContactPriority.allCases.map(\.rawValue)))], required: ["contact", "tenant"]))),
            ("maintenances", list(event(.maintenance))), ("outages", list(event(.outage))), ("impacts", list(impact)),
            ("templates", list(template)),
            ("messages", list(record([("id", text), ("template", text), ("contacts", list(text)), ("tenant", text), ("vars", freeForm)],
                                     required: ["id", "template", "contacts"]))),
        ]
        return .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://notices.invalid/schema/data-file.json")),
            ("title", .string("notices data file")),
            ("description", .string("A mapping of collection names to lists of records (SPEC §1).")),
            ("type", .string("object")),
            ("properties", .object(collections.map { ($0.0, .object([("anyOf", .array([$0.1, .object([("type", .string("null"))])]))])) })),
            ("additionalProperties", .bool(false)),
        ])
    }
}
