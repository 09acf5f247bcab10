import Crypto
import Foundation
import Jinja
import Testing
import TestSupport
@testable import NoticesKit

/// The revision-2 template variables (SPEC §2.6): `settings`, `message_id`, `previous`
/// and `maintenance.replaced_by`, and the mail threading they go with (§3.1).
@Suite struct LifeContextTests {
    static let events = """
    maintenances:
      - {id: old, name: OLD-1, summary: First date, provider: zayo, status: RE-SCHEDULED,
         start: 2026-01-22T14:30:00Z, end: 2026-01-22T18:00:00Z, impacts: [{circuit: C1, impact: OUTAGE}]}
      - {id: new, name: NEW-1, summary: Second date, provider: zayo, status: CONFIRMED, replaces: old,
         start: 2026-01-29T14:30:00Z, end: 2026-01-29T18:00:00Z, impacts: [{circuit: C1, impact: OUTAGE}]}
      - {id: newer, name: NEW-2, summary: Third date, provider: zayo, status: TENTATIVE, replaces: old,
         start: 2026-02-05T14:30:00Z, end: 2026-02-05T18:00:00Z, impacts: [{circuit: C1, impact: OUTAGE}]}
    templates: [{slug: t, event_type: both, subject_template: s, body_template: b}]
    """

    func context(_ idx: ModelIndex, _ objects: ModelObjects, _ id: String, sequence: Int = 1, previous: PreviousMessage? = nil) throws -> [String: Value] {
        let (plans, _) = Planner.planEvent(try #require(idx.events[EventRef(kind: .maintenance, id: id)]), idx)
        return objects.context(for: plans[0], now: Timestamp(seconds: 0), sequence: sequence, netboxURL: "", id: plans[0].lineage, previous: previous)
    }

    func render(_ template: String, _ ctx: [String: Value], strict: Bool = true) throws -> String {
        var env = Environment()
        env.strictUndefined = strict
        NoticesFilters.install(into: &env)
        return try env.fromString(template).render(ctx)
    }

    @Test func settingsAreAReadOnlyMappingWithEveryOrganizationKey() throws {
        let (idx, diags) = try model(Self.events, extra: ["notices.yaml": """
            netbox_url: https://nb.example
            timezone: Europe/Paris
            organization: {name: Example Networks, email: noc@example.net}
            vars: {hotline: "+31 20 555 0100", regions: [eu, us]}
            """])
        #expect(!diags.hasErrors)
        let ctx = try context(idx, ModelObjects(idx), "new")
        #expect(try render("{{ settings.organization.name }}|{{ settings.organization.email }}|{{ settings.organization.phone }}|{{ settings.organization.website }}|{{ settings.organization.domain }}", ctx)
                == "Example Networks|noc@example.net|||example.net")
        #expect(try render("{{ settings.vars.hotline }} {{ settings.vars.regions|join('/') }} {{ settings.netbox_url }} {{ settings.timezone }}", ctx)
                == "+31 20 555 0100 eu/us https://nb.example Europe/Paris")
        #expect(try render("{{ settings.organization.keys()|list }}", ctx) == "['name', 'email', 'phone', 'website', 'domain']")
        let ids = try render("{{ message_id }} {{ previous is none }}", ctx)
        #expect(ids == "<maintenance-new--acme@example.net> True")
    }

    @Test func messageIDFallsBackToAReservedDomain() throws {
        let (idx, _) = try model(Self.events)
        let ctx = try context(idx, ModelObjects(idx), "new")
        #expect(try render("{{ message_id }}|{{ settings.organization.domain }}|{{ settings.vars }}", ctx) == "<maintenance-new--acme@notices.invalid>||{}")
    }

    @Test func replacedByIsTheFirstMaintenanceThatReplacesIt() throws {
        let (idx, diags) = try model(Self.events)
        #expect(!diags.hasErrors)
        let objects = ModelObjects(idx)
        let old = try context(idx, objects, "old")
        #expect(try render("{{ maintenance.replaced_by }} {{ maintenance.replaced_by.start }} {{ maintenance.replaces }}", old)
                == "NEW-1 2026-01-29 14:30:00+00:00 None")
        #expect(try render("{{ maintenance.replaced_by.replaces == maintenance }} {{ maintenance.replaced_by.replaces.replaced_by.name }}", old)
                == "True NEW-1")
        let newer = try context(idx, objects, "newer")
        #expect(try render("{{ maintenance.replaces }} {{ maintenance.replaced_by }}", newer) == "OLD-1 None")
    }

    /// Events that point at each other are digested without looping, and a digest does
    /// not depend on which message of the cycle was digested first.
    @Test func fingerprintsOfLinkedEventsAreFiniteAndOrderFree() throws {
        let (idx, _) = try model(Self.events)
        func digests(_ order: [String]) throws -> [String: String] {
            let objects = ModelObjects(idx)
            let cache = InputFingerprint.makeCache()
            var out: [String: String] = [:]
            for id in order {
                let ctx = try context(idx, objects, id)
                var h = SHA256()
                for key in ctx.keys.sorted() { h.add(key); InputFingerprint.digest(ctx[key]!, &h, cache) }
                out[id] = Hex.string(h.finalize())
            }
            return out
        }
        let forward = try digests(["old", "new", "newer"])
        #expect(try digests(["newer", "new", "old"]) == forward)
        #expect(Set(forward.values).count == 3)
        // The replacement's window is part of the replaced event's inputs.
        let (moved, _) = try model(Self.events.replacingOccurrences(of: "2026-01-29T14:30:00Z", with: "2026-01-30T14:30:00Z"))
        let objects = ModelObjects(moved)
        var h = SHA256()
        let ctx = try context(moved, objects, "old")
        for key in ctx.keys.sorted() { h.add(key); InputFingerprint.digest(ctx[key]!, &h, InputFingerprint.makeCache()) }
        #expect(Hex.string(h.finalize()) != forward["old"])
    }

    @Test func previousShowsTheEarlierMessageAndItsEvent() throws {
        let (idx, _) = try model(Self.events)
        var snapshot = EventSnapshot(idx.events[EventRef(kind: .maintenance, id: "new")]!)
        snapshot.status = "TENTATIVE"
        let previous = PreviousMessage(id: "maintenance-new--acme", sequence: 1, status: "sent", subject: "Planned: NEW-1",
                                       messageID: "<maintenance-new--acme@notices.invalid>", sentAt: Timestamp(seconds: 86_400),
                                       event: snapshot)
        let ctx = try context(idx, ModelObjects(idx), "new", sequence: 2, previous: previous)
        #expect(try render("{{ previous.id }}|{{ previous.sequence }}|{{ previous.status }}|{{ previous.subject }}|{{ previous.message_id }}|{{ previous.sent_at }}", ctx)
                == "maintenance-new--acme|1|sent|Planned: NEW-1|<maintenance-new--acme@notices.invalid>|1970-01-02 00:00:00+00:00")
        #expect(try render("{{ previous.event.status }} → {{ maintenance.status }}, {{ previous.event.start.strftime('%d %b') }}, {{ previous.event.start == maintenance.start }}", ctx)
                == "TENTATIVE → CONFIRMED, 29 Jan, True")
    }

    /// A revision's template sees the previous revision as it was approved, and its
    /// message.eml threads under the earlier ones.
    @Test func revisionsSeeThePreviousSnapshotAndThreadTheirMail() throws {
        let data = """
        providers: [{slug: zayo, name: Zayo}]
        tenants: [{slug: acme, name: ACME}]
        circuits: [{cid: C1, provider: zayo, tenant: acme}]
        contacts: [{name: Ann, email: ann@acme.example, assignments: [{tenant: acme}]}]
        maintenances:
          - {id: m1, name: M-1, summary: Splice, provider: zayo, status: TENTATIVE,
             start: 2026-03-01T01:00:00Z, end: 2026-03-01T05:00:00Z, impacts: [{circuit: C1, impact: OUTAGE}]}
        templates:
          - slug: t
            event_type: maintenance
            subject_template: "{{ 'Update' if previous else 'New' }}: {{ maintenance.name }} {{ maintenance.status }}"
            body_template: |
              {{ message_id }} {{ message_sequence }}
              {% if previous %}{{ previous.id }} {{ previous.status }} [{{ previous.subject }}] {{ previous.event.status }} {{ previous.event.start }} → {{ maintenance.start }}{% endif %}
        """
        let tree = try TreeFixture(["data.yaml": data, "notices.yaml": "organization: {email: noc@example.net}\neml: {from: noc@example.net}\n"])
        defer { tree.remove() }
        var options = RenderOptions()
        options.now = Timestamp(seconds: 1_780_000_000)
        _ = try Render.run(root: tree.root, options: options)
        let out = tree.root.appendingPathComponent("out")
        let id = "maintenance-m1--acme"
        func read(_ path: String) -> String {
            String(decoding: FileManager.default.contents(atPath: out.appendingPathComponent("messages/\(path)").path) ?? Data(), as: UTF8.self)
        }
        #expect(read("\(id)/body.txt") == "<\(id)@example.net> 1\n")
        #expect(!read("\(id)/message.eml").contains("In-Reply-To"))
        _ = try Lifecycle.run(.approve, .ids([id]), out: OutputFolder(out), at: nil, by: "t", message: nil)
        _ = try Lifecycle.run(.sent, .ids([id]), out: OutputFolder(out), at: nil, by: "t", message: nil)
        let data2 = data.replacingOccurrences(of: "TENTATIVE", with: "CONFIRMED").replacingOccurrences(of: "2026-03-01T", with: "2026-03-02T")
        try Data(data2.utf8).write(to: tree.root.appendingPathComponent("data.yaml"))
        var summary = try Render.run(root: tree.root, options: options)
        #expect(summary.revisions == 1)
        #expect(read("\(id)--2/subject") == "Update: M-1 CONFIRMED")
        #expect(read("\(id)--2/body.txt") == "<\(id)--2@example.net> 2\n\(id) sent [New: M-1 TENTATIVE] TENTATIVE 2026-03-01 01:00:00+00:00 → 2026-03-02 01:00:00+00:00")
        #expect(read("\(id)--2/message.eml").contains("\r\nMessage-ID: <\(id)--2@example.net>\r\nIn-Reply-To: <\(id)@example.net>\r\nReferences: <\(id)@example.net>\r\n"))
        #expect(read("\(id)--2/message.json").contains("\"event_snapshot\": {\n    \"end\": \"2026-03-02T05:00:00Z\",\n    \"name\": \"M-1\",\n    \"start\": \"2026-03-02T01:00:00Z\",\n    \"status\": \"CONFIRMED\",\n    \"summary\": \"Splice\"\n  },"))
        // A third revision refers to both earlier ones, oldest first.
        _ = try Lifecycle.run(.approve, .ids(["\(id)--2"]), out: OutputFolder(out), at: nil, by: "t", message: nil)
        try Data(data2.replacingOccurrences(of: "CONFIRMED", with: "CANCELLED").utf8).write(to: tree.root.appendingPathComponent("data.yaml"))
        summary = try Render.run(root: tree.root, options: options)
        #expect(summary.revisions == 1)
        #expect(read("\(id)--3/message.eml").contains("\r\nIn-Reply-To: <\(id)--2@example.net>\r\nReferences: <\(id)@example.net>\r\n <\(id)--2@example.net>\r\n"))
        // --2 was ready: the revision withdraws it, and its `previous` shows it so.
        #expect(read("\(id)--3/body.txt").hasSuffix("\(id)--2 withdrawn [Update: M-1 CONFIRMED] CONFIRMED 2026-03-02 01:00:00+00:00 → 2026-03-02 01:00:00+00:00"))
        // Rendering again changes nothing: the snapshot is read back the same.
        summary = try Render.run(root: tree.root, options: options)
        #expect(summary.new + summary.updated + summary.revisions == 0)
    }
}
