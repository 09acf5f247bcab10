import Foundation
import Testing
import TestSupport

/// The `withdrawn` status (SPEC §3.2, §3.5): a newer revision withdraws the approved,
/// not yet sent message of its lineage; `notices withdraw` does it by hand; sent and
/// delivered messages are never touched.
@Suite struct WithdrawTests {
    static let acme = "maintenance-zayo-2026-0142--acme"

    func run(_ tree: TreeCopy, _ args: [String]) throws -> CLI.Result {
        try CLI.run(args + ["--root", tree.root.path])
    }

    func entry(_ tree: TreeCopy, _ id: String) throws -> [String: Any] {
        let manifest = try JSONSerialization.jsonObject(with: Data(tree.read("out/manifest.json").utf8)) as? [String: Any]
        let entries = manifest?["messages"] as? [[String: Any]] ?? []
        return try #require(entries.first { $0["id"] as? String == id })
    }

    /// The README's lifecycle: approve → the event changes → a revision, the approved
    /// one withdrawn → approve the revision → sent.
    @Test func aRevisionWithdrawsTheApprovedMessageAndTheRevisionIsSent() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z", "-q"]).status == 0)
        #expect(try run(tree, ["approve", Self.acme, "--by", "noc"]).stdout == "\(Self.acme): ready\n")
        try tree.edit("events/maintenances.yaml", "end: 2026-12-08T05:00:00Z", "end: 2026-12-08T06:00:00Z")
        let render = try CLI.run(["render", tree.root.path, "--now", "2026-12-01T09:00:00Z"])
        #expect(render.status == 0)
        #expect(render.stdout == "0 new, 2 updated, 18 unchanged, 1 revision, 0 removed, 0 orphaned, 1 warning\n")
        #expect(render.stderr.hasSuffix("withdrawn: \(Self.acme) (superseded by \(Self.acme)--2; it will not be sent)\n"), Comment(rawValue: render.stderr))

        // The customer never got the withdrawn notice: the starters word the revision as
        // the first one, not as an update of a window they never heard of.
        #expect(tree.read("out/messages/\(Self.acme)--2/subject").hasPrefix("Planned: "))
        #expect(!tree.read("out/messages/\(Self.acme)--2/body.txt").contains("Changed since"))
        // A mail tool that sends every ready message finds nothing stale.
        #expect(try run(tree, ["list", "--status", "ready", "--json"]).stdout == "[]\n")
        let withdrawn = try run(tree, ["list", "--status", "withdrawn"])
        #expect(withdrawn.stdout.hasPrefix("\(Self.acme)\twithdrawn 2026-12-01T09:00:00Z (superseded by \(Self.acme)--2)\t2 recipients\t"), Comment(rawValue: withdrawn.stdout))
        let old = try entry(tree, Self.acme)
        #expect(old["status"] as? String == "withdrawn")
        #expect(old["withdrawn_at"] as? String == "2026-12-01T09:00:00Z")
        let last = try #require((old["journal"] as? [[String: Any]])?.last)
        #expect(last["from"] as? String == "ready" && last["to"] as? String == "withdrawn")
        #expect(last["kind"] as? String == "warning" && last["message"] as? String == "superseded by \(Self.acme)--2")
        #expect(try entry(tree, Self.acme + "--2")["withdrawn_at"] is NSNull)

        // Withdrawn is final.
        let send = try run(tree, ["mark", Self.acme, "sent"])
        #expect(send.status == 1)
        #expect(send.stderr == "error: cannot mark sent '\(Self.acme)': it is withdrawn; from withdrawn it can go to no other status (withdrawn is final: the message is kept for the record and never sent)\n")

        #expect(try run(tree, ["approve", Self.acme + "--2", "--by", "noc"]).status == 0)
        #expect(try run(tree, ["mark", Self.acme + "--2", "sent"]).stdout == "\(Self.acme)--2: sent\n")
        let again = try CLI.run(["render", tree.root.path])
        #expect(again.stdout == "0 new, 0 updated, 21 unchanged, 0 revisions, 0 removed, 0 orphaned, 1 warning\n")
        #expect(!again.stderr.contains("withdrawn"))
        #expect(try CLI.run(["check", tree.root.path]).stdout == "up to date\n")
    }

    @Test func sentAndDeliveredMessagesAreNeverWithdrawn() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z", "-q"]).status == 0)
        let globex = "maintenance-zayo-2026-0142--globex"
        #expect(try run(tree, ["approve", Self.acme, globex]).status == 0)
        #expect(try run(tree, ["mark", Self.acme, globex, "sent"]).status == 0)
        #expect(try run(tree, ["mark", globex, "delivered"]).status == 0)
        try tree.edit("events/maintenances.yaml", "end: 2026-12-08T05:00:00Z", "end: 2026-12-08T06:00:00Z")
        let render = try CLI.run(["render", tree.root.path, "--now", "2026-12-01T09:00:00Z"])
        #expect(render.stdout.hasPrefix("0 new, 1 updated, 18 unchanged, 2 revisions"), Comment(rawValue: render.stdout))
        #expect(!render.stderr.contains("withdrawn"))
        #expect(try entry(tree, Self.acme)["status"] as? String == "sent")
        #expect(try entry(tree, globex)["status"] as? String == "delivered")
    }

    @Test func withdrawByHand() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z", "-q"]).status == 0)
        let globex = "maintenance-zayo-2026-0142--globex", zurich = "maintenance-zayo-2026-0142--zurich-re"
        #expect(try run(tree, ["approve", Self.acme, globex]).status == 0)

        // Named messages are all or nothing: the draft is refused, the ready one stays.
        let mixed = try run(tree, ["withdraw", Self.acme, zurich])
        #expect(mixed.status == 1)
        #expect(mixed.stderr == """
        error: cannot withdraw '\(zurich)': it is draft; from draft it can go to ready (approve) or discarded (discard)
        error: nothing was changed (named messages are all or nothing)

        """)
        #expect(try entry(tree, Self.acme)["status"] as? String == "ready")

        let one = try run(tree, ["withdraw", Self.acme, "--message", "customer asked us not to"])
        #expect(one.status == 0 && one.stdout == "\(Self.acme): withdrawn\n")
        let e = try entry(tree, Self.acme)
        #expect(e["withdrawn_at"] is String)
        let last = try #require((e["journal"] as? [[String: Any]])?.last)
        #expect(last["kind"] as? String == "warning" && last["message"] as? String == "customer asked us not to")

        // A failed delivery can be withdrawn too, instead of retried.
        #expect(try run(tree, ["mark", globex, "sent"]).status == 0)
        #expect(try run(tree, ["mark", globex, "failed", "--message", "550"]).status == 0)
        #expect(try run(tree, ["withdraw", "--all", "--status", "failed", "--json"]).stdout == "[\n  {\n    \"id\": \"\(globex)\",\n    \"status\": \"withdrawn\"\n  }\n]\n")

        // Withdrawn messages stay for the record; render keeps them and check passes.
        #expect(try CLI.run(["render", tree.root.path, "-q"]).status == 0)
        #expect(try CLI.run(["check", tree.root.path]).stdout == "up to date\n")
        #expect(try entry(tree, Self.acme)["status"] as? String == "withdrawn")
        #expect(FileManager.default.fileExists(atPath: tree.root.appendingPathComponent("out/messages/\(Self.acme)/subject").path))
    }

    /// `list` says when and why a message was withdrawn (a reason given by hand is put
    /// on one line); `--json` rows carry the manifest's lifecycle times.
    @Test func listShowsWhenAndWhyAMessageWasWithdrawn() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z", "-q"]).status == 0)
        let globex = "maintenance-zayo-2026-0142--globex"
        #expect(try run(tree, ["approve", Self.acme, globex, "--by", "noc"]).status == 0)
        #expect(try run(tree, ["mark", globex, "sent"]).status == 0)
        #expect(try run(tree, ["mark", globex, "delivered"]).status == 0)
        try tree.edit("events/maintenances.yaml", "end: 2026-12-08T05:00:00Z", "end: 2026-12-08T06:00:00Z")
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-12-01T09:00:00Z", "-q"]).status == 0)
        #expect(try run(tree, ["approve", Self.acme + "--2"]).status == 0)
        #expect(try run(tree, ["withdraw", Self.acme + "--2", "--message", "customer asked\tus\nnot to "]).status == 0)

        // Times set from the clock (approval, sending, a withdrawal by hand) are masked;
        // those of --now are kept.
        func masked(_ text: String) -> String {
            let time = try! NSRegularExpression(pattern: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#)
            var out = text
            for m in time.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
                let r = Range(m.range, in: text)!
                if !["2026-11-29T08:00:00Z", "2026-12-01T09:00:00Z"].contains(String(text[r])) {
                    out.replaceSubrange(Range(m.range, in: out)!, with: "CLOCK")
                }
            }
            return out
        }
        let plain = try run(tree, ["list", "--status", "withdrawn"])
        // Outside the working directory, the folder column is the absolute path.
        let folders = tree.root.appendingPathComponent("out/messages").standardizedFileURL.path
        // Run from inside the tree, it is relative.
        let inside = try CLI.run(["list", "--status", "withdrawn"], cwd: tree.root)
        #expect(inside.stdout.hasSuffix("\tout/messages/\(Self.acme)--2\n"), Comment(rawValue: inside.stdout))
        #expect(masked(plain.stdout) == """
            \(Self.acme)\twithdrawn 2026-12-01T09:00:00Z (superseded by \(Self.acme)--2)\t2 recipients\tPlanned: Zayo maintenance TTN-0004567890 on 07 Dec 2026 (ACME Corp)\t\(folders)/\(Self.acme)
            \(Self.acme)--2\twithdrawn CLOCK (customer asked us not to)\t2 recipients\tPlanned: Zayo maintenance TTN-0004567890 on 07 Dec 2026 (ACME Corp)\t\(folders)/\(Self.acme)--2

            """, Comment(rawValue: plain.stdout))

        let json = try run(tree, ["list", "--status", "withdrawn", "--json"]).stdout
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.count == 2 && rows[0]["withdrawn_at"] as? String == "2026-12-01T09:00:00Z" && rows[1]["withdrawn_at"] is String)
        let first = masked(json).components(separatedBy: "\n  },\n")[0]
        #expect(first == """
            [
              {
                "approved_at": "CLOCK",
                "approved_by": "noc",
                "delivered_at": null,
                "files": [
                  "body.html",
                  "body.txt",
                  "headers.json",
                  "invite.ics",
                  "message.eml",
                  "message.json",
                  "recipients.json",
                  "subject"
                ],
                "folder": "\(tree.root.path)/out/messages/\(Self.acme)",
                "id": "\(Self.acme)",
                "orphaned": false,
                "recipients": [
                  {
                    "email": "alice.martin@acme.example",
                    "name": "Alice Martin"
                  },
                  {
                    "email": "bob.chen@acme.example",
                    "name": "Bob Chen"
                  }
                ],
                "rendered_at": "2026-11-29T08:00:00Z",
                "sent_at": null,
                "sequence": 1,
                "status": "withdrawn",
                "subject": "Planned: Zayo maintenance TTN-0004567890 on 07 Dec 2026 (ACME Corp)",
                "viewed_at": null,
                "withdrawn_at": "2026-12-01T09:00:00Z"
            """, Comment(rawValue: first))

        let delivered = masked(try run(tree, ["list", "--status", "delivered", "--json"]).stdout)
        for field in ["\"approved_at\": \"CLOCK\",", "\"delivered_at\": \"CLOCK\",", "\"sent_at\": \"CLOCK\",", "\"withdrawn_at\": null\n"] {
            #expect(delivered.contains("\n    " + field), Comment(rawValue: delivered))
        }
        // A draft has only its render time.
        let draft = try run(tree, ["list", "--status", "draft", "--json"]).stdout
        #expect(draft.contains("\"approved_at\": null,\n    \"approved_by\": null,\n    \"delivered_at\": null,"))
    }

    /// The outage starter words the revision of a withdrawn first report as the first
    /// report; a revision of one that went out is an update.
    @Test func theRevisionOfAWithdrawnFirstOutageReportIsWordedAsTheFirst() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        let acme = "outage-lumen-inc-5521--acme", globex = "outage-lumen-inc-5521--globex"
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z", "-q"]).status == 0)
        #expect(try run(tree, ["approve", acme, globex, "--by", "noc"]).status == 0)
        #expect(try run(tree, ["mark", globex, "sent"]).status == 0)
        try tree.edit("events/outages.yaml", "status: INVESTIGATING", "status: IDENTIFIED")
        let render = try CLI.run(["render", tree.root.path, "--now", "2026-12-01T09:00:00Z"])
        #expect(render.stderr.hasSuffix("withdrawn: \(acme) (superseded by \(acme)--2; it will not be sent)\n"), Comment(rawValue: render.stderr))

        #expect(tree.read("out/messages/\(acme)--2/subject") == "Incident: Lumen LUMEN-INC-5521, identified (ACME Corp)")
        #expect(tree.read("out/messages/\(acme)--2/body.txt").hasPrefix("""
            Dear ACME Corp team,

            Lumen has an incident (LUMEN-INC-5521) that affects 1 of your services. It is identified: the cause is known and being repaired.

            Started:  Sat 28 Nov 2026 02:42 EST (07:42 UTC)

            """))
        #expect(tree.read("out/messages/\(globex)--2/subject") == "Update: Lumen LUMEN-INC-5521, identified (Globex)")
        #expect(tree.read("out/messages/\(globex)--2/body.txt").hasPrefix("""
            Dear Globex team,

            Update on incident LUMEN-INC-5521 of Lumen: it is identified: the cause is known and being repaired.
            Status: now IDENTIFIED (was INVESTIGATING)

            Started:  Sat 28 Nov 2026 07:42 GMT (07:42 UTC)

            """))
    }

    /// `--all` changes what can change, lists the rest with the reason, exits 1.
    @Test func allSkipsWhatCannotChange() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z", "-q"]).status == 0)
        let r = try run(tree, ["withdraw", "--all", "--status", "draft"])
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr.hasPrefix("skipped: cannot withdraw 'maintenance-aero-2026-12--initech': it is draft; from draft it can go to ready (approve) or discarded (discard)\n"))
        #expect(r.stderr.hasSuffix("\n21 of 21 messages skipped\n"))
    }
}
