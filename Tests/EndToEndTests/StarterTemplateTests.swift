import Foundation
import Testing

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
             impacts: [{circuit: C1}]}
        messages:
          - {id: hello, template: announcement, contacts: [ann@acme.example], vars: {title: Hello, text: New NOC number.}}
        """.utf8).write(to: root.appendingPathComponent("data.yaml"))
        let r = try CLI.run(["render", root.path, "--now", "2026-06-30T12:00:00Z"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        #expect(r.stdout == "3 new, 0 updated, 0 unchanged, 0 revisions, 0 removed, 0 orphaned, 0 warnings\n")
        func read(_ p: String) -> String {
            String(decoding: FileManager.default.contents(atPath: root.appendingPathComponent("out/messages/\(p)").path) ?? Data(), as: UTF8.self)
        }
        #expect(read("maintenance-m1--acme/subject") == "[CONFIRMED] Zayo maintenance ZX-1 (ACME)")
        #expect(read("maintenance-m1--acme/body.txt").contains("| **Start** | 2026-07-01 22:00 | 2026-07-02 00:00 CEST |"))
        #expect(read("maintenance-m1--acme/invite.ics").contains("SUMMARY:Zayo maintenance ZX-1\r\nDESCRIPTION:Splice\\, then test\r\n"))
        #expect(read("outage-o1--acme/subject") == "[RESOLVED] Zayo o1")
        #expect(read("outage-o1--acme/headers.json") == "{\n  \"X-Notices-Outage-State\": \"resolved\"\n}\n")
        #expect(read("message-hello/body.txt") == "# Hello\n\nNew NOC number.\n\nExample Networks NOC")
    }
}
