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
        #expect(render.stdout == "0 new, 2 updated, 18 unchanged, 1 revisions, 0 removed, 0 orphaned, 1 warnings\n")
        #expect(render.stderr.hasSuffix("withdrawn: \(Self.acme) (superseded by \(Self.acme)--2; it will not be sent)\n"), Comment(rawValue: render.stderr))

        // The customer never got the withdrawn notice: the starters word the revision as
        // the first one, not as an update of a window they never heard of.
        #expect(tree.read("out/messages/\(Self.acme)--2/subject").hasPrefix("Planned: "))
        #expect(!tree.read("out/messages/\(Self.acme)--2/body.txt").contains("Changed since"))
        // A mail tool that sends every ready message finds nothing stale.
        #expect(try run(tree, ["list", "--status", "ready", "--json"]).stdout == "[]\n")
        let withdrawn = try run(tree, ["list", "--status", "withdrawn"])
        #expect(withdrawn.stdout.hasPrefix("\(Self.acme)\twithdrawn\t2 recipients\t"), Comment(rawValue: withdrawn.stdout))
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
        #expect(again.stdout == "0 new, 0 updated, 21 unchanged, 0 revisions, 0 removed, 0 orphaned, 1 warnings\n")
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
