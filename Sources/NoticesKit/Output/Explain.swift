import Foundation

/// `notices explain`: why each message of an event looks the way it does.
package enum Explain {
    package static func report(_ index: ModelIndex, event id: String, tenant: String?) throws -> String {
        let matches = index.model.events.filter { $0.id == id || "\($0.kind.rawValue)-\($0.id)" == id }
        guard !matches.isEmpty else {
            let known = index.model.events.map(\.id) + index.model.messages.map(\.id)
            if let m = index.model.messages.first(where: { $0.id == id }) {
                let (plan, _) = Planner.planStandalone(m, index)
                return plan.map { describe($0, index) } ?? "message '\(id)': its template is missing or not event_type none\n"
            }
            throw DiagnosticsError([.error(nil, "no event or message '\(id)'\(didYouMean(id, in: known))")])
        }
        var out = ""
        for event in matches {
            let silenced = event.silencedImpacts.isEmpty ? "" : " (and \(event.silencedImpacts.count) with notify: false)"
            out += "\(event.kind.rawValue) \(event.id) (\(event.name)), provider \(event.provider), status \(event.status.rawValue), \(counted(event.impacts.count, "impact"))\(silenced)\n"
            if let why = Planner.silenced(event) {
                if tenant != nil {
                    throw DiagnosticsError([.error(nil, "\(event.kind.rawValue) '\(event.id)' makes no message: \(why)")])
                }
                out += "no message: \(why)\n"
                continue
            }
            let (granularity, leader) = Planner.granularity(event, index)
            if let top = leader {
                out += "granularity: \(granularity.rawValue) (template '\(top.template.slug)' leads at event level\(top.template.granularity == nil ? ", default" : ""))\n"
            } else {
                out += "granularity: per_tenant (no template selected at event level)\n"
            }
            let (shown, diags) = Planner.planEvent(event, index, onlyTenant: tenant)
            if let tenant, shown.isEmpty {
                let tenants = Planner.planEvent(event, index).0.compactMap { $0.tenant?.slug }
                throw DiagnosticsError([.error(nil, "\(event.kind.rawValue) '\(event.id)' has no message for tenant '\(tenant)'"
                    + (tenants.isEmpty ? "" : " (its tenants: \(tenants.joined(separator: ", ")))"))])
            }
            for d in diags { out += "  \(d.severity.rawValue): \(d.message)\n" }
            for plan in shown { out += "\n" + describe(plan, index) }
        }
        return out
    }

    static func describe(_ plan: MessagePlan, _ index: ModelIndex) -> String {
        var out = "message \(plan.lineage)\n"
        if let t = plan.tenant { out += "  tenant: \(t.slug) (\(t.name))\n" } else { out += "  tenant: none\n" }
        if !plan.impacts.isEmpty {
            out += "  impacts: " + plan.impacts.map { "\($0.target.type) \($0.target.key) \($0.level?.rawValue ?? "-")" }.joined(separator: ", ") + "\n"
        }
        out += "  selected templates (score = weight + matching scopes):\n"
        // Scores right-aligned so the slugs line up.
        let scoreWidth = plan.selections.map { String($0.score).count }.max() ?? 0
        for s in plan.selections {
            let scopes = s.matchedScopes.map { sc in
                "\(sc.type)\(sc.object.map { "=\($0)" } ?? "")\(sc.eventStatus.map { " status=\($0.rawValue)" } ?? "")\(sc.eventType.map { " type=\($0.rawValue)" } ?? "") +\(sc.weight)"
            }
            let why = s.template.scopes.isEmpty ? "global" : scopes.joined(separator: ", ")
            let score = String(s.score)
            out += "    " + String(repeating: " ", count: scoreWidth - score.count) + score + "  \(s.template.slug)  (weight \(s.template.weight); \(why))\n"
        }
        out += "  fields:\n"
        for (field, slug) in plan.merged.suppliedBy.sorted(by: { $0.key < $1.key }) {
            out += "    \(field): \(slug)\n"
        }
        if !plan.merged.contactRoles.isEmpty { out += "  contact roles: \(plan.merged.contactRoles.joined(separator: ", "))\n" }
        if !plan.merged.contactPriorities.isEmpty { out += "  contact priorities: \(plan.merged.contactPriorities.map(\.rawValue).joined(separator: ", "))\n" }
        if let none = Planner.noRecipientsWarning(plan, id: plan.lineage) { out += "  warning: \(none.message)\n" }
        out += "  recipients (\(plan.recipients.count)):\n"
        for r in plan.recipients {
            out += "    \(r.name) <\(r.email)> role=\(r.role ?? "-") priority=\(r.priority ?? "-") tenant=\(r.tenant ?? "-")\n"
        }
        return out
    }
}
