import Foundation
import Testing
import TestSupport

/// The starter library over an event's whole life, read by real consumers
/// (Consumers/check_lifecycle.py: icalendar, circuit-maintenance-parser, an RFC 5546
/// check and Python's email): every maintenance and outage status, as a first notice
/// and as revision 2 of a notice that was approved and sent.
@Suite struct LifecycleConsumerTests {
    static let python = VenvPython.with("icalendar, circuit_maintenance_parser, yaml")
    static let maintenanceStatuses = ["TENTATIVE", "CONFIRMED", "IN-PROCESS", "COMPLETED", "CANCELLED", "RE-SCHEDULED", "UNKNOWN"]
    static let outageStatuses = ["REPORTED", "INVESTIGATING", "IDENTIFIED", "MONITORING", "RESOLVED"]

    /// A tree with the starters copied as a user would, one tenant in Paris with two
    /// contacts, and for each status an event first noticed in it (`m-…`, `o-…`) and one
    /// that reaches it in round 2 (`r-…` from TENTATIVE, `ro-…` from REPORTED).
    struct Tree {
        let root: URL

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("life-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("templates"), to: root.appendingPathComponent("templates"))
            try write("notices.yaml", """
                eml: {from: "ACME Transit NOC <noc@transit.example>"}
                organization: {name: ACME Transit NOC, email: noc@transit.example, phone: "+33 1 00 00 00 00"}
                strict_undefined: true
                # The first render runs before the outages start, to have every status.
                silence: [future-outage]
                """)
        }

        func write(_ path: String, _ text: String) throws {
            try Data(text.utf8).write(to: root.appendingPathComponent(path))
        }

        func read(_ path: String) -> String {
            String(decoding: FileManager.default.contents(atPath: root.appendingPathComponent("out/messages/\(path)").path) ?? Data(), as: UTF8.self)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }

        static func slug(_ s: String) -> String { s.lowercased() }

        static func data(round: Int) -> String {
            var text = """
            providers: [{slug: zayo, name: Zayo}]
            tenants: [{slug: acme, name: "ACME_Corp | Paris", custom_fields: {timezone: Europe/Paris}}]
            contacts:
              - {name: Ann Dupont, email: ann@acme.example, assignments: [{tenant: acme, priority: primary}]}
              - {name: "Bob \\"Ops\\" Martin", email: bob@acme.example, assignments: [{tenant: acme, priority: secondary}]}
            circuits:
              - {cid: "C1|A", provider: zayo, tenant: acme, description: "10G *wave*"}
              - {cid: C2, provider: zayo, tenant: acme}
            maintenances:

            """
            func maintenance(_ id: String, _ status: String, day: Int, extra: String = "") -> String {
                "  - {id: \(id), name: \"ZX_\(id)\", summary: \"Splice, then _test_\", provider: zayo, status: \(status), \(extra)"
                    + "start: 2026-07-\(day)T22:00:00Z, end: 2026-07-\(day + 1)T02:00:00Z, impacts: [{circuit: \"C1|A\", impact: OUTAGE}, {circuit: C2, impact: DEGRADED}]}\n"
            }
            for s in maintenanceStatuses {
                text += maintenance("m-\(slug(s))", s, day: 10)
                // Round 2 moves the window of the notices that stay planned.
                let moved = round == 2 && ["TENTATIVE", "CONFIRMED", "UNKNOWN"].contains(s)
                text += maintenance("r-\(slug(s))", round == 1 ? "TENTATIVE" : s, day: moved ? 12 : 10)
            }
            text += maintenance("m-new-date", "CONFIRMED", day: 20, extra: "replaces: m-re-scheduled, ")
            if round == 2 { text += maintenance("r-new-date", "CONFIRMED", day: 20, extra: "replaces: r-re-scheduled, ") }
            text += "outages:\n"
            func outage(_ id: String, _ status: String, summary: String = "Fibre cut") -> String {
                "  - {id: \(id), summary: \"\(summary)\", provider: zayo, status: \(status), start: 2026-07-01T08:00:00Z, "
                    + (status == "RESOLVED" ? "end: 2026-07-01T10:45:00Z, " : "estimated_time_to_repair: 2026-07-01T12:00:00Z, ")
                    + "impacts: [{circuit: \"C1|A\", impact: OUTAGE}]}\n"
            }
            for s in outageStatuses {
                text += outage("o-\(slug(s))", s)
                text += outage("ro-\(slug(s))", round == 1 ? "REPORTED" : s, summary: round == 2 && s == "REPORTED" ? "Fibre cut, crew on site" : "Fibre cut")
            }
            return text
        }
    }

    static func lifeTree() throws -> Tree {
        let tree = try Tree()
        try tree.write("data.yaml", Tree.data(round: 1))
        let first = try CLI.run(["render", tree.root.path, "--now", "2026-06-30T12:00:00Z"])
        #expect(first.status == 0, Comment(rawValue: first.stderr))
        #expect(first.stdout == "25 new, 0 updated, 0 unchanged, 0 revisions, 0 removed, 0 orphaned, 0 warnings\n", Comment(rawValue: first.stdout + first.stderr))
        #expect(try CLI.run(["approve", "--all", "--status", "draft", "--root", tree.root.path, "--by", "tester"]).status == 0)
        #expect(try CLI.run(["mark", "sent", "--all", "--status", "ready", "--root", tree.root.path]).status == 0)
        try tree.write("data.yaml", Tree.data(round: 2))
        let second = try CLI.run(["render", tree.root.path, "--now", "2026-07-01T09:00:00Z"])
        #expect(second.status == 0, Comment(rawValue: second.stderr))
        #expect(second.stdout == "1 new, 0 updated, 13 unchanged, 12 revisions, 0 removed, 0 orphaned, 0 warnings\n", Comment(rawValue: second.stdout + second.stderr))
        return tree
    }

    @Test(.enabled(if: python != nil, "needs .venv with icalendar, circuit-maintenance-parser, pyyaml (bash .ci/run makes it)"))
    func everyStatusFirstAndRevisedPassesRealConsumers() throws {
        let tree = try Self.lifeTree()
        defer { tree.remove() }
        let r = try VenvPython.run(Self.python!, script: "check_lifecycle.py", [tree.root.path])
        #expect(r.status == 0, Comment(rawValue: r.output))
        var seen: [String] = []
        for s in Self.maintenanceStatuses { seen += ["maintenance \(s) first", "maintenance \(s) revision"] }
        for s in Self.outageStatuses { seen += ["outage \(s) first", "outage \(s) revision"] }
        let line = r.output.split(separator: "\n").first { $0.hasPrefix("seen: ") }.map(String.init) ?? ""
        #expect(Set(line.dropFirst(6).components(separatedBy: ", ")) == Set(seen), Comment(rawValue: r.output))
        #expect(r.output.hasSuffix("checked 23 invites and 38 e-mails: 0 problems\n"), Comment(rawValue: r.output))
    }

    /// examples/carrier carries lumen-2026-77 through first notice, update and
    /// cancellation in its committed output (README, "Lifecycle"), and every committed
    /// message passes the same consumers.
    @Test(.enabled(if: python != nil, "needs .venv with icalendar, circuit-maintenance-parser, pyyaml (bash .ci/run makes it)"))
    func carrierCommittedOutputCarriesOneMaintenanceThroughItsLife() throws {
        let example = CLI.repoRoot.appendingPathComponent("examples/carrier")
        let r = try VenvPython.run(Self.python!, script: "check_lifecycle.py", [example.path])
        #expect(r.status == 0, Comment(rawValue: r.output))
        #expect(r.output.contains("maintenance CANCELLED revision, "), Comment(rawValue: r.output))
        #expect(r.output.contains("maintenance CONFIRMED revision, "), Comment(rawValue: r.output))
        #expect(r.output.hasSuffix("checked 18 invites and 24 e-mails: 0 problems\n"), Comment(rawValue: r.output))
        let list = try CLI.run(["list", "--root", example.path])
        #expect(list.stdout.contains("""
            maintenance-lumen-2026-77--initech\tsent\t1 recipient\tTentative: Lumen maintenance LUMEN-CHG-2026-77 on 15 Dec 2026 (Initech)\texamples/carrier/out/messages/maintenance-lumen-2026-77--initech
            maintenance-lumen-2026-77--initech--2\tsent\t1 recipient\tConfirmed: Lumen maintenance LUMEN-CHG-2026-77 on 17 Dec 2026 (Initech)\texamples/carrier/out/messages/maintenance-lumen-2026-77--initech--2
            maintenance-lumen-2026-77--initech--3\tdraft\t1 recipient\tCancelled: Lumen maintenance LUMEN-CHG-2026-77 of 17 Dec 2026 (Initech)\texamples/carrier/out/messages/maintenance-lumen-2026-77--initech--3

            """), Comment(rawValue: list.stdout))
        func read(_ id: String, _ file: String) -> String {
            String(decoding: FileManager.default.contents(atPath: example.appendingPathComponent("out/messages/\(id)/\(file)").path) ?? Data(), as: UTF8.self)
        }
        #expect(read("maintenance-lumen-2026-77--zurich-re--3", "subject") == "Abgesagt: Wartung LUMEN-CHG-2026-77 — Zürich Rückversicherung")
        #expect(read("maintenance-lumen-2026-77--initech--3", "message.eml").contains(
            "\r\nIn-Reply-To: <maintenance-lumen-2026-77--initech--2@example.net>\r\nReferences: <maintenance-lumen-2026-77--initech@example.net>\r\n <maintenance-lumen-2026-77--initech--2@example.net>\r\n"))
    }

    /// The checker can fail: the netbox-notices documentation invite (METHOD:REQUEST, no
    /// ATTENDEE, ORGANIZER not the organization's) does not pass it.
    @Test(.enabled(if: python != nil, "needs .venv with icalendar, circuit-maintenance-parser, pyyaml (bash .ci/run makes it)"))
    func theCheckerRejectsAnInviteWithoutAttendees() throws {
        let tree = try TreeCopy("examples/netbox-notices-compat")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "-q", "--now", "2026-01-20T09:15:30Z"]).status == 0)
        let r = try VenvPython.run(Self.python!, script: "check_lifecycle.py", [tree.root.path])
        #expect(r.status == 1)
        #expect(r.output.contains("maintenance-42--acme: METHOD:REQUEST without ATTENDEE\n"), Comment(rawValue: r.output))
        #expect(r.output.contains("maintenance-42--acme: ORGANIZER 'mailto:noc@yourcompany.com' is not the organization's e-mail\n"), Comment(rawValue: r.output))
    }

    /// What the customer reads: the subject says what the notice is, an update says
    /// what changed, a cancelled or completed maintenance claims no impact, data stays
    /// literal in Markdown, and times are the tenant's with UTC beside.
    @Test func subjectsAndBodiesFollowTheLife() throws {
        let tree = try Self.lifeTree()
        defer { tree.remove() }
        let subjects = [
            "maintenance-m-tentative--acme": "Tentative: Zayo maintenance ZX_m-tentative on 11 Jul 2026 (ACME_Corp | Paris)",
            "maintenance-m-confirmed--acme": "Planned: Zayo maintenance ZX_m-confirmed on 11 Jul 2026 (ACME_Corp | Paris)",
            "maintenance-r-tentative--acme--2": "Update: Zayo maintenance ZX_r-tentative on 13 Jul 2026 (ACME_Corp | Paris)",
            "maintenance-r-confirmed--acme--2": "Confirmed: Zayo maintenance ZX_r-confirmed on 13 Jul 2026 (ACME_Corp | Paris)",
            "maintenance-r-in-process--acme--2": "In progress: Zayo maintenance ZX_r-in-process (ACME_Corp | Paris)",
            "maintenance-r-completed--acme--2": "Completed: Zayo maintenance ZX_r-completed (ACME_Corp | Paris)",
            "maintenance-r-cancelled--acme--2": "Cancelled: Zayo maintenance ZX_r-cancelled of 11 Jul 2026 (ACME_Corp | Paris)",
            "maintenance-r-re-scheduled--acme--2": "Rescheduled: Zayo maintenance ZX_r-re-scheduled, moved to 21 Jul 2026 (ACME_Corp | Paris)",
            "maintenance-r-new-date--acme": "New date: Zayo maintenance ZX_r-new-date on 21 Jul 2026 (ACME_Corp | Paris)",
            "outage-o-reported--acme": "Incident: Zayo o-reported, reported (ACME_Corp | Paris)",
            "outage-ro-identified--acme--2": "Update: Zayo ro-identified, identified (ACME_Corp | Paris)",
            "outage-ro-resolved--acme--2": "Resolved: Zayo ro-resolved (ACME_Corp | Paris)",
        ]
        for (id, subject) in subjects { #expect(tree.read("\(id)/subject") == subject, "\(id)") }

        let update = tree.read("maintenance-r-confirmed--acme--2/body.txt")
        #expect(update.hasPrefix("# Confirmed: Zayo maintenance ZX_r-confirmed\n\nDear ACME_Corp \\| Paris team,\n\nZayo has confirmed maintenance ZX_r-confirmed, which affects 2 of your services.\n"))
        #expect(update.contains("""
            **Changed since our previous notice:**

            - Window: now Mon 13 Jul 2026, 00:00–04:00 CEST (12 Jul 22:00 – 13 Jul 02:00 UTC) (was Sat 11 Jul 2026, 00:00–04:00 CEST (10 Jul 22:00 – 11 Jul 02:00 UTC))
            - Status: now CONFIRMED (was TENTATIVE)

            """), Comment(rawValue: update))
        #expect(update.contains("| \\*\\*Expected impact\\*\\* |") == false)
        #expect(update.contains("| C1\\|A | 10G \\*wave\\* | OUTAGE |\n| C2 |  | DEGRADED |\n"), Comment(rawValue: update))
        #expect(update.contains("Splice, then \\_test\\_\n\nKind regards,\nACME Transit NOC\n+33 1 00 00 00 00\nnoc@transit.example\n"))

        for id in ["maintenance-r-cancelled--acme--2", "maintenance-m-completed--acme"] {
            let body = tree.read("\(id)/body.txt")
            #expect(!body.contains("OUTAGE") && !body.contains("DEGRADED") && !body.contains("Expected impact"), Comment(rawValue: body))
        }
        #expect(tree.read("maintenance-r-cancelled--acme--2/body.txt").contains("has been cancelled. It will not affect your services, and the calendar entry we sent you is cancelled.\n"))
        #expect(tree.read("maintenance-r-re-scheduled--acme--2/body.txt").contains(
            "will not take place on Sat 11 Jul 2026, 00:00–04:00 CEST (10 Jul 22:00 – 11 Jul 02:00 UTC). It has been moved to Tue 21 Jul 2026, 00:00–04:00 CEST (20 Jul 22:00 – 21 Jul 02:00 UTC) under the reference ZX_r-new-date;"))
        #expect(tree.read("maintenance-r-new-date--acme/body.txt").contains(
            "Zayo has moved maintenance ZX_r-re-scheduled, planned for Sat 11 Jul 2026, 00:00–04:00 CEST (10 Jul 22:00 – 11 Jul 02:00 UTC), to a new window"))
        #expect(tree.read("maintenance-r-new-date--acme/invite.ics").contains("DESCRIPTION:Splice\\, then _test_\\n\\nReplaces ZX_r-re-scheduled\\, planned"))

        let resolved = tree.read("outage-ro-resolved--acme--2/body.txt")
        #expect(resolved.contains("Status: now RESOLVED (was REPORTED)\n\nStarted:  Wed 01 Jul 2026 10:00 CEST (08:00 UTC)\nResolved: Wed 01 Jul 2026 12:45 CEST (10:45 UTC)\nDuration: 2 h 45 min\n\nServices that were affected:\n  - C1|A (10G *wave*)\n"), Comment(rawValue: resolved))
        #expect(resolved.hasPrefix("Dear ACME_Corp | Paris team,\n\nThe incident ro-resolved of Zayo is resolved."))
        #expect(resolved.hasSuffix("Kind regards,\nACME Transit NOC\n+33 1 00 00 00 00\nnoc@transit.example"))

        let invite = tree.read("maintenance-r-cancelled--acme--2/invite.ics")
        #expect(invite.contains("METHOD:CANCEL\r\n"))
        #expect(invite.contains("UID:maintenance-r-cancelled-acme@transit.example\r\n"))
        #expect(invite.contains("SEQUENCE:1\r\nSTATUS:CANCELLED\r\n"))
        #expect(invite.contains("ORGANIZER;CN=\"ACME Transit NOC\":mailto:noc@transit.example\r\nATTENDEE;CN=\"Ann Dupont\";RSVP=FALSE:mailto:ann@acme.example\r\nATTENDEE;CN=\"Bob 'Ops' Martin\";RSVP=FALSE:mailto:bob@acme.example\r\n"))
        #expect(!invite.contains("X-MAINTNOTE-OBJECT-ID"))
    }
}
