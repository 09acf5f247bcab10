import Foundation
import Testing
import TestSupport

/// The starter library in templates/ renders as shipped.
@Suite struct StarterTemplateTests {
    @Test func startersRenderAValidTree() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("starters-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("templates"), to: root.appendingPathComponent("templates"))
        try Data("""
        providers: [{slug: zayo, name: Zayo}]
        tenants:
          - {slug: acme, name: ACME, custom_fields: {timezone: Europe/Paris}}
        contacts:
          - {name: Ann, email: ann@acme.example, assignments: [{tenant: acme, priority: primary}]}
        circuits: [{cid: C1, provider: zayo, tenant: acme}]
        maintenances:
          - {id: m1, name: ZX-1, summary: "Splice, then test", provider: zayo, status: CONFIRMED,
             start: 2026-07-01T22:00:00Z, end: 2026-07-02T02:00:00Z, impacts: [{circuit: C1, impact: OUTAGE}]}
        outages:
          - {id: o1, summary: Cut, provider: zayo, status: RESOLVED, start: 2026-07-01T10:00:00Z, end: 2026-07-01T12:00:00Z,
             impacts: [{circuit: C1}], silence: [future-outage]}
        messages:
          - {id: hello, template: announcement, contacts: [ann@acme.example], vars: {title: Hello, text: New NOC number.}}
        """.utf8).write(to: root.appendingPathComponent("data.yaml"))
        // `notices init` turns strict_undefined on: the starters never touch an undefined value.
        try Data("strict_undefined: true\n".utf8).write(to: root.appendingPathComponent("notices.yaml"))
        let r = try CLI.run(["render", root.path, "--now", "2026-06-30T12:00:00Z"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        #expect(r.stdout == "3 new, 0 updated, 0 unchanged, 0 revisions, 0 removed, 0 orphaned, 0 warnings\n")
        func read(_ p: String) -> String {
            String(decoding: FileManager.default.contents(atPath: root.appendingPathComponent("out/messages/\(p)").path) ?? Data(), as: UTF8.self)
        }
        #expect(read("maintenance-m1--acme/subject") == "Planned: Zayo maintenance ZX-1 on 02 Jul 2026 (ACME)")
        #expect(read("maintenance-m1--acme/body.txt").contains("| **Window** | Thu 02 Jul 2026, 00:00–04:00 CEST (01 Jul 22:00 – 02 Jul 02:00 UTC) |\n"))
        #expect(read("maintenance-m1--acme/invite.ics").contains("SUMMARY:Zayo maintenance ZX-1\r\nDESCRIPTION:Splice\\, then test\r\n"))
        // No organization in the settings: a neutral sign-off and an organizer that says what to set.
        #expect(read("maintenance-m1--acme/invite.ics").replacingOccurrences(of: "\r\n ", with: "").contains("ORGANIZER;CN=\"Network operations\":mailto:organization-email-not-set@notices.invalid\r\nATTENDEE;CN=\"Ann\";RSVP=FALSE:mailto:ann@acme.example\r\n"))
        #expect(read("maintenance-m1--acme/invite.ics").contains("UID:maintenance-m1-acme@notices.invalid\r\n"))
        #expect(read("outage-o1--acme/subject") == "Resolved: Zayo o1 (ACME)")
        #expect(read("outage-o1--acme/headers.json") == "{\n  \"X-Notices-Outage-State\": \"resolved\"\n}\n")
        #expect(read("message-hello/body.txt") == "# Hello\n\nNew NOC number.\n\nKind regards,\nNetwork operations")
        for (path, text) in try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("out/messages").path).map({ ($0, read($0)) }) {
            #expect(!text.contains("example.net") && !text.contains("Example Networks"), "\(path) names someone else")
        }
    }

    /// The carrier example uses the starter library as shipped: its templates/ folder is
    /// a byte-for-byte copy, and everything carrier-specific lives outside it.
    @Test func carrierTemplatesAreTheStartersUnchanged() throws {
        let fm = FileManager.default
        let starters = CLI.repoRoot.appendingPathComponent("templates")
        let copy = CLI.repoRoot.appendingPathComponent("examples/carrier/templates")
        let names = try fm.contentsOfDirectory(atPath: starters.path).sorted()
        #expect(try fm.contentsOfDirectory(atPath: copy.path).sorted() == names)
        for name in names {
            #expect(fm.contents(atPath: copy.appendingPathComponent(name).path) == fm.contents(atPath: starters.appendingPathComponent(name).path),
                    "examples/carrier/templates/\(name) differs from templates/\(name): cp templates/* examples/carrier/templates/")
        }
    }

    /// The documented way to give a provider one message per circuit: a named provider
    /// scope with a high weight on maintenance-per-impact.
    @Test func perImpactStarterServesAProviderThatAsksForIt() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("starters-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("templates"), to: root.appendingPathComponent("templates"))
        let starter = root.appendingPathComponent("templates/starter.yaml")
        let text = String(decoding: try Data(contentsOf: starter), as: UTF8.self)
        let wildcard = "granularity: per_impact\n    weight: 0\n    scopes:\n      - {type: provider, weight: 0}\n"
        #expect(text.contains(wildcard))
        try Data(text.replacingOccurrences(of: wildcard, with: "granularity: per_impact\n    weight: 0\n    scopes:\n      - {type: provider, object: zayo, weight: 2000}\n").utf8).write(to: starter)
        try Data("""
        providers: [{slug: zayo, name: Zayo}, {slug: lumen, name: Lumen}]
        tenants: [{slug: acme, name: ACME}]
        contacts:
          - {name: Ann, email: ann@acme.example, assignments: [{tenant: acme, priority: primary}]}
        circuits:
          - {cid: Z1, provider: zayo, tenant: acme, description: 10G wave}
          - {cid: Z2, provider: zayo, tenant: acme}
          - {cid: L1, provider: lumen, tenant: acme}
        maintenances:
          - {id: z, name: ZX-1, summary: Splice, provider: zayo, status: CONFIRMED,
             start: 2026-07-01T22:00:00Z, end: 2026-07-02T02:00:00Z,
             impacts: [{circuit: Z1, impact: OUTAGE}, {circuit: Z2, impact: DEGRADED}]}
          - {id: l, name: LX-1, summary: Upgrade, provider: lumen, status: CONFIRMED,
             start: 2026-07-01T22:00:00Z, end: 2026-07-02T02:00:00Z, impacts: [{circuit: L1, impact: OUTAGE}]}
        """.utf8).write(to: root.appendingPathComponent("data.yaml"))
        // `notices init` turns strict_undefined on: the starters never touch an undefined value.
        try Data("strict_undefined: true\n".utf8).write(to: root.appendingPathComponent("notices.yaml"))
        let r = try CLI.run(["render", root.path, "--now", "2026-06-30T12:00:00Z"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let messages = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("out/messages").path).sorted()
        #expect(messages == ["maintenance-l--acme", "maintenance-z--circuit-z1", "maintenance-z--circuit-z2"])
        func read(_ p: String) -> String {
            String(decoding: FileManager.default.contents(atPath: root.appendingPathComponent("out/messages/\(p)").path) ?? Data(), as: UTF8.self)
        }
        #expect(read("maintenance-z--circuit-z1/subject") == "Planned: Zayo maintenance ZX-1: Z1 on 01 Jul 2026 (ACME)")
        #expect(read("maintenance-z--circuit-z1/body.txt").hasPrefix("Planned: Z1 (10G wave)\nis concerned by maintenance ZX-1 of Zayo.\n\n| | |\n|---|---|\n| **Impact** | OUTAGE |\n"))
        #expect(read("maintenance-z--circuit-z1/invite.ics").contains("UID:maintenance-z-acme-circuit-Z1@notices.invalid\r\n"))
        #expect(read("maintenance-z--circuit-z2/invite.ics").contains("X-MAINTNOTE-OBJECT-ID;X-MAINTNOTE-OBJECT-IMPACT=DEGRADED:Z2\r\n"))
        #expect(!read("maintenance-z--circuit-z2/invite.ics").contains(":Z1\r\n"))
        #expect(read("maintenance-l--acme/subject") == "Planned: Lumen maintenance LX-1 on 01 Jul 2026 (ACME)")
    }
}
