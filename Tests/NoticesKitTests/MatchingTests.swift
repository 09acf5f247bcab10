import Foundation
import Testing
import TestSupport
@testable import NoticesKit

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
        MatchContext(provider: "zayo", event: EventRef(kind: kind, id: "m1"), eventStatus: EventStatus(rawValue: status), tenant: tenant,
                     target: target, site: target == nil ? nil : "ams1")
    }

    func scope(_ type: String, _ object: String? = nil, eventType: String? = nil, status: String? = nil, weight: Int = 1000) -> Scope {
        Scope(type: ScopeType(type), object: object, eventType: eventType.flatMap(EventTypeFilter.init(rawValue:)),
              eventStatus: status.flatMap(EventStatus.init(rawValue:)), weight: weight,
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
