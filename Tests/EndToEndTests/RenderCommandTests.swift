import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct RenderCommandTests {
    /// Every example's committed `out/` is what a render produces today.
    @Test(arguments: ["examples/carrier", "examples/netbox-notices-compat"])
    func committedExampleOutputIsCurrent(example: String) throws {
        let r = try CLI.run(["check", example])
        #expect(r.status == 0, Comment(rawValue: r.stdout + r.stderr))
        #expect(r.stdout == "up to date\n")
    }

    @Test func editingAnEventMakesCheckFailNamingTheFiles() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("examples/carrier/out"), to: tree.root.appendingPathComponent("out"))
        try tree.edit("events/outages.yaml", "splicing crew on site.", "splicing crew on site, ETA moved.")
        let r = try CLI.run(["check", tree.root.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("stale: messages/outage-lumen-inc-5521--acme/body.txt\n"))
        #expect(r.stdout.contains("stale: manifest.json\n"))
        #expect(!r.stdout.contains("maintenance-"))
        #expect(r.stderr == "output is stale: run `notices render` and commit the result\n")
        let d = try CLI.run(["check", tree.root.path, "--diff"])
        #expect(d.stdout.contains("-Fibre cut on the Amsterdam metro ring; splicing crew on site.\n+Fibre cut on the Amsterdam metro ring; splicing crew on site, ETA moved.\n"))
    }

    @Test func secondRenderWritesNothing() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        let first = try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z"])
        #expect(first.status == 0)
        #expect(first.stdout == "21 new, 0 updated, 0 unchanged, 0 revisions, 0 removed, 0 orphaned, 1 warning\n")
        let before = try tree.snapshot()
        Thread.sleep(forTimeInterval: 0.05)
        let second = try CLI.run(["render", tree.root.path, "--now", "2026-11-30T00:00:00Z"])
        #expect(second.stdout == "0 new, 0 updated, 21 unchanged, 0 revisions, 0 removed, 0 orphaned, 1 warning\n")
        #expect(try tree.snapshot() == before)
    }

    @Test func approvedMessageGetsARevision() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z"]).status == 0)
        let id = "maintenance-zayo-2026-0142--acme"
        let approve = try CLI.run(["approve", id, "--root", tree.root.path, "--by", "tester"])
        #expect(approve.stdout == "\(id): ready\n", Comment(rawValue: approve.stderr))
        let firstFolder = try tree.snapshot().filter { $0.key.hasPrefix("messages/\(id)/") }
        try tree.edit("events/maintenances.yaml", "Expect two short interruptions within the window.", "Expect three short interruptions.")
        let r = try CLI.run(["render", tree.root.path, "--now", "2026-12-01T09:00:00Z"])
        #expect(r.stdout.hasPrefix("0 new, 2 updated, 18 unchanged, 1 revision, 0 removed"), Comment(rawValue: r.stdout + r.stderr))
        // The approved message is withdrawn in the same render: a mail tool never sends it.
        #expect(r.stderr.contains("withdrawn: \(id) (superseded by \(id)--2; it will not be sent)\n"), Comment(rawValue: r.stderr))
        #expect(tree.read("out/messages/\(id)--2/invite.ics").contains("SEQUENCE:1\r\n"))
        #expect(tree.read("out/messages/\(id)--2/invite.ics").contains("DTSTAMP:20261201T090000Z\r\n"))
        #expect(tree.read("out/messages/\(id)--2/body.txt").contains("| **Reference** | TTN-0004567890, notice 2 |\n"))
        #expect(tree.read("out/messages/\(id)--2/message.json").contains("\"sequence\": 2,"))
        #expect(try tree.snapshot().filter { $0.key.hasPrefix("messages/\(id)/") } == firstFolder)
        #expect(tree.read("out/manifest.json").contains("\"lineage\": \"\(id)\""))
    }

    @Test func approvedRecipientsAreFrozen() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z"]).status == 0)
        let id = "maintenance-zayo-2026-0142--acme"
        #expect(try CLI.run(["approve", id, "--root", tree.root.path, "--by", "t"]).status == 0)
        let frozen = tree.read("out/messages/\(id)/recipients.json")
        // A new NOC contact for ACME: drafts pick it up, the approved message does not.
        try tree.edit("org/contacts.yaml", "contacts:\n", "contacts:\n  - {name: New Person, email: new@acme.example, assignments: [{tenant: acme, role: noc, priority: primary}]}\n")
        let r = try CLI.run(["render", tree.root.path])
        #expect(r.stdout.hasPrefix("0 new, 3 updated, 18 unchanged, 0 revisions"), Comment(rawValue: r.stdout + r.stderr))
        #expect(tree.read("out/messages/\(id)/recipients.json") == frozen)
        #expect(tree.read("out/messages/maintenance-aero-2026-12b--acme/recipients.json").contains("new@acme.example"))
        #expect(tree.read("out/manifest.json").contains("\"contact_id\": \"alice.martin@acme.example\""))
    }

    @Test func outputDoesNotDependOnJobsOrFileOrder() throws {
        let a = try TreeCopy("examples/carrier")
        let b = try TreeCopy("examples/carrier")
        defer { a.remove(); b.remove() }
        // b holds the same records with the file order reversed: events first by name.
        try FileManager.default.moveItem(at: b.root.appendingPathComponent("events"), to: b.root.appendingPathComponent("0-events"))
        try FileManager.default.moveItem(at: b.root.appendingPathComponent("org"), to: b.root.appendingPathComponent("zz-org"))
        #expect(try CLI.run(["render", a.root.path, "--now", "2026-11-29T08:00:00Z", "--jobs", "1"]).status == 0)
        #expect(try CLI.run(["render", b.root.path, "--now", "2026-11-29T08:00:00Z", "--jobs", "2"]).status == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        // .render-state describes the input tree itself (its file names), not the output;
        // .fingerprints covers the places (file names) its cached warnings name; .local/
        // this machine's copy of OUT (inodes, times).
        p.arguments = ["-r", "-x", ".render-state", "-x", ".fingerprints", "-x", ".local", a.root.appendingPathComponent("out").path,
                       b.root.appendingPathComponent("out").path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    @Test func renderErrorsWriteNothing() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        try tree.edit("templates/outage.txt.j2", "{{ o.summary }}", "{{ o.summary|nosuchfilter }}")
        let r = try CLI.run(["render", tree.root.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("templates/outage.txt.j2:43:14: error: body_template of template 'outage-email'"), Comment(rawValue: r.stderr))
        #expect(r.stderr.contains("No filter named 'nosuchfilter'."))
        #expect(!FileManager.default.fileExists(atPath: tree.root.appendingPathComponent("out/manifest.json").path))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: tree.root.appendingPathComponent("out/messages").path)) ?? [] == [])
    }
}
