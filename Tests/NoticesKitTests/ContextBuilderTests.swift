import Foundation
import Jinja
import Testing
import TestSupport
@testable import NoticesKit

@Suite struct ContextBuilderTests {
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
        // SPEC §1: every field the model defines is present; `notify` is always true
        // where a template can see it (silenced events and impacts are in no variable).
        #expect(try r("{{ maintenance.notify }} {{ impacts[0].notify }} {{ impacts|map(attribute='notify')|list }}") == "True True [True, True]")
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
