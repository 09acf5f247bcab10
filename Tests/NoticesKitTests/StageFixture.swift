import Foundation
import TestSupport
@testable import NoticesKit

/// A maintenance with two tenants (acme: C1, C3; globex: C2) and a tenant-less impact
/// (C4), one template, and ACME's contact: the plans the stage tests work on.
enum StageFixture {
    static let yaml = """
    maintenances:
      - {id: m1, summary: Work, provider: zayo, status: CONFIRMED, start: 2026-01-22T14:30:00Z, end: 2026-01-22T18:00:00Z,
         impacts: [{circuit: C1, impact: OUTAGE}, {circuit: C2}, {circuit: C4}]}
    templates:
      - {slug: t, event_type: maintenance, subject_template: "{{ maintenance.summary }} for {{ tenant.name or 'all' }}",
         body_template: "Dear {{ contacts|join(', ') or 'customer' }}: {{ maintenance.summary }}", body_format: text}
    contacts:
      - {name: Ann, email: ann@acme.test, assignments: [{tenant: acme}]}
    """

    static func index(_ yaml: String = yaml) -> ModelIndex { memoryModel(yaml).0 }

    /// The plans of m1, by lineage.
    static func plans(_ index: ModelIndex) -> [String: MessagePlan] {
        let (plans, _) = Planner.planEvent(index.model.events[0], index)
        return Dictionary(uniqueKeysWithValues: plans.map { ($0.lineage, $0) })
    }

    static let t0 = Timestamp(seconds: 1_768_000_000)
    static let t1 = Timestamp(seconds: 1_769_000_000)

    static func entry(_ id: String, lineage: String? = nil, sequence: Int = 1, status: MessageStatus = .draft,
                      hash: String = "h", recipients: [Recipient]? = nil) -> ManifestEntry {
        var e = ManifestEntry(id: id, lineage: lineage ?? id, sequence: sequence, status: status, template: "t", event: nil, tenant: nil,
                              target: nil, contentHash: hash, renderedAt: t0)
        e.recipients = recipients
        return e
    }
}
