import Foundation

/// How a field's value is written and read (SPEC §1: each field is read as its own
/// type, never by YAML 1.1 guessing).
package indirect enum FieldType: Sendable {
    /// Any scalar, taken as written (`no`, `0012`, `1e3` stay text).
    case text
    case bool
    case int
    /// An ISO 8601 / RFC 3339 date-time.
    case timestamp
    /// Text from a fixed set.
    case choice([String])
    case list(FieldType)
    /// A nested mapping with its own fields.
    case record(RecordTable)
    /// Free-form data read with the YAML 1.2 core schema (`custom_fields`, `vars`).
    case freeForm
    /// Jinja template text written inline.
    case template
    /// A path to a template file, relative to the data file and inside ROOT.
    case templateFile
    /// A mapping of names to values of one type (`headers_template`).
    case mapping(FieldType)
}

/// What a field is when a template does not give it (SPEC §1: a field the model
/// defines is always present in templates).
package enum FieldDefault: Sendable {
    /// The type's empty value: "" for text, false, `{}` for free-form, `[]` for lists;
    /// none for timestamps, choices and references.
    case empty
    case value(FieldValue)
    /// Another field's value (`name` defaults to the key).
    case field(String)
    /// Worked out by the loader; the text says how (for the docs).
    case described(String)
}

/// How templates see a field of a record's object (SPEC §2.6).
package enum Exposure: Sendable {
    /// The value (or the default) under the field's name.
    case attribute
    /// The object the value names (a provider, tenant, site or maintenance), or none.
    case reference
    /// Like `reference`, but only when the record gives the field.
    case referenceIfGiven
    /// The object the value names, looked up when a template reads it (`replaces`: links
    /// between events may run both ways and be long).
    case link
    /// Not part of the object.
    case hidden
}

/// One field of a record: everything the loader checks, the schema describes, template
/// objects expose and the input fingerprint covers.
package struct Field: Sendable {
    package var name: String
    package var type: FieldType
    package var required: Bool
    package var defaultValue: FieldDefault
    package var exposure: Exposure
    /// One line for people (docs, editors).
    package var doc: String
    /// How errors name one entry of a list of choices ("contact priority").
    package var itemName: String?
    /// A record key: one printable line that cannot make an ID look like a revision
    /// where it stands in message IDs (KeyRules).
    package var key: KeyRules.Position?

    package init(_ name: String, _ type: FieldType, required: Bool = false, key: KeyRules.Position? = nil,
                 default defaultValue: FieldDefault = .empty, exposure: Exposure = .attribute, itemName: String? = nil, doc: String) {
        self.name = name
        self.type = type
        self.required = required
        self.key = key
        self.defaultValue = defaultValue
        self.exposure = exposure
        self.itemName = itemName
        self.doc = doc
    }
}

/// The fields of one kind of record, declared once (Tables.swift). A class so that
/// records can point at their table cheaply.
package final class RecordTable: Sendable {
    /// How messages name a record ("provider", "contact role").
    package let what: String
    package let fields: [Field]
    /// Whether fields not in the table are allowed (inventory records).
    package let open: Bool
    /// Fields read first, in order; when one is missing, the rest of the record is not
    /// read (its key, say: further errors would only repeat that one).
    package let stops: [String]
    private let position: [String: Int]

    package init(_ what: String, stops: [String], open: Bool = false, _ fields: [Field]) {
        self.what = what
        self.stops = stops
        self.open = open
        self.fields = fields
        names = fields.map(\.name)
        position = Dictionary(fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    package subscript(name: String) -> Field? { position[name].map { fields[$0] } }

    /// The fields' names, in order.
    package let names: [String]

    /// The same table with more fields (tests add one to see it reach every consumer).
    package func adding(_ extra: [Field]) -> RecordTable {
        RecordTable(what, stops: stops, open: open, fields + extra)
    }

    /// The same table without some fields (inline impacts name no event).
    package func removing(_ names: Set<String>) -> RecordTable {
        RecordTable(what, stops: stops, open: open, fields.filter { !names.contains($0.name) })
    }

    /// The same table under another name in messages ("scope of template 't'").
    package func named(_ what: String) -> RecordTable {
        RecordTable(what, stops: stops, open: open, fields)
    }
}

/// A field's value as read.
package indirect enum FieldValue: Sendable {
    case text(String)
    case bool(Bool)
    case int(Int)
    case timestamp(Timestamp)
    case list([FieldValue])
    case record(RecordValues)
    case data(DataValue)
    case source(TemplateSource)
    case mapping([(String, FieldValue)])

    package var text: String? {
        if case .text(let s) = self { return s }
        return nil
    }
}

/// The fields a record gave, by name, with the table that declares them. Held as a
/// short list (a record gives a handful of fields: no hashing to store or find one) in
/// one copy-on-write box, so copying a record into plans and selections is one retain.
package struct RecordValues: Sendable {
    private final class Storage: @unchecked Sendable {
        let table: RecordTable
        var pairs: [(String, FieldValue)]
        init(table: RecordTable, pairs: [(String, FieldValue)]) {
            self.table = table
            self.pairs = pairs
        }
    }

    private var storage: Storage

    package init(table: RecordTable) { storage = Storage(table: table, pairs: []) }

    package var table: RecordTable { storage.table }

    package subscript(name: String) -> FieldValue? {
        get {
            for (k, v) in storage.pairs where k == name { return v }
            return nil
        }
        set {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(table: storage.table, pairs: storage.pairs) }
            if let i = storage.pairs.firstIndex(where: { $0.0 == name }) {
                if let newValue { storage.pairs[i].1 = newValue } else { storage.pairs.remove(at: i) }
            } else if let newValue {
                storage.pairs.append((name, newValue))
            }
        }
    }

    /// The value, else the field's default (another field's value, or a given value);
    /// nil when the default is the type's empty value or worked out elsewhere.
    package func valueOrDefault(_ field: Field) -> FieldValue? {
        if let v = self[field.name] { return v }
        switch field.defaultValue {
        case .value(let v): return v
        case .field(let other): return self[other]
        case .empty, .described: return nil
        }
    }

    package func text(_ name: String) -> String? { self[name]?.text }
}
