import Foundation
import Testing
import TestSupport

/// `notices explain` shows groups, scores, field provenance and recipients.
@Suite struct ExplainCommandTests {
    @Test func showsWhyAMessageLooksTheWayItDoes() throws {
        let r = try CLI.run(["explain", "examples/carrier", "zayo-2026-0142", "--tenant", "zurich-re"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        #expect(r.stdout == """
        maintenance zayo-2026-0142 (TTN-0004567890), provider zayo, status CONFIRMED, 4 impacts (and 1 with notify: false)
        granularity: per_tenant (template 'maintenance-email' leads at event level)

        message maintenance-zayo-2026-0142--zurich-re
          tenant: zurich-re (Zürich Rückversicherung)
          impacts: circuit ZAYO-100235 OUTAGE
          selected templates (score = weight + matching scopes):
            1300  maintenance-zurich  (weight 1000; tenant=zurich-re +300)
            1000  maintenance-email  (weight 1000; global)
               0  carrier-maintenance  (weight 0; global)
               0  maintenance-html  (weight 0; tenant +0)
               0  maintenance-per-impact  (weight 0; provider +0)
          fields:
            body_format: maintenance-zurich
            body_template: maintenance-zurich
            css_template: maintenance-email
            extends: maintenance-zurich
            headers_template.Reply-To: carrier-maintenance
            headers_template.X-Notices-Event: carrier-maintenance
            headers_template.X-Priority: carrier-maintenance
            ical_template: maintenance-email
            include_ical: maintenance-email
            subject_template: maintenance-zurich
          contact roles: noc, technical
          contact priorities: primary, secondary
          recipients (1):
            Jürg Müller <netz@zurich-re.example> role=noc priority=primary tenant=zurich-re

        """)
    }

    /// A warning about one tenant's group shows with that group, not with another's.
    @Test func tenantWarningsShowOnlyForThatTenant() throws {
        let globex = try CLI.run(["explain", "examples/carrier", "zayo-2026-0142", "--tenant", "globex"])
        #expect(globex.status == 0, Comment(rawValue: globex.stderr))
        #expect(globex.stdout.contains("\n  warning: contact 'frank-ito' has no email; left out of the recipients for tenant 'globex'\n"))
        let all = try CLI.run(["explain", "examples/carrier", "zayo-2026-0142"])
        #expect(all.stdout.contains("\n  warning: contact 'frank-ito' has no email"))
        let acme = try CLI.run(["explain", "examples/carrier", "zayo-2026-0142", "--tenant", "acme"])
        #expect(acme.status == 0)
        #expect(!acme.stdout.contains("warning"), Comment(rawValue: acme.stdout))
    }

    @Test func unknownEventOrTenantIsAnError() throws {
        let event = try CLI.run(["explain", "examples/carrier", "zayo-2026-014"])
        #expect(event.status == 1)
        #expect(event.stderr.contains("no event or message 'zayo-2026-014'"), Comment(rawValue: event.stderr))
        let tenant = try CLI.run(["explain", "examples/carrier", "zayo-2026-0142", "--tenant", "hooli"])
        #expect(tenant.status == 1)
        #expect(tenant.stderr == "error: maintenance 'zayo-2026-0142' has no message for tenant 'hooli' (its tenants: acme, globex, zurich-re)\n")
        #expect(tenant.stdout == "")
    }
}
