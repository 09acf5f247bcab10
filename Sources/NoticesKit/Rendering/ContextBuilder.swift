import Foundation
import Jinja

/// Template objects for the model (SPEC §2.6), shared read-only by every render.
/// Providers, tenants, inventory and contacts are few and used everywhere, so they are
/// built up front. Events and their impacts are as many as the tree is large, so they
/// are built when a message needs them and kept only in a bounded cache: plans come
/// event by event, and memory stays flat for any number of events.
package final class ModelObjects: @unchecked Sendable {
    let index: ModelIndex
    private(set) var providers: [String: Value] = [:]
    private(set) var tenants: [String: Value] = [:]
    private(set) var targets: [TargetRef: Value] = [:]
    private(set) var contacts: [String: Value] = [:]
    /// The `template` variable of each template (its exposed fields).
    private(set) var templates: [String: Value] = [:]
    private let eventCache = BoundedCache<EventRef, EventObjects>(limit: 1_024)
    /// Maintenance id → the maintenance whose `replaces` names it (the first in file order).
    private var replacedBy: [String: String] = [:]
    /// `settings` (SPEC §2.6), the same for every message.
    private(set) var settings: Value = .none

    /// An event's object and its impacts' objects, which point back at it.
    struct EventObjects {
        let event: Value
        let impacts: [Value]
    }

    package init(_ index: ModelIndex) {
        self.index = index
        let m = index.model
        // pk and id are the key; the other attributes come from each record's table.
        for p in m.providers where providers[p.slug] == nil {
            providers[p.slug] = .object(RecordObject(type: "Provider object", display: p.name,
                                                     fields: Self.keys(p.slug) + p.values.attributes(), identity: "provider:\(p.slug)"))
        }
        for t in m.tenants where tenants[t.slug] == nil {
            tenants[t.slug] = .object(RecordObject(type: "Tenant object", display: t.name,
                                                   fields: Self.keys(t.slug) + t.values.attributes(), identity: "tenant:\(t.slug)"))
        }
        // Sites first, so other objects can point at them.
        let inventory = m.inventory.filter { $0.ref.type == "site" } + m.inventory.filter { $0.ref.type != "site" }
        for o in inventory where targets[o.ref] == nil {
            var fields: [(String, Value)] = Self.keys(o.ref.key) + [("type", .string(o.ref.type))]
            // Every field as written (references resolved), then the table's defaults.
            let table = m.tables.inventory[o.collection]
            for (k, v) in o.fields where k != "id" && k != "type" {
                switch table?[k]?.exposure {
                case .reference?, .referenceIfGiven?:
                    if case .string(let key) = v { fields.append((k, resolve(k, key) ?? .none)) } else { fields.append((k, .none)) }
                default: fields.append((k, TemplateValues.value(v)))
                }
            }
            let given = Set(o.fields.map(\.0))
            for field in table?.fields ?? [] where !given.contains(field.name) {
                switch (field.exposure, field.defaultValue) {
                case (.reference, _): fields.append((field.name, .none))
                case (.attribute, .described): fields.append((field.name, .string(o.display)))
                case (.attribute, _): fields.append((field.name, RecordValues.templateValue(nil, field.type)))
                case (.referenceIfGiven, _), (.hidden, _), (.link, _): continue
                }
            }
            let typeName = o.ref.type.split(separator: "_").map { $0.capitalized }.joined()
            targets[o.ref] = .object(RecordObject(type: "\(typeName) object", display: o.display, fields: fields,
                                                  identity: "target:\(o.ref.type):\(o.ref.key)"))
        }
        for e in m.events where e.kind == .maintenance {
            if let r = e.replaces, replacedBy[r] == nil { replacedBy[r] = e.id }
        }
        settings = Self.settingsValue(m.settings)
        for t in m.templates where templates[t.slug] == nil {
            templates[t.slug] = .object(RecordObject(type: "MessageTemplate object", display: t.name, fields: t.values.attributes()))
        }
        for c in m.contacts where contacts[c.id] == nil {
            contacts[c.id] = .object(RecordObject(type: "Contact object", display: c.name,
                                                  fields: Self.keys(c.id) + c.values.attributes(), identity: "contact:\(c.id)"))
        }
    }

    /// `pk` and `id`: a record's key.
    static func keys(_ key: String) -> [(String, Value)] { [("pk", .string(key)), ("id", .string(key))] }

    /// The object a reference field names: a tenant, a site or a provider.
    private func resolve(_ field: String, _ key: String) -> Value? {
        switch field {
        case "tenant": return tenants[key]
        case "site": return targets[TargetRef(type: "site", key: key)]
        case "provider": return providers[key]
        default: return nil
        }
    }

    /// The objects of an event, built on first use.
    func eventObjects(_ ref: EventRef) -> EventObjects? {
        if let hit = eventCache[ref] { return hit }
        guard let event = index.events[ref] else { return nil }
        let built = build(event)
        eventCache.set(ref, built)
        return built
    }

    /// `replaces` and `replaced_by` of a maintenance, read when a template asks: they
    /// point both ways, and a chain of replacements may be long.
    private func links(_ e: Event) -> [String: @Sendable () -> Value] {
        func link(_ id: String?) -> @Sendable () -> Value {
            guard let id else { return { .none } }
            return { [weak self] in self?.eventObjects(EventRef(kind: .maintenance, id: id))?.event ?? .none }
        }
        return ["replaces": link(e.replaces), "replaced_by": link(replacedBy[e.id])]
    }

    private func build(_ e: Event) -> EventObjects {
        // `replaces` is linked, not an attribute (see links).
        let fields = Self.keys(e.id) + e.values.attributes(resolve: { field, key in self.resolve(field.name, key) }) + [
            ("event_type", .string(e.kind.rawValue)),
            ("get_absolute_url", .object(CallableText("/plugins/notices/\(e.kind.rawValue)s/\(e.id)/"))),
        ]
        let eventValue = Value.object(RecordObject(type: e.kind == .maintenance ? "Maintenance object" : "Outage object",
                                                   display: e.name, fields: fields, identity: "event:\(e.kind.rawValue):\(e.id)",
                                                   links: e.kind == .maintenance ? links(e) : [:]))
        let impacts = e.impacts.enumerated().map { n, impact -> Value in
            let target = targets[impact.target] ?? .string(impact.target.key)
            let targetText = (try? target.str()) ?? impact.target.key
            return .object(RecordObject(type: "Impact object", display: "\(e.name) - \(targetText)", fields: [
                ("target", target), ("impact", impact.level.map { .string($0.rawValue) } ?? .none),
                ("notify", .bool(impact.notify)), ("event", eventValue), (e.kind.rawValue, eventValue),
            ], identity: "impact:\(e.kind.rawValue):\(e.id):\(n)"))
        }
        return EventObjects(event: eventValue, impacts: impacts)
    }

    /// Read-only settings for templates: a plain mapping, every organization key present.
    static func settingsValue(_ s: Settings) -> Value {
        let o = s.organization
        let organization = Dict([("name", .string(o.name)), ("email", .string(o.email)), ("phone", .string(o.phone)),
                                 ("website", .string(o.website)), ("domain", .string(o.domain))])
        return .dict(Dict([("organization", .dict(organization)), ("vars", TemplateValues.value(.map(s.vars))),
                           ("netbox_url", .string(s.netboxURL)), ("timezone", .string(s.timezone))]))
    }

    /// The variables for one message (SPEC §2.6). `id` is the message's ID (its lineage
    /// when not given); `previous` the lineage's previous message, for revisions.
    package func context(for plan: MessagePlan, now: Timestamp, sequence: Int, netboxURL: String,
                        id: String? = nil, previous: PreviousMessage? = nil) -> [String: Value] {
        var ctx: [String: Value] = [:]
        ctx["settings"] = settings
        ctx["message_id"] = .string(MessageThread.messageID(id ?? plan.lineage, settings: index.model.settings))
        ctx["previous"] = previous?.value ?? Value.none
        let tenantValue = plan.tenant.flatMap { tenants[$0.slug] } ?? .none
        ctx["now"] = .object(DateTimeValue(now))
        ctx["netbox_url"] = .string(netboxURL)
        ctx["tenant"] = tenantValue
        ctx["contacts"] = .list(plan.recipients.compactMap { contacts[$0.contactID] })
        ctx["message_sequence"] = .int(sequence)
        ctx["template"] = templates[plan.merged.top.slug]  // always there: one per template
        switch plan.source {
        case .event(let e):
            let objects = eventObjects(e.ref)
            let all = objects?.impacts ?? []
            // The group's impacts, in event order.
            let wanted = Set(plan.impacts.map(\.target))
            let mine = zip(e.impacts, all).filter { wanted.contains($0.0.target) }
            ctx["impacts"] = .list(mine.map(\.1))
            if let tenant = plan.tenant {
                ctx["tenant_impacts"] = .list(mine.filter { index.tenantOf($0.0) == tenant.slug }.map(\.1))
            } else {
                ctx["tenant_impacts"] = ctx["impacts"]
            }
            let worst = plan.impacts.compactMap(\.level).max { $0.severity < $1.severity } ?? .noImpact
            ctx["highest_impact"] = .string(worst.rawValue)
            let ev = objects?.event ?? .none
            ctx[e.kind.rawValue] = ev
            ctx["event"] = ev
            ctx["event_type"] = .string(e.kind.rawValue)
            if plan.granularity == .perImpact, let first = mine.first {
                ctx["impact"] = first.1
                ctx["object"] = targets[first.0.target] ?? Value.none
            }
        case .standalone(let m):
            ctx["impacts"] = .list([])
            ctx["tenant_impacts"] = .list([])
            ctx["highest_impact"] = .string(ImpactLevel.noImpact.rawValue)
            ctx["event"] = Value.none
            ctx["event_type"] = .string("none")
            // vars cannot replace the variables above.
            for (k, v) in m.vars where ctx[k] == nil { ctx[k] = TemplateValues.value(v) }
        }
        return ctx
    }
}
