/// Every record's fields, declared once (SPEC §1). The loader checks records against
/// these tables, `notices schema` describes them, template objects expose them and the
/// input fingerprint covers them; to add a field, add it here (docs/ARCHITECTURE.md).
package struct Tables: Sendable {
    package var provider = Tables.providerTable
    package var tenant = Tables.tenantTable
    package var contactRole = Tables.contactRoleTable
    package var contact = Tables.contactTable
    package var assignment = Tables.assignmentTable
    package var maintenance = Tables.event(.maintenance)
    package var outage = Tables.event(.outage)
    package var impact = Tables.impactTable {
        didSet { inlineImpact = impact.removing(["maintenance", "outage"]) }
    }
    /// Impacts inside an event, which name no event of their own.
    package private(set) var inlineImpact = Tables.impactTable.removing(["maintenance", "outage"])
    package var template = Tables.templateTable
    package var message = Tables.messageTable
    package var settings = Tables.settingsTable
    /// By collection: circuits, devices, sites, virtual_machines, power_feeds, objects.
    package var inventory: [String: RecordTable] = Dictionary(uniqueKeysWithValues: InventoryKind.all.map { ($0.collection, Tables.inventory($0)) })

    package static let standard = Tables()

    package func event(_ kind: EventKind) -> RecordTable { kind == .maintenance ? maintenance : outage }

    // MARK: - The tables

    static let freeFormDoc = "Free-form data for templates (YAML 1.2 core schema)."

    static let providerTable = RecordTable("provider", stops: ["slug"], [
        Field("slug", .text, required: true, key: KeyRules.Position.none, doc: "The provider's key."),
        Field("name", .text, default: .field("slug"), doc: "Display name."),
        Field("description", .text, doc: "Free text."),
        Field("custom_fields", .freeForm, doc: freeFormDoc),
    ])

    static let tenantTable = RecordTable("tenant", stops: ["slug"], [
        Field("slug", .text, required: true, key: .afterDoubleDash, doc: "The tenant's key."),
        Field("name", .text, default: .field("slug"), doc: "Display name."),
        Field("group", .text, doc: "Tenant group."),
        Field("description", .text, doc: "Free text."),
        Field("custom_fields", .freeForm, doc: freeFormDoc),
    ])

    static let contactRoleTable = RecordTable("contact role", stops: ["slug"], [
        Field("slug", .text, required: true, key: KeyRules.Position.none, doc: "The role's key."),
        Field("name", .text, default: .field("slug"), doc: "Display name."),
    ])

    static let priorities = ContactPriority.allCases.map(\.rawValue)

    static let assignmentTable = RecordTable("contact assignment", stops: [], [
        Field("contact", .text, required: true, doc: "The contact's id (top-level contact_assignments only)."),
        Field("tenant", .text, required: true, doc: "The tenant's slug."),
        Field("role", .text, doc: "A contact role's slug."),
        Field("priority", .choice(priorities), doc: "primary, secondary, tertiary or inactive (never notified)."),
    ])

    static let contactTable = RecordTable("contact", stops: ["name"], [
        Field("id", .text, key: KeyRules.Position.none, default: .described("the email, else the slugified name"), doc: "The contact's key."),
        Field("name", .text, required: true, doc: "Full name."),
        Field("email", .text, doc: "Where messages go; contacts without one are left out."),
        Field("phone", .text, doc: "Phone number."),
        Field("title", .text, doc: "Job title."),
        Field("description", .text, doc: "Free text."),
        Field("custom_fields", .freeForm, doc: freeFormDoc),
        Field("assignments", .list(.record(assignmentTable.removing(["contact"]).named("assignment"))), exposure: .hidden,
              doc: "The tenants this contact is assigned to."),
    ])

    /// Keys of the inventory records an impact may name.
    static let targetKeys = ["circuit", "device", "site", "virtual_machine", "power_feed"]

    static let impactObjectTable = RecordTable("impact object", stops: [], [
        Field("type", .text, required: true, doc: "The object's type (an `objects` record's type)."),
        Field("id", .text, required: true, doc: "The object's id."),
    ])

    static let impactTable = RecordTable("impact", stops: [], targetKeys.map {
        Field($0, .text, doc: "The impacted \($0.replacingOccurrences(of: "_", with: " ")) (give exactly one target).")
    } + [
        Field("object", .record(impactObjectTable), doc: "An impacted generic object: {type, id}."),
        Field("impact", .choice(ImpactLevel.allCases.map(\.rawValue)), doc: "NO-IMPACT, REDUCED-REDUNDANCY, DEGRADED or OUTAGE."),
        Field("maintenance", .text, doc: "The maintenance (top-level impacts collection only)."),
        Field("outage", .text, doc: "The outage (top-level impacts collection only)."),
        // Visible to templates (SPEC §1: every field the model defines is), where it is
        // always true: a silenced impact is in no variable.
        Field("notify", .bool, default: .value(.bool(true)),
              doc: "false: left out of every message and template variable (the target is not told)."),
    ])

    static func event(_ kind: EventKind) -> RecordTable {
        var fields = [
            Field("id", .text, required: true, key: .afterDash, doc: "The \(kind.rawValue)'s key."),
            Field("name", .text, default: .field("id"), doc: "The provider's event ID."),
            Field("summary", .text, required: true, doc: "What happens."),
            Field("provider", .text, required: true, exposure: .reference, doc: "The provider's slug."),
            Field("start", .timestamp, required: true, doc: "Start (a time without offset is in settings.timezone)."),
            Field("end", .timestamp, required: kind == .maintenance,
                  doc: kind == .maintenance ? "End, not before start." : "End, not before start; required when RESOLVED."),
            Field("status", .choice(EventStatus.allowed(for: kind).map(\.rawValue)), required: true, doc: "The \(kind.rawValue)'s status."),
            Field("original_timezone", .text, doc: "The provider's time zone (IANA name)."),
            Field("internal_ticket", .text, doc: "Your ticket reference."),
            Field("acknowledged", .bool, doc: "Whether the notice was acknowledged."),
            Field("comments", .text, doc: "Free text."),
            Field("impact", .text, doc: "Free text about the impact."),
            Field("impacts", .list(.record(impactTable)), exposure: .hidden,
                  doc: "The impacted objects (without `maintenance` and `outage`, which the event gives)."),
            Field("custom_fields", .freeForm, doc: freeFormDoc),
            // Visible to templates, where it is always true: a silenced event makes no message.
            Field("notify", .bool, default: .value(.bool(true)),
                  doc: "false: no message (drafts are removed as if the event were deleted; messages that left draft are kept, orphaned)."),
            Field("silence", .list(.choice(SanityWarning.allCases.map(\.rawValue))), exposure: .hidden, itemName: "warning name",
                  doc: "Sanity warnings not to give for this \(kind.rawValue) (docs/DECISIONS.md)."),
        ]
        if kind == .maintenance {
            fields.append(Field("replaces", .text, exposure: .link, doc: "The maintenance this one replaces (templates also see replaced_by)."))
        } else {
            fields.append(Field("reported_at", .timestamp, default: .field("start"), doc: "When it was reported (default: start)."))
            fields.append(Field("estimated_time_to_repair", .timestamp, doc: "When service should be back."))
        }
        return RecordTable(kind.rawValue, stops: ["id"], fields)
    }

    static let scopeTable = RecordTable("scope", stops: ["type"], [
        Field("type", .text, required: true, doc: "tenant, provider, maintenance, outage, an inventory type or an objects type."),
        Field("object", .text, doc: "The key of that object; absent: any of that type."),
        Field("event_type", .choice(EventTypeFilter.scopeValues.map(\.rawValue)), doc: "Only events of this type."),
        Field("event_status", .choice(EventStatus.allCases.map(\.rawValue)), doc: "Only events with this status."),
        Field("weight", .int, default: .value(.int(1000)), doc: "Added to the score when the scope matches."),
    ])

    static let sources = ["subject_template", "body_template", "css_template", "ical_template"]

    static let templateTable = RecordTable("template", stops: ["slug"], [
        Field("slug", .text, required: true, key: KeyRules.Position.none, doc: "The template's key; also its name in {% extends %} and {% include %}."),
        Field("name", .text, default: .field("slug"), doc: "Display name."),
        Field("description", .text, doc: "Free text."),
        Field("event_type", .choice(EventTypeFilter.allCases.map(\.rawValue)), required: true, exposure: .hidden,
              doc: "maintenance, outage, both or none (standalone messages)."),
        Field("granularity", .choice(Granularity.allCases.map(\.rawValue)), exposure: .hidden,
              doc: "per_event, per_tenant (default) or per_impact."),
        Field("body_format", .choice(BodyFormat.allCases.map(\.rawValue)), exposure: .hidden, doc: "markdown (default), html or text."),
        Field("headers_template", .mapping(.template), exposure: .hidden, itemName: "header", doc: "Header name → Jinja text."),
        Field("include_ical", .bool, exposure: .hidden, doc: "Attach invite.ics (maintenances)."),
        Field("contact_roles", .list(.text), exposure: .hidden, doc: "Only contacts with these roles."),
        Field("contact_priorities", .list(.choice(ContactPriority.selectable.map(\.rawValue))), exposure: .hidden,
              itemName: "contact priority", doc: "Only contacts with these priorities."),
        Field("is_base_template", .bool, exposure: .hidden, doc: "A layout: found by name, never selected."),
        Field("extends", .text, exposure: .hidden, doc: "A template whose body this body extends."),
        Field("weight", .int, default: .value(.int(1000)), exposure: .hidden, doc: "Base score."),
        Field("scopes", .list(.record(scopeTable)), exposure: .hidden, doc: "Where the template applies."),
    ] + sources.map { Field($0, .template, exposure: .hidden, doc: "Jinja text of the \($0.replacingOccurrences(of: "_template", with: ""))") }
      + sources.map { Field($0 + "_file", .templateFile, exposure: .hidden, doc: "A file holding \($0) instead.") })

    static let messageTable = RecordTable("message", stops: ["id"], [
        Field("id", .text, required: true, key: .afterDash, doc: "The message's key."),
        Field("template", .text, required: true, doc: "A template with event_type none."),
        Field("contacts", .list(.text), required: true, doc: "Contact ids, in the order they are addressed."),
        Field("tenant", .text, doc: "A tenant's slug."),
        Field("vars", .freeForm, doc: "Extra template variables."),
    ])

    static let jinjaTable = RecordTable("jinja settings", stops: [], [
        Field("trim_blocks", .bool, doc: "Jinja2's trim_blocks."),
        Field("lstrip_blocks", .bool, doc: "Jinja2's lstrip_blocks."),
        Field("keep_trailing_newline", .bool, doc: "Jinja2's keep_trailing_newline."),
    ])

    static let emlTable = RecordTable("eml settings", stops: [], [
        Field("from", .text, required: true, doc: "The From address; when set, message.eml is written."),
    ])

    static let organizationTable = RecordTable("organization settings", stops: [], [
        Field("name", .text, doc: "Who sends the notices."),
        Field("email", .text, doc: "Their address (one RFC 5322 addr-spec)."),
        Field("phone", .text, doc: "Their phone number."),
        Field("website", .text, doc: "Their website."),
        Field("domain", .text, default: .described("the domain of email, else of eml.from"), doc: "Names Message-IDs and invite UIDs."),
    ])

    static let settingsTable = RecordTable("settings", stops: [], [
        Field("netbox_url", .text, doc: "Base URL of NetBox, for links."),
        Field("output", .text, default: .value(.text("out")), doc: "The output folder, inside ROOT."),
        Field("timezone", .text, default: .value(.text("UTC")), doc: "For timestamps without an offset (IANA name)."),
        Field("paths", .list(.text), doc: "Only data files under these paths."),
        Field("template_paths", .list(.text), doc: "Folders for {% include %} and {% extends %} (default: templates/)."),
        Field("strict_undefined", .bool, doc: "Any undefined value is an error."),
        Field("jinja", .record(jinjaTable), doc: "Jinja2 environment options."),
        Field("eml", .record(emlTable), doc: "message.eml settings."),
        Field("organization", .record(organizationTable), doc: "Who sends the notices (templates see settings.organization)."),
        Field("vars", .freeForm, doc: "Free-form data for templates (settings.vars)."),
        Field("silence", .list(.choice(SanityWarning.allCases.map(\.rawValue))), exposure: .hidden, itemName: "warning name",
              doc: "Sanity warnings not to give at all (docs/DECISIONS.md)."),
    ])

    /// An inventory collection's table: its key, the common fields, and any other field.
    static func inventory(_ kind: InventoryKind) -> RecordTable {
        var fields: [Field] = []
        if kind.collection == "objects" {
            fields.append(Field("type", .text, required: true, key: .insideID, exposure: .hidden, doc: "The object's type name."))
        }
        fields.append(Field(kind.keyField, .text, required: true, key: .afterDash, doc: "The key."))
        let common = [
            Field("tenant", .text, exposure: .reference, doc: "The tenant's slug."),
            Field("site", .text, exposure: .reference, doc: "The site's slug."),
            Field("provider", .text, exposure: kind.collection == "circuits" ? .reference : .referenceIfGiven, doc: "The provider's slug."),
            Field("description", .text, doc: "Free text."),
            Field("name", .text, default: .described("the display string"), doc: "Display name."),
            Field("custom_fields", .freeForm, doc: freeFormDoc),
        ]
        fields += common.filter { $0.name != kind.keyField }
        return RecordTable(kind.typeName == "object" ? "object" : kind.typeName.replacingOccurrences(of: "_", with: " "),
                           stops: kind.collection == "objects" ? ["type", "id"] : [kind.keyField], open: true, fields)
    }
}
