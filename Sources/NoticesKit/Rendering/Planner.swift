import Foundation

/// A recipient of a message (SPEC §2.5).
public struct Recipient: Sendable, Equatable, Hashable {
    public var contactID: String
    public var name: String
    public var email: String
    public var role: String?
    public var priority: String?
    public var tenant: String?

    var json: JSONValue {
        // In the order the file has them (sorted keys).
        .object([("contact_id", .string(contactID)), ("email", .string(email)), ("name", .string(name)),
                 ("priority", priority.map { .string($0) } ?? .null), ("role", role.map { .string($0) } ?? .null),
                 ("tenant", tenant.map { .string($0) } ?? .null)])
    }

    /// The bytes of a recipients.json holding `recipients`.
    package static func fileData(_ recipients: [Recipient]) -> Data {
        JSONValue.array(recipients.map(\.json)).fileData()
    }
}

/// One message to produce: which event or standalone message, the group, the merged
/// template and the recipients. Rendering turns a plan into files.
package struct MessagePlan: Sendable {
    package enum Source: Sendable {
        case event(Event)
        case standalone(StandaloneMessage)
    }
    package var lineage: String
    package var source: Source
    package var granularity: Granularity
    package var tenant: Tenant?
    package var impacts: [Impact]
    /// per_impact: the impacted object.
    package var target: TargetRef?
    package var selections: [Selection]
    package var merged: MergedTemplate
    package var recipients: [Recipient]
    /// The tenants whose contacts were asked (per_event: every impacted tenant).
    package var tenantsAsked: [String] = []

    package var event: Event? {
        if case .event(let e) = source { return e }
        return nil
    }
}

/// Indexes over the model for the planner and the context builder.
package struct ModelIndex: Sendable {
    package let model: Model
    package let providers: [String: Provider]
    package let tenants: [String: Tenant]
    package let objects: [TargetRef: InventoryObject]
    package let contacts: [String: Contact]
    package let templates: [String: MessageTemplate]
    package let events: [EventRef: Event]
    package let assignmentsByTenant: [String: [ContactAssignment]]

    package init(_ model: Model) {
        self.model = model
        providers = Dictionary(model.providers.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        tenants = Dictionary(model.tenants.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        objects = Dictionary(model.inventory.map { ($0.ref, $0) }, uniquingKeysWith: { a, _ in a })
        contacts = Dictionary(model.contacts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        templates = Dictionary(model.templates.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        events = Dictionary(model.events.map { ($0.ref, $0) }, uniquingKeysWith: { a, _ in a })
        assignmentsByTenant = Dictionary(grouping: model.assignments, by: \.tenant)
    }

    func tenantOf(_ impact: Impact) -> String? { objects[impact.target]?.tenant.flatMap { $0.isEmpty ? nil : $0 } }
}

package enum Planner {
    /// Every message the model asks for, in a stable order, with warnings and errors.
    package static func plan(_ index: ModelIndex) -> ([MessagePlan], [Diagnostic]) {
        var plans: [MessagePlan] = []
        let diags = forEachPlan(index) { plans.append($0) }
        return (plans, diags)
    }

    /// Plans unit by unit, handing each plan to `body` and keeping none: memory stays
    /// that of one event (validate --data-only on a large tree). Returns the warnings and
    /// errors, lineage clashes included.
    package static func forEachPlan(_ index: ModelIndex, _ body: (MessagePlan) -> Void) -> [Diagnostic] {
        var diags: [Diagnostic] = []
        var lineages = LineageCheck()
        for unit in units(index) {
            let (p, d) = plan(unit, index)
            diags += d
            for plan in p {
                if let clash = lineages.add(plan) { diags.append(clash) }
                body(plan)
            }
        }
        return diags
    }

    /// What produces messages, in plan order: events by kind and id, then standalone
    /// messages by id. `render` plans them a few at a time to keep memory bounded.
    enum Unit {
        case event(Event)
        case standalone(StandaloneMessage)
    }

    static func units(_ index: ModelIndex) -> [Unit] {
        index.model.events.sorted { $0.ref < $1.ref }.map { Unit.event($0) }
            + index.model.messages.sorted(by: { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }).map { Unit.standalone($0) }
    }

    static func plan(_ unit: Unit, _ index: ModelIndex) -> ([MessagePlan], [Diagnostic]) {
        switch unit {
        case .event(let e): return planEvent(e, index)
        case .standalone(let m):
            let (p, d) = planStandalone(m, index)
            return (p.map { [$0] } ?? [], d)
        }
    }

    /// The longest lineage: a folder name is at most 255 bytes, and revisions append
    /// `--N` while preview pages and temporary files add a few more characters.
    static let maxLineageLength = 200

    /// Two groups that would share a folder are an error; this remembers the lineages
    /// planned so far (with what made them, for the message).
    struct LineageCheck {
        private var seen: [String: String] = [:]

        mutating func add(_ p: MessagePlan) -> Diagnostic? {
            if p.lineage.utf8.count > maxLineageLength {
                return .error(location(of: p), "the message ID of \(describe(p)) would be \(p.lineage.utf8.count) bytes long "
                              + "('\(p.lineage.prefix(40))…'); IDs name folders and may be at most \(maxLineageLength) bytes "
                              + "(room left for '--N' revisions within the file-name limit of 255); shorten a key")
            }
            return add(p.lineage, describe(p), at: location(of: p))
        }

        /// A lineage by itself (a merge checks those of all its parts).
        mutating func add(_ lineage: String, _ source: String, at location: SourceLocation) -> Diagnostic? {
            if let other = seen[lineage] {
                return .error(location, "messages of \(other) and \(source) would both be '\(lineage)'; rename a key so their IDs differ")
            }
            seen[lineage] = source
            return nil
        }
    }

    static func location(of unit: Unit) -> SourceLocation {
        switch unit {
        case .event(let e): return e.location
        case .standalone(let m): return m.location
        }
    }

    static func location(of p: MessagePlan) -> SourceLocation {
        switch p.source {
        case .event(let e): return e.location
        case .standalone(let m): return m.location
        }
    }

    static func describe(_ p: MessagePlan) -> String {
        switch p.source {
        case .event(let e):
            var s = "\(e.kind.rawValue) '\(e.id)'"
            if let t = p.tenant { s += " for tenant '\(t.slug)'" }
            if let target = p.target { s += " for \(target)" }
            return s
        case .standalone(let m): return "message '\(m.id)'"
        }
    }

    static func matchContext(_ event: Event, tenant: String?, target: TargetRef?, _ index: ModelIndex) -> MatchContext {
        var site: String?
        if let target, let obj = index.objects[target] { site = obj.site }
        return MatchContext(provider: event.provider, event: event.ref, eventStatus: event.status, tenant: tenant,
                            target: target, site: site)
    }

    /// `onlyTenant`: plan only that tenant's group (`explain --tenant`), so warnings
    /// about the other groups stay out.
    static func planEvent(_ event: Event, _ index: ModelIndex, onlyTenant: String? = nil) -> ([MessagePlan], [Diagnostic]) {
        var diags: [Diagnostic] = []
        // Asked for in the data (notify: false): no message and nothing to warn about.
        if silenced(event) != nil { return ([], []) }
        guard !event.impacts.isEmpty else {
            return ([], [.warning(event.location, "\(event.kind.rawValue) '\(event.id)' has no impacts; no message")])
        }
        let candidates = Matching.candidates(index.model.templates, for: event.kind)
        let granularity = self.granularity(event, index).granularity

        // The groups: (tenant, impacts, target).
        var groups: [(tenant: String?, impacts: [Impact], target: TargetRef?)] = []
        switch granularity {
        case .perEvent:
            let tenants = orderedUnique(event.impacts.compactMap { index.tenantOf($0) })
            groups = [(tenants.count == 1 ? tenants[0] : nil, event.impacts, nil)]
        case .perTenant:
            var order: [String?] = []
            var byTenant: [String?: [Impact]] = [:]
            for impact in event.impacts {
                let t = index.tenantOf(impact)
                if byTenant[t] == nil { order.append(t) }
                byTenant[t, default: []].append(impact)
            }
            groups = order.map { ($0, byTenant[$0]!, nil) }
        case .perImpact:
            groups = event.impacts.map { (index.tenantOf($0), [$0], $0.target) }
        }

        var plans: [MessagePlan] = []
        for g in groups where onlyTenant == nil || g.tenant == onlyTenant {
            let selections = Matching.select(candidates, matchContext(event, tenant: g.tenant, target: g.target, index))
            guard !selections.isEmpty else {
                var what = "\(event.kind.rawValue) '\(event.id)'"
                if let t = g.tenant { what += " (tenant '\(t)')" }
                diags.append(.warning(event.location, "no template matches \(what); no message"))
                continue
            }
            let merged = MergedTemplate(selections)
            let tenant = g.tenant.flatMap { index.tenants[$0] }
            let groupTenants: [String] = granularity == .perEvent
                ? orderedUnique(g.impacts.compactMap { index.tenantOf($0) })
                : (g.tenant.map { [$0] } ?? [])
            let (recipients, rdiags) = recipientsFor(tenants: groupTenants, merged: merged, index: index, at: event.location)
            diags += rdiags
            plans.append(MessagePlan(
                lineage: lineage(event: event, granularity: granularity, tenant: g.tenant, target: g.target),
                source: .event(event), granularity: granularity, tenant: tenant, impacts: g.impacts, target: g.target,
                selections: selections, merged: merged, recipients: recipients, tenantsAsked: groupTenants))
        }
        return (plans, diags)
    }

    /// Why an event makes no message by the data's own choice (SPEC §1.6, §1.7), for
    /// `explain`; nil when it is to be notified.
    package static func silenced(_ event: Event) -> String? {
        if !event.notify { return "notify: false" }
        if event.impacts.isEmpty && !event.silencedImpacts.isEmpty {
            let n = event.silencedImpacts.count
            return n == 1 ? "its only impact has notify: false" : "all \(n) impacts have notify: false"
        }
        return nil
    }

    /// How an event's impacts are grouped (SPEC §2.3): the granularity of the template
    /// that leads at event level (no tenant yet), per_tenant when it gives none or
    /// nothing is selected there.
    static func granularity(_ event: Event, _ index: ModelIndex) -> (granularity: Granularity, leader: Selection?) {
        let candidates = Matching.candidates(index.model.templates, for: event.kind)
        let leader = Matching.select(candidates, matchContext(event, tenant: nil, target: nil, index)).first
        return (leader?.template.granularity ?? .perTenant, leader)
    }

    static func planStandalone(_ m: StandaloneMessage, _ index: ModelIndex) -> (MessagePlan?, [Diagnostic]) {
        guard let template = index.templates[m.template], template.eventType == EventTypeFilter.none else { return (nil, []) }
        let selection = Selection(template: template, score: template.weight, matchedScopes: [])
        let merged = MergedTemplate([selection])
        var diags: [Diagnostic] = []
        var recipients: [Recipient] = []
        var seen = Set<String>()
        for id in m.contacts where seen.insert(id).inserted {
            guard let c = index.contacts[id] else { continue }
            if c.email.isEmpty {
                diags.append(.warning(m.fieldLocations["contacts"] ?? m.location, "contact '\(c.id)' has no email; left out of message '\(m.id)'"))
                continue
            }
            recipients.append(Recipient(contactID: c.id, name: c.name, email: c.email, role: nil, priority: nil, tenant: m.tenant))
        }
        let plan = MessagePlan(lineage: sanitizeID("message-\(m.id)"), source: .standalone(m), granularity: .perEvent,
                               tenant: m.tenant.flatMap { index.tenants[$0] }, impacts: [], target: nil,
                               selections: [selection], merged: merged, recipients: recipients)
        return (plan, diags)
    }

    /// Contacts assigned to the tenants, filtered by the merged roles and priorities.
    static func recipientsFor(tenants: [String], merged: MergedTemplate, index: ModelIndex, at loc: SourceLocation) -> ([Recipient], [Diagnostic]) {
        var best: [String: ContactAssignment] = [:]
        func rank(_ a: ContactAssignment) -> (Int, String, String) {
            (a.priority?.rank ?? 3, a.tenant, a.role ?? "")
        }
        for tenant in tenants {
            for a in index.assignmentsByTenant[tenant] ?? [] {
                if a.priority == .inactive { continue }
                if !merged.contactRoles.isEmpty && !(a.role.map(merged.contactRoles.contains) ?? false) { continue }
                if !merged.contactPriorities.isEmpty && !(a.priority.map(merged.contactPriorities.contains) ?? false) { continue }
                if let cur = best[a.contact], !(rank(a) < rank(cur)) { continue }
                best[a.contact] = a
            }
        }
        var diags: [Diagnostic] = []
        var out: [(Int, String, String, Recipient)] = []
        for (id, a) in best {
            guard let c = index.contacts[id] else { continue }
            if c.email.isEmpty {
                diags.append(.warning(c.location, "contact '\(c.id)' has no email; left out of the recipients for tenant '\(a.tenant)'"))
                continue
            }
            out.append((a.priority?.rank ?? 3, c.name, c.id,
                        Recipient(contactID: c.id, name: c.name, email: c.email, role: a.role, priority: a.priority?.rawValue, tenant: a.tenant)))
        }
        out.sort { x, y in
            if x.0 != y.0 { return x.0 < y.0 }
            if x.1 != y.1 { return x.1.unicodeScalars.lexicographicallyPrecedes(y.1.unicodeScalars) }
            return x.2.unicodeScalars.lexicographicallyPrecedes(y.2.unicodeScalars)
        }
        return (out.map(\.3), diags.sorted { $0.message < $1.message })
    }

    /// The warning for a message that ends with no recipient (SPEC §2.5): it is rendered
    /// so reviewers see it, but cannot be approved. It names the message, the tenants
    /// whose contacts were asked and the roles and priorities the templates asked for,
    /// which is what a reviewer changes (an assignment, the template, or `notify: false`).
    package static func noRecipientsWarning(_ plan: MessagePlan, id: String) -> Diagnostic? {
        guard plan.recipients.isEmpty else { return nil }
        let what: String
        switch plan.source {
        case .standalone(let m):
            let tenant = m.tenant.map { "tenant '\($0)'" } ?? "no tenant"
            what = "\(tenant); none of its contacts (\(m.contacts.joined(separator: ", "))) has an email"
        case .event:
            let tenants = plan.tenantsAsked
            let tenant = tenants.isEmpty ? "no tenant"
                : (tenants.count == 1 ? "tenant " : "tenants ") + tenants.map { "'\($0)'" }.joined(separator: ", ")
            let roles = plan.merged.contactRoles.isEmpty ? "any role" : "roles " + plan.merged.contactRoles.joined(separator: ", ")
            let priorities = plan.merged.contactPriorities.isEmpty ? "any priority but inactive"
                : "priorities " + plan.merged.contactPriorities.map(\.rawValue).joined(separator: ", ")
            what = "\(tenant); \(roles); \(priorities)"
        }
        return .warning(location(of: plan), "message '\(id)' has no recipients (\(what)): it is rendered but cannot be approved; "
                        + "assign a contact, or set notify: false on the event or impacts")
    }

    /// `maintenance-EVENT`, `…--TENANT` or `…--TYPE-TARGET` (SPEC §3.1).
    static func lineage(event: Event, granularity: Granularity, tenant: String?, target: TargetRef?) -> String {
        var id = "\(event.kind.rawValue)-\(event.id)"
        switch granularity {
        case .perEvent: break
        case .perTenant: if let tenant { id += "--\(tenant)" }
        case .perImpact: if let target { id += "--\(target.type)-\(target.key)" }
        }
        return sanitizeID(id)
    }

    /// Lowercased; every code point outside [a-z0-9._-] becomes '-'.
    package static func sanitizeID(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.lowercased().unicodeScalars {
            if ("a"..."z").contains(u) || ("0"..."9").contains(u) || u == "." || u == "_" || u == "-" {
                out.append(u)
            } else {
                out.append("-")
            }
        }
        return String(out)
    }

    static func orderedUnique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
