/// `notices schema`: a JSON Schema (draft 2020-12) of the data files, for editors
/// (`# yaml-language-server: $schema=…`) and CI checks, made from the record tables.
package enum Schema {
    /// Text fields take any scalar: notices reads the scalar as written (SPEC §1).
    static let text: JSONValue = .object([("type", .array(["string", "number", "boolean"].map { .string($0) }))])
    static let timestamp: JSONValue = .object([("type", .string("string")),
        ("pattern", .string("^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?([Zz]|[+-]\\d{2}:?\\d{2})?$"))])

    /// The schema of values of one field type.
    static func schema(_ type: FieldType) -> JSONValue {
        switch type {
        case .text, .template, .templateFile: return text
        case .bool: return .object([("type", .string("boolean"))])
        case .int: return .object([("type", .string("integer"))])
        case .timestamp: return timestamp
        case .choice(let values): return .object([("enum", .array(values.map { .string($0) }))])
        case .list(let item): return .object([("type", .string("array")), ("items", schema(item))])
        case .record(let table): return schema(table)
        case .freeForm: return .object([("type", .string("object"))])
        case .mapping(let value): return .object([("type", .string("object")), ("additionalProperties", schema(value))])
        }
    }

    /// A record: its fields, the required ones, and whether others are allowed.
    static func schema(_ table: RecordTable) -> JSONValue {
        .object([
            ("type", .string("object")),
            ("properties", .object(table.fields.map { ($0.name, schema($0.type)) })),
            ("required", .array(table.fields.filter(\.required).map { .string($0.name) })),
            ("additionalProperties", .bool(table.open)),
        ])
    }

    package static func document(_ tables: Tables = .standard) -> JSONValue {
        func list(_ table: RecordTable) -> JSONValue { schema(.list(.record(table))) }
        let collections: [(String, JSONValue)] = DataCollection.allCases.map { collection in
            switch collection {
            case .providers: return (collection.rawValue, list(tables.provider))
            case .tenants: return (collection.rawValue, list(tables.tenant))
            case .contact_roles: return (collection.rawValue, list(tables.contactRole))
            case .circuits, .devices, .sites, .virtual_machines, .power_feeds, .objects:
                return (collection.rawValue, list(tables.inventory[collection.rawValue]!))
            case .contacts: return (collection.rawValue, list(tables.contact))
            case .contact_assignments: return (collection.rawValue, list(tables.assignment))
            case .maintenances: return (collection.rawValue, list(tables.maintenance))
            case .outages: return (collection.rawValue, list(tables.outage))
            case .impacts: return (collection.rawValue, list(tables.impact))
            case .templates: return (collection.rawValue, list(tables.template))
            case .messages: return (collection.rawValue, list(tables.message))
            }
        }
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
