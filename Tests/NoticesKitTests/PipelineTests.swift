import Crypto
import Foundation
import Jinja
import Testing
@testable import NoticesKit

/// A model built from YAML text, for the matching, grouping and recipient rules.
func model(_ yaml: String, extra: [String: String] = [:]) throws -> (ModelIndex, [Diagnostic]) {
    var files = [
        "base.yaml": """
        providers: [{slug: zayo, name: Zayo}, {slug: lumen, name: Lumen}]
        tenants: [{slug: acme, name: ACME}, {slug: globex, name: Globex}, {slug: initech, name: Initech}]
        contact_roles: [{slug: noc}, {slug: billing}]
        sites: [{slug: ams1, name: Amsterdam}]
        circuits:
          - {cid: C1, provider: zayo, tenant: acme, site: ams1}
          - {cid: C2, provider: zayo, tenant: globex}
          - {cid: C3, provider: zayo, tenant: acme}
          - {cid: C4, provider: zayo}
        devices: [{name: d1, tenant: initech}]
        """,
        "data.yaml": yaml,
    ]
    for (k, v) in extra { files[k] = v }
    let tree = try TreeFixture(files)
    defer { tree.remove() }
    let loaded = tree.load()
    return (ModelIndex(loaded.model), loaded.diagnostics)
}

let maintenanceC1C2 = """
maintenances:
  - id: m1
    summary: Work
    provider: zayo
    status: CONFIRMED
    start: 2026-01-22T14:30:00Z
    end: 2026-01-22T18:00:00Z
    impacts:
      - {circuit: C1, impact: OUTAGE}
      - {circuit: C2, impact: DEGRADED}
      - {circuit: C3}
      - {circuit: C4, impact: NO-IMPACT}
outages:
  - {id: o1, summary: Cut, provider: lumen, status: REPORTED, start: 2026-01-22T10:00:00Z, impacts: [{circuit: C1}]}
"""

func slugs(_ s: [Selection]) -> [String] { s.map(\.template.slug) }

@Suite struct MatchingTests {
    @Test func candidatesFollowEventType() throws {
        let (idx, _) = try model("""
        templates:
          - {slug: m, event_type: maintenance}
          - {slug: o, event_type: outage}
          - {slug: b, event_type: both}
          - {slug: n, event_type: none}
          - {slug: base, event_type: both, is_base_template: true}
        """)
        let t = idx.model.templates
        #expect(Matching.candidates(t, for: .maintenance).map(\.slug) == ["m", "b"])
        #expect(Matching.candidates(t, for: .outage).map(\.slug) == ["o", "b"])
        #expect(Matching.candidates(t, for: nil).map(\.slug) == ["n"])
    }

    func ctx(tenant: String? = nil, target: TargetRef? = nil, status: String = "CONFIRMED", kind: EventKind = .maintenance) -> MatchContext {
        MatchContext(provider: "zayo", event: EventRef(kind: kind, id: "m1"), eventStatus: status, tenant: tenant,
                     target: target, site: target == nil ? nil : "ams1")
    }

    func scope(_ type: String, _ object: String? = nil, eventType: String? = nil, status: String? = nil, weight: Int = 1000) -> Scope {
        Scope(type: type, object: object, eventType: eventType, eventStatus: status, weight: weight,
              location: SourceLocation(file: "x", line: 1, column: 1))
    }

    @Test func specificObjectScope() {
        #expect(Matching.matches(scope("tenant", "acme"), ctx(tenant: "acme")))
        #expect(!Matching.matches(scope("tenant", "acme"), ctx(tenant: "globex")))
    }

    @Test func wildcardScopeMatchesAnyObjectOfItsType() {
        #expect(Matching.matches(scope("tenant"), ctx(tenant: "globex")))
        #expect(Matching.matches(scope("circuit"), ctx(target: TargetRef(type: "circuit", key: "C1"))))
        #expect(Matching.matches(scope("site", "ams1"), ctx(target: TargetRef(type: "circuit", key: "C1"))))
    }

    @Test func providerScope() {
        #expect(Matching.matches(scope("provider", "zayo"), ctx()))
        #expect(!Matching.matches(scope("provider", "lumen"), ctx()))
    }

    @Test func eventTypeAndStatusFilters() {
        #expect(Matching.matches(scope("provider", eventType: "maintenance"), ctx()))
        #expect(Matching.matches(scope("provider", eventType: "both"), ctx(kind: .outage)))
        #expect(!Matching.matches(scope("provider", eventType: "outage"), ctx()))
        #expect(Matching.matches(scope("provider", status: "CONFIRMED"), ctx()))
        #expect(!Matching.matches(scope("provider", status: "CANCELLED"), ctx()))
        #expect(Matching.matches(scope("maintenance", "m1"), ctx()))
        #expect(!Matching.matches(scope("outage"), ctx()))
    }

    @Test func scopeTypeAbsentFromContextDoesNotMatch() {
        #expect(!Matching.matches(scope("tenant"), ctx()))
        #expect(!Matching.matches(scope("device"), ctx(target: TargetRef(type: "circuit", key: "C1"))))
    }

    @Test func scoresOrderAndSelection() throws {
        let (idx, _) = try model("""
        templates:
          - {slug: global, event_type: maintenance}
          - {slug: unmatched, event_type: maintenance, scopes: [{type: provider, object: lumen}]}
          - slug: two-scopes
            event_type: maintenance
            weight: 500
            scopes: [{type: provider, weight: 300}, {type: tenant, object: acme, weight: 250}, {type: provider, object: lumen, weight: 999}]
          - {slug: a-tie, event_type: maintenance, weight: 1000}
        """)
        let sel = Matching.select(Matching.candidates(idx.model.templates, for: .maintenance), ctx(tenant: "acme"))
        #expect(slugs(sel) == ["two-scopes", "a-tie", "global"])
        #expect(sel.map(\.score) == [1050, 1000, 1000])
    }

    @Test func mergeRules() throws {
        let (idx, _) = try model("""
        templates:
          - slug: high
            event_type: maintenance
            weight: 3000
            subject_template: ""
            headers_template: {X-A: high}
            contact_roles: [noc]
          - slug: mid
            event_type: maintenance
            weight: 2000
            subject_template: mid subject
            body_template: "<p>mid</p>"
            body_format: html
            include_ical: true
            headers_template: {X-A: mid, X-B: mid}
            contact_priorities: [primary]
            extends: low
          - slug: low
            event_type: maintenance
            subject_template: low subject
            body_template: low body
            css_template: "p {}"
            ical_template: "BEGIN:VCALENDAR"
            contact_roles: [billing, noc]
            contact_priorities: [secondary, primary]
        """)
        let sel = Matching.select(Matching.candidates(idx.model.templates, for: .maintenance), ctx())
        let m = MergedTemplate(sel)
        #expect(m.top.slug == "high")
        #expect(m.subject?.text == "mid subject")
        #expect(m.body?.text == "<p>mid</p>")
        #expect(m.bodyFormat == .html)
        #expect(m.css?.text == "p {}")
        #expect(m.ical?.text == "BEGIN:VCALENDAR")
        #expect(m.extends == "low")
        #expect(m.headers.map { "\($0.0)=\($0.1.text)" } == ["X-A=high", "X-B=mid"])
        #expect(m.includeICal)
        #expect(m.contactRoles == ["noc", "billing"])
        #expect(m.contactPriorities == [.primary, .secondary])
        #expect(m.suppliedBy["subject_template"] == "mid" && m.suppliedBy["css_template"] == "low")
    }
}

@Suite struct GroupingTests {
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
}

@Suite struct RecipientTests {
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

@Suite struct ContextTests {
    @Test func everyVariable() throws {
        let (idx, _) = try model(maintenanceC1C2 + """

        templates: [{slug: t, name: The T, event_type: both, subject_template: s, body_template: b}]
        contacts: [{name: Ann, email: ann@acme.test, assignments: [{tenant: acme}]}]
        """, extra: ["notices.yaml": "netbox_url: https://nb.example\n"])
        let (plans, _) = Planner.planEvent(idx.model.events.first { $0.id == "m1" }!, idx)
        let acme = try #require(plans.first { $0.tenant?.slug == "acme" })
        let objects = ModelObjects(idx)
        let ctx = objects.context(for: acme, now: Timestamp(seconds: 1_768_000_000), sequence: 3, netboxURL: "https://nb.example")
        var env = Environment()
        NoticesFilters.install(into: &env)
        func r(_ s: String) throws -> String { try env.fromString(s).render(ctx) }
        #expect(try r("{{ now }}|{{ netbox_url }}|{{ tenant }}|{{ tenant.slug }}|{{ message_sequence }}") == "2026-01-09 23:06:40+00:00|https://nb.example|ACME|acme|3")
        #expect(try r("{{ impacts|map('string')|join(';') }}") == "m1 - C1;m1 - C3")
        #expect(try r("{{ tenant_impacts|length }} {{ highest_impact }} {{ contacts|join(',') }}") == "2 OUTAGE Ann")
        #expect(try r("{{ maintenance }} {{ event.id }} {{ event_type }} {{ maintenance.get_absolute_url }} {{ maintenance.get_absolute_url() }}") ==
                "m1 m1 maintenance /plugins/notices/maintenances/m1/ /plugins/notices/maintenances/m1/")
        #expect(try r("{{ maintenance.provider.name }} {{ maintenance.start }} {{ maintenance.start.strftime('%d.%m.%Y %H:%M') }} {{ maintenance.start|ical_datetime }}") ==
                "Zayo 2026-01-22 14:30:00+00:00 22.01.2026 14:30 20260122T143000Z")
        #expect(try r("{{ impacts[0].target.tenant.name }} {{ impacts[0].target.site }} {{ impacts[0].impact }} {{ impacts[1].impact }} {{ impacts[0].target.pk }}") == "ACME Amsterdam OUTAGE None C1")
        #expect(try r("{{ template.slug }} {{ template.name }} {{ maintenance.custom_fields }} {{ maintenance.replaces }}") == "t The T {} None")
        #expect(try r("{{ maintenance.start|localtime('Europe/Paris') }} {{ maintenance.start.year }} {{ maintenance.start < maintenance.end }}") == "2026-01-22 15:30:00+01:00 2026 True")
        #expect(try r("{{ impact is defined }} {{ object is defined }}") == "False False")
    }

    @Test func perImpactVariables() throws {
        let (idx, _) = try model(maintenanceC1C2 + "\ntemplates: [{slug: t, event_type: both, granularity: per_impact, subject_template: s, body_template: b}]")
        let (plans, _) = Planner.planEvent(idx.model.events.first { $0.id == "m1" }!, idx)
        let ctx = ModelObjects(idx).context(for: plans[1], now: Timestamp(seconds: 0), sequence: 1, netboxURL: "")
        #expect(try Environment().fromString("{{ impact }}|{{ object }}|{{ object.tenant }}|{{ highest_impact }}").render(ctx) == "m1 - C2|C2|Globex|DEGRADED")
    }

    @Test func replacesChainsAreObjects() throws {
        func m(_ id: String, replaces: String?) -> String {
            "  - {id: \(id), name: M-\(id), summary: s, provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z, impacts: [{circuit: C1}]\(replaces.map { ", replaces: \($0)" } ?? "")}\n"
        }
        // Listed newest first, so a replaced event is built after the one replacing it.
        let (idx, diags) = try model("maintenances:\n" + m("m3", replaces: "m2") + m("m2", replaces: "m1") + m("m1", replaces: nil)
                                     + "templates: [{slug: t, event_type: both, subject_template: s, body_template: b}]")
        #expect(diags.filter { $0.severity == .error }.isEmpty)
        let objects = ModelObjects(idx)
        for id in ["m1", "m3", "m2"] {
            let (plans, _) = Planner.planEvent(idx.events[EventRef(kind: .maintenance, id: id)]!, idx)
            let ctx = objects.context(for: plans[0], now: Timestamp(seconds: 0), sequence: 1, netboxURL: "")
            let text = try Environment().fromString("{{ maintenance }}<{{ maintenance.replaces }}<{{ maintenance.replaces.replaces }}|{{ impacts[0].maintenance is sameas maintenance }}").render(ctx)
            let expected = ["m1": "M-m1<None<|True", "m2": "M-m2<M-m1<None|True", "m3": "M-m3<M-m2<M-m1|True"][id]
            #expect(text == expected)
        }
    }

    @Test func standaloneMessageVariables() throws {
        let (idx, diags) = try model("""
            templates: [{slug: hello, event_type: none, subject_template: s, body_template: b}]
            contacts: [{name: Ann, email: ann@acme.test}]
            messages: [{id: hi, template: hello, contacts: [ann@acme.test], tenant: acme, vars: {event: 1, greeting: Hallo}}]
            """)
        #expect(diags.filter { $0.severity == .error }.isEmpty)
        let (plan, _) = Planner.planStandalone(idx.model.messages[0], idx)
        let ctx = ModelObjects(idx).context(for: try #require(plan), now: Timestamp(seconds: 0), sequence: 1, netboxURL: "")
        var env = Environment()
        env.strictUndefined = true
        #expect(try env.fromString("{{ event is none }} {{ event_type }} {{ greeting }} {{ tenant }} {{ impacts|length }} {{ highest_impact }} {{ contacts|join }}").render(ctx)
                == "True none Hallo ACME 0 NO-IMPACT Ann")
    }
}

@Suite struct BoundedCacheTests {
    @Test func forgetsEverythingWhenFullAndKeepsWorking() {
        let cache = BoundedCache<Int, String>(limit: 3)
        for i in 0..<3 { cache.set(i, "v\(i)") }
        #expect((0..<3).map { cache[$0] } == ["v0", "v1", "v2"])
        cache.set(3, "v3")
        #expect((0..<4).map { cache[$0] } == [nil, nil, nil, "v3"])
    }

    @Test func eventObjectsAreRebuiltAlikeAfterEviction() throws {
        var events = "maintenances:\n"
        for i in 0..<1_100 {
            events += "  - {id: m\(i), summary: s, provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z, impacts: [{circuit: C1}]}\n"
        }
        let (idx, _) = try model(events)
        let objects = ModelObjects(idx)
        let first = try #require(objects.eventObjects(EventRef(kind: .maintenance, id: "m0")))
        for i in 1..<1_100 { _ = objects.eventObjects(EventRef(kind: .maintenance, id: "m\(i)")) }
        let again = try #require(objects.eventObjects(EventRef(kind: .maintenance, id: "m0")))
        let cache = InputFingerprint.makeCache()
        func digest(_ v: Value) -> String {
            var h = SHA256()
            InputFingerprint.digest(v, &h, cache)
            return Hex.string(h.finalize())
        }
        guard case .object(let a) = first.event, case .object(let b) = again.event else { Issue.record("not objects"); return }
        #expect(a !== b, "m0 should have been evicted and rebuilt")
        #expect(digest(first.event) == digest(again.event))
        #expect(first.impacts.map(digest) == again.impacts.map(digest))
    }
}
