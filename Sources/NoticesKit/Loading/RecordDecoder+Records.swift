import Foundation

/// Each collection's records, read by their tables (Tables.swift) and then given their
/// types; the checks a table cannot say (one target per impact, end after start, a
/// known time zone) are made here.
extension RecordDecoder {
    func reader(_ file: String) -> RecordReader { RecordReader(sink: sink, timezone: zone, root: root, file: file) }

    mutating func read(_ node: DataNode, in collection: DataCollection, file: String) {
        let reader = reader(file)
        switch collection {
        case .providers:
            guard let (f, v) = reader.read(node, tables.provider), let slug = v.text("slug") else { return }
            providers.append(Provider(values: v, slug: slug, name: v.text("name") ?? slug, description: v.text("description") ?? "",
                                      customFields: v.data("custom_fields") ?? .emptyMap, location: f.location))
        case .tenants:
            guard let (f, v) = reader.read(node, tables.tenant), let slug = v.text("slug") else { return }
            tenants.append(Tenant(values: v, slug: slug, name: v.text("name") ?? slug, group: v.text("group") ?? "",
                                  description: v.text("description") ?? "", customFields: v.data("custom_fields") ?? .emptyMap,
                                  location: f.location))
        case .contact_roles:
            guard let (f, v) = reader.read(node, tables.contactRole), let slug = v.text("slug") else { return }
            roles.append(ContactRole(slug: slug, name: v.text("name") ?? slug, location: f.location))
        case .circuits, .devices, .sites, .virtual_machines, .power_feeds, .objects:
            readInventory(node, collection: collection.rawValue, reader)
        case .contacts:
            readContact(node, reader)
        case .contact_assignments:
            guard let (f, v) = reader.read(node, tables.assignment) else { return }
            readAssignment(f, v, contact: v.text("contact"))
        case .maintenances, .outages:
            readEvent(node, kind: collection == .maintenances ? .maintenance : .outage, reader)
        case .impacts:
            if let impact = parseImpact(node, event: nil, reader) { looseImpacts.append((impact, impact.location)) }
        case .templates:
            readTemplate(node, reader)
        case .messages:
            guard let (f, v) = reader.read(node, tables.message), let id = v.text("id") else { return }
            var vars: [(String, DataValue)] = []
            if case .map(let m)? = v.data("vars") { vars = m }
            messages.append(StandaloneMessage(id: id, template: v.text("template") ?? "", contacts: v.texts("contacts") ?? [],
                                              tenant: v.text("tenant"), vars: vars, location: f.location, fieldLocations: f.fieldLocations))
        }
    }

    private mutating func readInventory(_ node: DataNode, collection: String, _ reader: RecordReader) {
        let kind = InventoryKind.all.first { $0.collection == collection }!
        guard let table = tables.inventory[collection], let (f, v) = reader.read(node, table), let key = v.text(kind.keyField) else { return }
        let typeName = kind.collection == "objects" ? (v.text("type") ?? "") : kind.typeName
        // Every field as written: the table's text fields as text, anything else (extra
        // fields, custom_fields) with the YAML 1.2 core schema.
        var values: [(String, DataValue)] = []
        for (name, _, value) in f.pairs {
            if case .text? = table[name]?.type {
                values.append((name, value.isNull ? .null : .string(value.scalarText ?? "")))
            } else {
                values.append((name, v.data(name) ?? coreValue(value, sink: sink)))
            }
        }
        let name = v.text("name")
        let display = kind.collection == "sites" || kind.collection == "objects" ? (name?.isEmpty == false ? name! : key) : key
        inventory.append(InventoryObject(
            collection: collection, ref: TargetRef(type: typeName, key: key), fields: values,
            tenant: v.text("tenant"), site: v.text("site"), provider: v.text("provider"),
            display: display, location: f.location, fieldLocations: f.fieldLocations))
    }

    private mutating func readContact(_ node: DataNode, _ reader: RecordReader) {
        guard let (f, v) = reader.read(node, tables.contact), let name = v.text("name") else { return }
        // Name and address go into the To header: one line, one address.
        if let problem = KeyRules.lineProblem(name) { sink.error(f.location(of: "name"), "field 'name' of contact \(problem)") }
        var email = v.text("email") ?? ""
        if !email.isEmpty, case .failure(let problem) = MailAddress.addrSpec(email) {
            sink.error(f.location(of: "email"), "field 'email' of contact: \(problem)")
            email = ""
        }
        // The id: given (a valid key), else the email, else the slugified name.
        let id = f.has("id") ? v.text("id") ?? "" : (email.isEmpty ? slugify(name) : email)
        contacts.append(Contact(values: v, id: id, name: name, email: email, phone: v.text("phone") ?? "",
                                title: v.text("title") ?? "", description: v.text("description") ?? "",
                                customFields: v.data("custom_fields") ?? .emptyMap, location: f.location))
        guard case .list(.record(let table))? = tables.contact["assignments"]?.type else { return }
        for item in f.list("assignments") ?? [] {
            guard let (af, av) = reader.read(item, table, what: "assignment of contact '\(id)'") else { continue }
            readAssignment(af, av, contact: id)
        }
    }

    private mutating func readAssignment(_ f: Fields, _ v: RecordValues, contact: String?) {
        guard let contact, let tenant = v.text("tenant") else { return }
        assignments.append(ContactAssignment(contact: contact, tenant: tenant, role: v.text("role"),
                                             priority: v.text("priority").flatMap(ContactPriority.init(rawValue:)), location: f.location))
    }

    private mutating func readEvent(_ node: DataNode, kind: EventKind, _ reader: RecordReader) {
        guard let (f, v) = reader.read(node, tables.event(kind)), let id = v.text("id") else { return }
        let start = v.timestamp("start"), end = v.timestamp("end")
        let status = v.text("status").flatMap(EventStatus.init(rawValue:))
        if let start, let end, end < start {
            sink.error(f.location(of: "end"), "\(kind.rawValue) '\(id)' ends (\(end.rfc3339)) before it starts (\(start.rfc3339))")
        }
        if kind == .outage && status == .resolved && !f.has("end") {
            sink.error(f.location(of: "status"), "outage '\(id)' is RESOLVED but has no 'end'")
        }
        var tz = ""
        if let name = v.text("original_timezone"), !name.isEmpty {
            if TimestampParser.zone(named: name) == nil {
                sink.error(f.location(of: "original_timezone"), "unknown time zone '\(name)' (expected an IANA name such as Europe/Paris)")
            } else {
                tz = name
            }
        }
        let ref = EventRef(kind: kind, id: id)
        var event = Event(
            values: v, kind: kind, id: id, name: v.text("name") ?? id, summary: v.text("summary") ?? "", provider: v.text("provider") ?? "",
            start: start, end: end, status: status ?? .unknown, originalTimezone: tz,
            internalTicket: v.text("internal_ticket") ?? "", acknowledged: v.bool("acknowledged") ?? false,
            comments: v.text("comments") ?? "", impactText: v.text("impact") ?? "", replaces: v.text("replaces"),
            reportedAt: kind == .outage ? (v.timestamp("reported_at") ?? start) : nil,
            estimatedTimeToRepair: kind == .outage ? v.timestamp("estimated_time_to_repair") : nil,
            customFields: v.data("custom_fields") ?? .emptyMap, impacts: [], notify: v.bool("notify") ?? true,
            location: f.location, fieldLocations: f.fieldLocations)
        event.naiveTimes = ["start", "end", "reported_at", "estimated_time_to_repair"].filter { name in
            guard let s = f[name]?.scalarText, v.timestamp(name) != nil else { return false }
            return !TimestampParser.hasOffset(s)
        }
        let items = f.list("impacts") ?? []
        event.impacts.reserveCapacity(items.count)
        for item in items {
            if let impact = parseImpact(item, event: ref, reader) { event.impacts.append(impact) }
        }
        events.append(event)
    }

    /// One impact: exactly one target key, an optional level, and (in the top-level
    /// collection) the event it belongs to.
    private func parseImpact(_ node: DataNode, event: EventRef?, _ reader: RecordReader) -> Impact? {
        // Inside an event, the event is known.
        let table = event == nil ? tables.impact : tables.inlineImpact
        guard let (f, v) = reader.read(node, table) else { return nil }
        var owner = event
        if event == nil {
            switch (v.text("maintenance"), v.text("outage")) {
            case let (m?, nil): owner = EventRef(kind: .maintenance, id: m)
            case let (nil, o?): owner = EventRef(kind: .outage, id: o)
            case (nil, nil): sink.error(f.location, "impact must name its event with 'maintenance' or 'outage'")
            default: sink.error(f.location, "impact names both a maintenance and an outage; give one")
            }
        }
        let keys = Tables.targetKeys + ["object"]
        let present = keys.filter { f.has($0) }
        guard present.count == 1 else {
            if present.isEmpty {
                sink.error(f.location, "impact names no target; give one of \(keys.joined(separator: ", "))")
            } else {
                sink.error(f.location, "impact names several targets (\(present.joined(separator: ", "))); give exactly one")
            }
            return nil
        }
        var target: TargetRef?
        if present[0] == "object" {
            if case .record(let objectTable)? = table["object"]?.type, let (_, o) = reader.read(f["object"]!, objectTable),
               let t = o.text("type"), let id = o.text("id") {
                target = TargetRef(type: t, key: id)
            }
        } else if let k = v.text(present[0]) {
            target = TargetRef(type: present[0], key: k)
        }
        guard let owner, let target else { return nil }
        return Impact(event: owner, target: target, level: v.text("impact").flatMap(ImpactLevel.init(rawValue:)),
                      notify: v.bool("notify") ?? true, location: f.location)
    }

    private mutating func readTemplate(_ node: DataNode, _ reader: RecordReader) {
        let owner: (RecordValues) -> String = { "template '\($0.text("slug") ?? "")'" }
        guard let (f, read) = reader.read(node, tables.template, owner: owner, prefix: { $0.text("slug") ?? "" }),
              let slug = read.text("slug") else { return }
        var v = read
        var scopes: [Scope] = []
        if case .list(.record(let scopeTable))? = tables.template["scopes"]?.type, let items = f.list("scopes") {
            var scopeValues: [FieldValue] = []
            defer { v["scopes"] = .list(scopeValues) }
            for item in items {
                guard let (sf, s) = reader.read(item, scopeTable, what: "scope of template '\(slug)'"), let type = s.text("type") else { continue }
                scopeValues.append(.record(s))
                scopes.append(Scope(type: ScopeType(type), object: s.text("object"), eventType: s.text("event_type").flatMap(EventTypeFilter.init(rawValue:)),
                                    eventStatus: s.text("event_status").flatMap(EventStatus.init(rawValue:)),
                                    weight: s.int("weight") ?? 1000, location: sf.location))
            }
        }
        var headers: [(String, TemplateSource)] = []
        if case .mapping(let pairs)? = v["headers_template"] {
            for case let (name, .source(source)) in pairs { headers.append((name, source)) }
        }
        templates.append(MessageTemplate(
            values: v, slug: slug, name: v.text("name") ?? slug, description: v.text("description") ?? "",
            eventType: v.text("event_type").flatMap(EventTypeFilter.init(rawValue:)),
            granularity: v.text("granularity").flatMap(Granularity.init(rawValue:)),
            subject: v.source("subject_template"), body: v.source("body_template"),
            bodyFormat: v.text("body_format").flatMap(BodyFormat.init(rawValue:)),
            css: v.source("css_template"), headers: headers, includeICal: v.bool("include_ical") ?? false,
            ical: v.source("ical_template"), contactRoles: v.texts("contact_roles") ?? [],
            contactPriorities: (v.texts("contact_priorities") ?? []).compactMap(ContactPriority.init(rawValue:)),
            isBaseTemplate: v.bool("is_base_template") ?? false, extends: v.text("extends"), weight: v.int("weight") ?? 1000,
            scopes: scopes, location: f.location, fieldLocations: f.fieldLocations))
    }
}
