import Foundation

/// What loading a tree gives: the model and every problem found (errors and warnings).
public struct LoadResult: Sendable {
    public var model: Model
    public var diagnostics: [Diagnostic]
    public var hasErrors: Bool { diagnostics.hasErrors }
}

/// The collections a data file may hold (SPEC §1).
public enum Collection: String, CaseIterable, Sendable {
    case providers, tenants, contact_roles, circuits, devices, sites, virtual_machines,
         power_feeds, objects, contacts, contact_assignments, maintenances, outages,
         impacts, templates, messages
}

/// Inventory collections: key field and type name (SPEC §1.4).
struct InventoryKind {
    let collection: String
    let typeName: String
    let keyField: String

    static let all: [InventoryKind] = [
        InventoryKind(collection: "circuits", typeName: "circuit", keyField: "cid"),
        InventoryKind(collection: "devices", typeName: "device", keyField: "name"),
        InventoryKind(collection: "sites", typeName: "site", keyField: "slug"),
        InventoryKind(collection: "virtual_machines", typeName: "virtual_machine", keyField: "name"),
        InventoryKind(collection: "power_feeds", typeName: "power_feed", keyField: "name"),
        InventoryKind(collection: "objects", typeName: "object", keyField: "id"),
    ]
    static let builtinTypeNames = ["circuit", "device", "site", "virtual_machine", "power_feed"]
}

public enum Loader {
    /// Reads the whole tree at `root`. Never throws: problems are diagnostics.
    public static func load(root: URL) -> LoadResult {
        let sink = DiagnosticSink()
        var model = Model(root: root.standardizedFileURL)
        let settingsURL = root.appendingPathComponent("notices.yaml")
        if FileManager.default.fileExists(atPath: settingsURL.path) {
            model.settings = SettingsReader.read(url: settingsURL, root: model.root, sink: sink)
        }
        TemplateFolders.check(root: model.root, settings: model.settings, sink: sink)
        let zone = TimestampParser.zone(named: model.settings.timezone) ?? TimeZone(identifier: "UTC")!
        let files = InputTree.dataFiles(root: model.root, output: model.settings.output,
                                        only: model.settings.paths, sink: sink)
        model.files = files
        var reader = RecordDecoder(root: model.root, sink: sink, zone: zone)
        for file in files {
            switch SafeFile.read(model.root.appendingPathComponent(file).path) {
            case .success(let data): reader.readFile(data: data, file: file)
            case .failure(let why): sink.error(SourceLocation(file: file, line: 1, column: 1), "cannot read file: \(why)")
            }
        }
        reader.finish(into: &model)
        CrossReferences.check(&model, sink: sink)
        return LoadResult(model: model, diagnostics: sink.diagnostics.sortedByLocation())
    }

    /// Loads data files given in memory (for fuzzing and tests); `*_file` references
    /// are still resolved under `root`.
    public static func load(files: [(path: String, data: Data)], root: URL, settings: Settings = Settings()) -> LoadResult {
        let sink = DiagnosticSink()
        var model = Model(root: root)
        model.settings = settings
        let zone = TimestampParser.zone(named: settings.timezone) ?? TimeZone(identifier: "UTC")!
        var reader = RecordDecoder(root: root, sink: sink, zone: zone)
        let sorted = files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        for f in sorted { reader.readFile(data: f.data, file: f.path) }
        model.files = sorted.map(\.path)
        reader.finish(into: &model)
        CrossReferences.check(&model, sink: sink)
        return LoadResult(model: model, diagnostics: sink.diagnostics.sortedByLocation())
    }
}

/// Turns document nodes into records, collection by collection.
struct RecordDecoder {
    let root: URL
    let sink: DiagnosticSink
    let zone: TimeZone

    var providers: [Provider] = []
    var tenants: [Tenant] = []
    var roles: [ContactRole] = []
    var inventory: [InventoryObject] = []
    var contacts: [Contact] = []
    var assignments: [ContactAssignment] = []
    var events: [Event] = []
    var looseImpacts: [(Impact, SourceLocation)] = []
    var templates: [MessageTemplate] = []
    var messages: [StandaloneMessage] = []

    init(root: URL, sink: DiagnosticSink, zone: TimeZone) {
        self.root = root
        self.sink = sink
        self.zone = zone
    }

    mutating func readFile(data: Data, file: String) {
        guard let text = String(data: data, encoding: .utf8) else {
            sink.error(SourceLocation(file: file, line: 1, column: 1), "file is not valid UTF-8")
            return
        }
        let docs: [DataNode]
        if file.lowercased().hasSuffix(".json") {
            switch DocumentParser.parseJSON(text, file: file) {
            case .success(let d): docs = [d]
            case .failure(let diag): sink.diagnostics.append(diag); return
            }
        } else {
            switch DocumentParser.parseYAML(text, file: file) {
            case .success(let d): docs = d
            case .failure(let diag): sink.diagnostics.append(diag); return
            }
        }
        for doc in docs where !doc.isNull {
            guard case .mapping(let entries, _) = doc else {
                sink.error(doc.location, "a data file must be a mapping of collection names to lists, not \(doc.kindName)")
                continue
            }
            for (k, v) in entries {
                guard let name = k.scalarText else {
                    sink.error(k.location, "a collection name must be text, not \(k.kindName)")
                    continue
                }
                guard let collection = Collection(rawValue: name) else {
                    sink.error(k.location, "unknown collection '\(name)'\(didYouMean(name, in: Collection.allCases.map(\.rawValue)))")
                    continue
                }
                if v.isNull { continue }
                guard case .sequence(let records, _) = v else {
                    sink.error(v.location, "collection '\(name)' must be a list of records, not \(v.kindName)")
                    continue
                }
                for record in records { read(record, in: collection, file: file) }
            }
        }
    }

    private func fields(_ node: DataNode, _ what: String, _ allowed: [String]?) -> Fields? {
        Fields(node, what: what, allowed: allowed, sink: sink, timezone: zone)
    }

    private mutating func read(_ node: DataNode, in collection: Collection, file: String) {
        switch collection {
        case .providers:
            guard let f = fields(node, "provider", ["slug", "name", "description", "custom_fields"]),
                  let slug = f.key("slug") else { return }
            providers.append(Provider(slug: slug, name: f.text("name") ?? slug, description: f.text("description") ?? "",
                                      customFields: customFields(f), location: f.location))
        case .tenants:
            guard let f = fields(node, "tenant", ["slug", "name", "group", "description", "custom_fields"]),
                  let slug = f.key("slug", position: .afterDoubleDash) else { return }
            tenants.append(Tenant(slug: slug, name: f.text("name") ?? slug, group: f.text("group") ?? "",
                                  description: f.text("description") ?? "", customFields: customFields(f), location: f.location))
        case .contact_roles:
            guard let f = fields(node, "contact role", ["slug", "name"]),
                  let slug = f.key("slug") else { return }
            roles.append(ContactRole(slug: slug, name: f.text("name") ?? slug, location: f.location))
        case .circuits, .devices, .sites, .virtual_machines, .power_feeds, .objects:
            readInventory(node, collection: collection.rawValue)
        case .contacts:
            readContact(node)
        case .contact_assignments:
            guard let f = fields(node, "contact assignment", ["contact", "tenant", "role", "priority"]) else { return }
            readAssignment(f, contact: f.text("contact", required: true))
        case .maintenances, .outages:
            readEvent(node, kind: collection == .maintenances ? .maintenance : .outage)
        case .impacts:
            readImpact(node, event: nil)
        case .templates:
            readTemplate(node, file: file)
        case .messages:
            readMessage(node)
        }
    }

    private func customFields(_ f: Fields) -> DataValue {
        guard let node = f["custom_fields"] else { return .emptyMap }
        guard case .mapping = node else {
            sink.error(node.location, "field 'custom_fields' of \(f.what) must be a mapping, not \(node.kindName)")
            return .emptyMap
        }
        return coreValue(node, sink: sink)
    }

    private mutating func readInventory(_ node: DataNode, collection: String) {
        let kind = InventoryKind.all.first { $0.collection == collection }!
        let what = kind.typeName == "object" ? "object" : kind.typeName.replacingOccurrences(of: "_", with: " ")
        guard let f = fields(node, what, nil) else { return }
        let typeName: String
        if kind.collection == "objects" {
            guard let t = f.key("type") else { return }
            typeName = t
        } else {
            typeName = kind.typeName
        }
        guard let key = f.key(kind.keyField, position: .afterDash) else { return }
        var values: [(String, DataValue)] = []
        for (name, _, value) in f.pairs {
            values.append((name, [kind.keyField, "type", "tenant", "site", "provider", "name", "description"].contains(name)
                           ? (value.isNull ? .null : .string(value.scalarText ?? "")) : coreValue(value, sink: sink)))
        }
        let name = f.text("name")
        let display: String
        switch kind.collection {
        case "sites", "objects": display = (name?.isEmpty == false ? name! : key)
        default: display = key
        }
        inventory.append(InventoryObject(
            collection: collection, ref: TargetRef(type: typeName, key: key), fields: values,
            tenant: f.text("tenant"), site: f.text("site"), provider: f.text("provider"),
            display: display, location: f.location, fieldLocations: f.fieldLocations))
    }

    private mutating func readContact(_ node: DataNode) {
        guard let f = fields(node, "contact", ["id", "name", "email", "phone", "title", "description", "custom_fields", "assignments"]),
              let name = f.text("name", required: true) else { return }
        // Name and address go into the To header: one line, one address.
        if let problem = KeyRules.lineProblem(name) { sink.error(f.location(of: "name"), "field 'name' of contact \(problem)") }
        var email = f.text("email") ?? ""
        if !email.isEmpty, case .failure(let problem) = MailAddress.addrSpec(email) {
            sink.error(f.location(of: "email"), "field 'email' of contact: \(problem)")
            email = ""
        }
        let id = f.has("id") ? f.key("id") ?? "" : (email.isEmpty ? slugify(name) : email)
        contacts.append(Contact(id: id, name: name, email: email, phone: f.text("phone") ?? "",
                                title: f.text("title") ?? "", description: f.text("description") ?? "",
                                customFields: customFields(f), location: f.location))
        for item in f.list("assignments") ?? [] {
            guard let a = fields(item, "assignment of contact '\(id)'", ["tenant", "role", "priority"]) else { continue }
            readAssignment(a, contact: id)
        }
    }

    private mutating func readAssignment(_ f: Fields, contact: String?) {
        let tenant = f.text("tenant", required: true)
        let role = f.text("role")
        let priority = f.choice("priority", ContactPriority.allCases.map(\.rawValue)).flatMap(ContactPriority.init(rawValue:))
        guard let contact, let tenant else { return }
        assignments.append(ContactAssignment(contact: contact, tenant: tenant, role: role, priority: priority, location: f.location))
    }

    static let targetKeys = ["circuit", "device", "site", "virtual_machine", "power_feed", "object"]

    private mutating func readEvent(_ node: DataNode, kind: EventKind) {
        let common = ["id", "name", "summary", "provider", "start", "end", "status", "original_timezone", "internal_ticket",
                      "acknowledged", "comments", "impact", "impacts", "custom_fields"]
        let allowed = kind == .maintenance ? common + ["replaces"] : common + ["reported_at", "estimated_time_to_repair"]
        guard let f = fields(node, kind.rawValue, allowed), let id = f.key("id", position: .afterDash) else { return }
        let ref = EventRef(kind: kind, id: id)
        let statuses = kind == .maintenance ? maintenanceStatuses : outageStatuses
        let summary = f.text("summary", required: true) ?? ""
        let provider = f.text("provider", required: true) ?? ""
        let status = f.choice("status", statuses, required: true) ?? ""
        let start = f.timestamp("start", required: true)
        let end = f.timestamp("end", required: kind == .maintenance)
        if let start, let end, end < start {
            sink.error(f.location(of: "end"), "\(kind.rawValue) '\(id)' ends (\(end.rfc3339)) before it starts (\(start.rfc3339))")
        }
        if kind == .outage && status == "RESOLVED" && !f.has("end") {
            sink.error(f.location(of: "status"), "outage '\(id)' is RESOLVED but has no 'end'")
        }
        var tz = ""
        if let name = f.text("original_timezone"), !name.isEmpty {
            if TimestampParser.zone(named: name) == nil {
                sink.error(f.location(of: "original_timezone"), "unknown time zone '\(name)' (expected an IANA name such as Europe/Paris)")
            } else {
                tz = name
            }
        }
        var event = Event(
            kind: kind, id: id, name: f.text("name") ?? id, summary: summary, provider: provider,
            start: start, end: end, status: status, originalTimezone: tz,
            internalTicket: f.text("internal_ticket") ?? "", acknowledged: f.bool("acknowledged") ?? false,
            comments: f.text("comments") ?? "", impactText: f.text("impact") ?? "", replaces: f.text("replaces"),
            reportedAt: kind == .outage ? (f.timestamp("reported_at") ?? start) : nil,
            estimatedTimeToRepair: kind == .outage ? f.timestamp("estimated_time_to_repair") : nil,
            customFields: customFields(f), impacts: [], location: f.location, fieldLocations: f.fieldLocations)
        let items = f.list("impacts") ?? []
        event.impacts.reserveCapacity(items.count)
        for item in items {
            if let impact = parseImpact(item, event: ref) { event.impacts.append(impact) }
        }
        events.append(event)
    }

    private mutating func readImpact(_ node: DataNode, event: EventRef?) {
        if let impact = parseImpact(node, event: nil) { looseImpacts.append((impact, impact.location)) }
    }

    /// One impact: exactly one target key, an optional level, and (in the top-level
    /// collection) the event it belongs to.
    private func parseImpact(_ node: DataNode, event: EventRef?) -> Impact? {
        let allowed = Self.targetKeys + ["impact"] + (event == nil ? ["maintenance", "outage"] : [])
        guard let f = fields(node, "impact", allowed) else { return nil }
        var owner = event
        if event == nil {
            let m = f.text("maintenance"), o = f.text("outage")
            switch (m, o) {
            case let (m?, nil): owner = EventRef(kind: .maintenance, id: m)
            case let (nil, o?): owner = EventRef(kind: .outage, id: o)
            case (nil, nil): sink.error(f.location, "impact must name its event with 'maintenance' or 'outage'")
            default: sink.error(f.location, "impact names both a maintenance and an outage; give one")
            }
        }
        let present = Self.targetKeys.filter { f.has($0) }
        guard present.count == 1 else {
            if present.isEmpty {
                sink.error(f.location, "impact names no target; give one of \(Self.targetKeys.joined(separator: ", "))")
            } else {
                sink.error(f.location, "impact names several targets (\(present.joined(separator: ", "))); give exactly one")
            }
            return nil
        }
        let key = present[0]
        var target: TargetRef?
        if key == "object" {
            if let o = fields(f["object"]!, "impact object", ["type", "id"]),
               let t = o.text("type", required: true), let id = o.text("id", required: true) {
                target = TargetRef(type: t, key: id)
            }
        } else if let k = f.text(key) {
            target = TargetRef(type: key, key: k)
        }
        let level = f.choice("impact", ImpactLevel.allCases.map(\.rawValue)).flatMap(ImpactLevel.init(rawValue:))
        guard let owner, let target else { return nil }
        return Impact(event: owner, target: target, level: level, location: f.location)
    }

    private mutating func readTemplate(_ node: DataNode, file: String) {
        let sources = ["subject_template", "body_template", "css_template", "ical_template"]
        let allowed = ["slug", "name", "description", "event_type", "granularity", "body_format", "headers_template",
                       "include_ical", "contact_roles", "contact_priorities", "is_base_template", "extends", "weight", "scopes"]
            + sources + sources.map { $0 + "_file" }
        guard let f = fields(node, "template", allowed), let slug = f.key("slug") else { return }
        func source(_ field: String) -> TemplateSource? {
            let inline = f.text(field)
            guard let path = f.text(field + "_file") else {
                return inline.map { TemplateSource(text: $0, location: f.location(of: field), name: "\(slug).\(field)") }
            }
            if inline != nil {
                sink.error(f.location(of: field + "_file"), "template '\(slug)' gives both '\(field)' and '\(field)_file'; keep one")
            }
            switch InputTree.resolveReference(path, fromFile: file, root: root) {
            case .failure(let reason):
                sink.error(f.location(of: field + "_file"), reason.description)
                return nil
            case .success(let rel):
                let data: Data
                switch SafeFile.read(root.appendingPathComponent(rel).path) {
                case .success(let d): data = d
                case .failure(let why):
                    sink.error(f.location(of: field + "_file"), "template file '\(path)' \(why)")
                    return nil
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    sink.error(f.location(of: field + "_file"), "template file '\(path)' is not readable UTF-8 text")
                    return nil
                }
                return TemplateSource(text: text, location: SourceLocation(file: rel, line: 1, column: 1), name: rel)
            }
        }
        var headers: [(String, TemplateSource)] = []
        if let h = f["headers_template"] {
            if let hf = fields(h, "headers_template of template '\(slug)'", nil) {
                for (name, keyLocation, value) in hf.pairs {
                    if let refusal = HeaderPolicy.refusal(name) {
                        sink.error(keyLocation, "template '\(slug)' may not set header '\(name)': it \(refusal)")
                        continue
                    }
                    guard case .scalar(let s, _, _) = value else {
                        sink.error(value.location, "header '\(name)' of template '\(slug)' must be text, not \(value.kindName)")
                        continue
                    }
                    headers.append((name, TemplateSource(text: s, location: value.location, name: "\(slug).headers_template.\(name)")))
                }
            }
        }
        var scopes: [Scope] = []
        for item in f.list("scopes") ?? [] {
            guard let s = fields(item, "scope of template '\(slug)'", ["type", "object", "event_type", "event_status", "weight"]),
                  let type = s.text("type", required: true) else { continue }
            scopes.append(Scope(
                type: type, object: s.text("object"),
                eventType: s.choice("event_type", ["maintenance", "outage", "both"]),
                eventStatus: s.choice("event_status", maintenanceStatuses + outageStatuses),
                weight: s.int("weight") ?? 1000, location: s.location))
        }
        let priorities = (f.textList("contact_priorities") ?? []).compactMap { (p, loc) -> ContactPriority? in
            guard let v = ContactPriority(rawValue: p), v != .inactive else {
                sink.error(loc, "'\(p)' is not a valid contact priority; expected one of primary, secondary, tertiary")
                return nil
            }
            return v
        }
        templates.append(MessageTemplate(
            slug: slug, name: f.text("name") ?? slug, description: f.text("description") ?? "",
            eventType: f.choice("event_type", ["maintenance", "outage", "both", "none"], required: true) ?? "",
            granularity: f.choice("granularity", Granularity.allCases.map(\.rawValue)).flatMap(Granularity.init(rawValue:)),
            subject: source("subject_template"), body: source("body_template"),
            bodyFormat: f.choice("body_format", BodyFormat.allCases.map(\.rawValue)).flatMap(BodyFormat.init(rawValue:)),
            css: source("css_template"), headers: headers, includeICal: f.bool("include_ical") ?? false,
            ical: source("ical_template"), contactRoles: (f.textList("contact_roles") ?? []).map(\.0),
            contactPriorities: priorities, isBaseTemplate: f.bool("is_base_template") ?? false,
            extends: f.text("extends"), weight: f.int("weight") ?? 1000, scopes: scopes,
            location: f.location, fieldLocations: f.fieldLocations))
    }

    private mutating func readMessage(_ node: DataNode) {
        guard let f = fields(node, "message", ["id", "template", "contacts", "tenant", "vars"]),
              let id = f.key("id", position: .afterDash) else { return }
        let template = f.text("template", required: true) ?? ""
        let contacts = f.textList("contacts", required: true) ?? []
        messages.append(StandaloneMessage(id: id, template: template, contacts: contacts.map(\.0), tenant: f.text("tenant"),
                                          vars: f.mapData("vars"), location: f.location, fieldLocations: f.fieldLocations))
    }

    /// Attaches top-level impacts to their events and moves everything into the model.
    func finish(into model: inout Model) {
        var events = self.events
        var byRef: [EventRef: Int] = [:]
        for (i, e) in events.enumerated() where byRef[e.ref] == nil { byRef[e.ref] = i }
        for (impact, loc) in looseImpacts {
            if let i = byRef[impact.event] {
                events[i].impacts.append(impact)
            } else {
                let known = events.filter { $0.kind == impact.event.kind }.map(\.id)
                sink.error(loc, "unknown \(impact.event.kind.rawValue) '\(impact.event.id)'\(didYouMean(impact.event.id, in: known))")
            }
        }
        model.providers = providers
        model.tenants = tenants
        model.contactRoles = roles
        model.inventory = inventory
        model.contacts = contacts
        model.assignments = assignments
        model.events = events
        model.templates = templates
        model.messages = messages
    }
}
