import Foundation
import Testing
import TestSupport
@testable import NoticesKit

@Suite struct PlannerTests {
    func plans(_ templates: String, event: String = "m1") throws -> ([MessagePlan], [Diagnostic]) {
        let (idx, diags) = try model(maintenanceC1C2 + "\n" + templates)
        #expect(diags.filter { $0.severity == .error }.isEmpty)
        let e = try #require(idx.model.events.first { $0.id == event })
        return Planner.planEvent(e, idx)
    }

    @Test func perTenantIsTheDefaultWithATenantlessGroup() throws {
        let (p, _) = try plans("templates: [{slug: t, event_type: both, subject_template: s, body_template: b}]")
        #expect(p.map(\.lineage) == ["maintenance-m1--acme", "maintenance-m1--globex", "maintenance-m1"])
        #expect(p.map { $0.impacts.map(\.target.key) } == [["C1", "C3"], ["C2"], ["C4"]])
        #expect(p[2].tenant == nil)
    }

    @Test func granularityComesFromTheEventLevelTopTemplate() throws {
        // The tenant-scoped per_impact template is not selected at event level.
        let (p, _) = try plans("""
        templates:
          - {slug: event, event_type: maintenance, granularity: per_event, subject_template: s, body_template: b}
          - {slug: tenant, event_type: maintenance, granularity: per_impact, weight: 5000, scopes: [{type: tenant}], subject_template: s, body_template: b}
        """)
        #expect(p.map(\.lineage) == ["maintenance-m1"])
        #expect(p[0].tenant == nil) // acme and globex: several tenants
        #expect(p[0].merged.top.slug == "event")
    }

    @Test func perEventWithOneTenantHasThatTenant() throws {
        let (idx, _) = try model("""
        maintenances:
          - {id: m2, summary: s, provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z,
             impacts: [{circuit: C1}, {circuit: C3}, {circuit: C4}]}
        templates: [{slug: t, event_type: maintenance, granularity: per_event, subject_template: s, body_template: b}]
        """)
        let (p, _) = Planner.planEvent(idx.model.events[0], idx)
        #expect(p.count == 1 && p[0].tenant?.slug == "acme")
    }

    @Test func perImpactGroups() throws {
        let (p, _) = try plans("templates: [{slug: t, event_type: both, granularity: per_impact, subject_template: s, body_template: b}]")
        #expect(p.map(\.lineage) == ["maintenance-m1--circuit-c1", "maintenance-m1--circuit-c2", "maintenance-m1--circuit-c3", "maintenance-m1--circuit-c4"])
        #expect(p.map { $0.tenant?.slug } == ["acme", "globex", "acme", nil])
    }

    @Test func groupsWithoutTemplateWarn() throws {
        let (p, d) = try plans("templates: [{slug: t, event_type: maintenance, scopes: [{type: tenant, object: acme}], subject_template: s, body_template: b}]")
        #expect(p.map(\.lineage) == ["maintenance-m1--acme"])
        #expect(d.map(\.message) == ["no template matches maintenance 'm1' (tenant 'globex'); no message", "no template matches maintenance 'm1'; no message"])
    }

    @Test func eventWithoutImpactsWarns() throws {
        let (idx, _) = try model("""
        maintenances: [{id: m9, summary: s, provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z}]
        templates: [{slug: t, event_type: maintenance, subject_template: s, body_template: b}]
        """)
        let (p, d) = Planner.planEvent(idx.model.events[0], idx)
        #expect(p.isEmpty)
        #expect(d.map(\.description) == ["data.yaml:1:16: warning: maintenance 'm9' has no impacts; no message"])
    }

    // MARK: Recipients

    let contacts = """
    contacts:
      - {name: Zed Primary, email: z@acme.test, assignments: [{tenant: acme, role: noc, priority: primary}]}
      - {name: Amy Secondary, email: amy@acme.test, assignments: [{tenant: acme, role: noc, priority: secondary}]}
      - {name: Bo Billing, email: bo@acme.test, assignments: [{tenant: acme, role: billing, priority: primary}]}
      - {name: Old, email: old@acme.test, assignments: [{tenant: acme, role: noc, priority: inactive}]}
      - {name: No Mail, assignments: [{tenant: acme, role: noc, priority: primary}]}
      - {name: Any, email: any@acme.test, assignments: [{tenant: acme}]}
      - name: Multi
        email: multi@test
        assignments: [{tenant: globex, role: noc, priority: tertiary}, {tenant: acme, role: noc, priority: secondary}]
    """

    func recipients(_ template: String) throws -> ([Recipient], [Diagnostic]) {
        let (idx, _) = try model(maintenanceC1C2 + "\n" + contacts + "\n" + template)
        let (p, d) = Planner.planEvent(idx.model.events.first { $0.id == "m1" }!, idx)
        return (p.first { $0.tenant?.slug == "acme" }?.recipients ?? [], d)
    }

    @Test func unfilteredOrderedByPriorityNameId() throws {
        let (r, d) = try recipients("templates: [{slug: t, event_type: both, subject_template: s, body_template: b}]")
        #expect(r.map(\.name) == ["Bo Billing", "Zed Primary", "Amy Secondary", "Multi", "Any"])
        #expect(r.first { $0.name == "Multi" }?.priority == "secondary")
        #expect(d.contains { $0.message == "contact 'no-mail' has no email; left out of the recipients for tenant 'acme'" })
    }

    @Test func filteredByRoleAndPriority() throws {
        let (r, _) = try recipients("templates: [{slug: t, event_type: both, subject_template: s, body_template: b, contact_roles: [noc], contact_priorities: [secondary]}]")
        #expect(r.map(\.email) == ["amy@acme.test", "multi@test"])
        #expect(r.map(\.role) == ["noc", "noc"])
    }

    @Test func perEventReachesEveryImpactedTenant() throws {
        let (idx, _) = try model(maintenanceC1C2 + "\n" + contacts + "\ntemplates: [{slug: t, event_type: both, granularity: per_event, subject_template: s, body_template: b, contact_roles: [noc]}]")
        let (p, _) = Planner.planEvent(idx.model.events.first { $0.id == "m1" }!, idx)
        // Multi is assigned to both tenants: the better priority (acme, secondary) wins.
        #expect(p[0].recipients.map { "\($0.contactID)/\($0.tenant ?? "")/\($0.priority ?? "")" } ==
                ["z@acme.test/acme/primary", "amy@acme.test/acme/secondary", "multi@test/acme/secondary"])
    }
}
