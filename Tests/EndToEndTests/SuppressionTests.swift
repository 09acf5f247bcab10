import Foundation
import Testing
import TestSupport

/// Saying "do not notify" in the data (`notify: false`, SPEC §1.6, §1.7), and the
/// warning for a message that ends with no recipient (§2.5).
@Suite struct SuppressionTests {
    static let event = "maintenance-zayo-2026-0142"
    static let frank = "org/contacts.yaml:32:5: warning: contact 'frank-ito' has no email; left out of the recipients for tenant 'globex'\n"

    func manifestIDs(_ tree: TreeCopy) throws -> [String: [String: Any]] {
        let manifest = try JSONSerialization.jsonObject(with: Data(tree.read("out/manifest.json").utf8)) as? [String: Any]
        let entries = manifest?["messages"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: entries.map { ($0["id"] as! String, $0) })
    }

    /// An event with notify: false: no message and no warning; its drafts go as if it
    /// were deleted, an approved message stays, orphaned; explain says why.
    @Test func anEventThatIsNotToBeNotified() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z", "-q"]).status == 0)
        #expect(try CLI.run(["approve", "\(Self.event)--acme", "--root", tree.root.path]).status == 0)
        try tree.edit("events/maintenances.yaml", "    internal_ticket: CHG-2026-0881\n", "    internal_ticket: CHG-2026-0881\n    notify: false\n")
        let r = try CLI.run(["render", tree.root.path])
        #expect(r.stdout == "0 new, 0 updated, 18 unchanged, 0 revisions, 2 removed, 1 orphaned, 1 warning\n")
        #expect(r.stderr == Self.frank)
        let ids = try manifestIDs(tree)
        #expect(ids["\(Self.event)--globex"] == nil && ids["\(Self.event)--zurich-re"] == nil)
        #expect(ids["\(Self.event)--acme"]?["orphaned"] as? Bool == true)
        #expect(!FileManager.default.fileExists(atPath: tree.root.appendingPathComponent("out/messages/\(Self.event)--globex").path))

        let explain = try CLI.run(["explain", tree.root.path, "zayo-2026-0142"])
        #expect(explain.status == 0)
        #expect(explain.stdout == "maintenance zayo-2026-0142 (TTN-0004567890), provider zayo, status CONFIRMED, 4 impacts (and 1 with notify: false)\nno message: notify: false\n")
        // validate gives render's warnings: the example's own, none about the event.
        #expect(try CLI.run(["validate", tree.root.path]).stderr
                == "org/contacts.yaml:32:5: warning: contact 'frank-ito' has no email; left out of the recipients for tenant 'globex'\n")
        #expect(try CLI.run(["check", tree.root.path]).stdout == "up to date\n")
    }

    /// An event that notifies again after `notify: false` (with a change, so the sent
    /// message gets a revision): its lineage is produced again, so no message of it is
    /// flagged orphaned any more (SPEC §3.2: orphaned = lineage no longer produced).
    @Test func anEventThatNotifiesAgainIsNoLongerOrphaned() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        let root = tree.root.path
        let acme = "\(Self.event)--acme"
        #expect(try CLI.run(["render", root, "--now", "2026-11-29T08:00:00Z", "-q"]).status == 0)
        #expect(try CLI.run(["approve", acme, "--root", root]).status == 0)
        #expect(try CLI.run(["mark", acme, "sent", "--root", root]).status == 0)
        try tree.edit("events/maintenances.yaml", "    internal_ticket: CHG-2026-0881\n", "    internal_ticket: CHG-2026-0881\n    notify: false\n")
        #expect(try CLI.run(["render", root, "-q"]).status == 0)
        #expect(try manifestIDs(tree)[acme]?["orphaned"] as? Bool == true)

        try tree.edit("events/maintenances.yaml", "    internal_ticket: CHG-2026-0881\n    notify: false\n", "    internal_ticket: CHG-2026-0881\n")
        try tree.edit("events/maintenances.yaml", "    end: 2026-12-08T05:00:00Z\n", "    end: 2026-12-08T06:00:00Z\n")
        let r = try CLI.run(["render", root])
        #expect(r.stdout == "2 new, 0 updated, 18 unchanged, 1 revision, 0 removed, 0 orphaned, 1 warning\n", Comment(rawValue: r.stderr))
        let ids = try manifestIDs(tree)
        #expect(ids[acme]?["status"] as? String == "sent" && ids[acme]?["orphaned"] as? Bool == false)
        #expect(ids["\(acme)--2"]?["orphaned"] as? Bool == false)
        #expect(!(try CLI.run(["list", "--root", root]).stdout.contains("(orphaned)")))
        #expect(try CLI.run(["check", root]).stdout == "up to date\n")

        // explain counts in the right number.
        try tree.edit("events/maintenances.yaml", "{circuit: LUMEN-7005, impact: DEGRADED}", "{circuit: LUMEN-7005, impact: DEGRADED, notify: false}")
        let explain = try CLI.run(["explain", root, "lumen-2026-77"])
        #expect(explain.stdout.contains(", 1 impact (and 2 with notify: false)\n"), Comment(rawValue: explain.stdout))
    }

    /// An impact with notify: false is left out of every message and variable.
    @Test func anImpactThatIsNotToBeNotified() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        try tree.edit("events/maintenances.yaml", "{circuit: ZAYO-100231, impact: OUTAGE}", "{circuit: ZAYO-100231, impact: OUTAGE, notify: false}")
        // Globex's only impact too: its message is not made at all.
        try tree.edit("events/maintenances.yaml", "{circuit: ZAYO-100234, impact: REDUCED-REDUNDANCY}", "{circuit: ZAYO-100234, impact: REDUCED-REDUNDANCY, notify: false}")
        let r = try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z"])
        #expect(r.stdout == "20 new, 0 updated, 0 unchanged, 0 revisions, 0 removed, 0 orphaned, 1 warning\n", Comment(rawValue: r.stderr))
        let acme = tree.read("out/messages/\(Self.event)--acme/message.json")
        #expect(acme.contains("ZAYO-100232") && !acme.contains("ZAYO-100231"))
        #expect(!tree.read("out/messages/\(Self.event)--acme/body.txt").contains("ZAYO-100231"))
        #expect(!tree.read("out/messages/\(Self.event)--acme/invite.ics").contains("ZAYO-100231"))
        #expect(try manifestIDs(tree)["\(Self.event)--globex"] == nil)
        let explain = try CLI.run(["explain", tree.root.path, "zayo-2026-0142"])
        #expect(explain.stdout.hasPrefix("maintenance zayo-2026-0142 (TTN-0004567890), provider zayo, status CONFIRMED, 2 impacts (and 3 with notify: false)\n"))

        // Every impact silenced: no message, and explain says so.
        try tree.edit("events/maintenances.yaml", "{circuit: LUMEN-7004, impact: DEGRADED}", "{circuit: LUMEN-7004, impact: DEGRADED, notify: false}")
        try tree.edit("events/maintenances.yaml", "{circuit: LUMEN-7005, impact: DEGRADED}", "{circuit: LUMEN-7005, impact: DEGRADED, notify: false}")
        let lumen = try CLI.run(["explain", tree.root.path, "lumen-2026-77"])
        #expect(lumen.stdout.hasSuffix("0 impacts (and 3 with notify: false)\nno message: all 3 impacts have notify: false\n"), Comment(rawValue: lumen.stdout))
        // notify takes a boolean, not YAML 1.1 words.
        try tree.edit("events/maintenances.yaml", "LUMEN-7004, impact: DEGRADED, notify: false}", "LUMEN-7004, impact: DEGRADED, notify: no}")
        let bad = try CLI.run(["validate", tree.root.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("events/maintenances.yaml:"), Comment(rawValue: bad.stderr))
        #expect(bad.stderr.contains("notify"))
    }

    static let noRecipients = "events/maintenances.yaml:3:5: warning: message 'maintenance-zayo-2026-0142' has no recipients (no tenant; roles noc, technical; priorities primary, secondary): it is rendered but cannot be approved; assign a contact, or set notify: false on the event or impacts\n"

    /// A message without recipients is rendered with a warning naming it, its tenant,
    /// roles and priorities; validate says the same; `approve --all` skips it.
    @Test func aMessageWithoutRecipients() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        // Our own backbone circuit, notified: its tenant-less group has no contact.
        try tree.edit("events/maintenances.yaml", "{circuit: ZAYO-100238, impact: OUTAGE, notify: false}", "{circuit: ZAYO-100238, impact: OUTAGE}")
        let r = try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z"])
        #expect(r.stdout == "22 new, 0 updated, 0 unchanged, 0 revisions, 0 removed, 0 orphaned, 3 warnings\n")
        #expect(r.stderr.contains(Self.noRecipients), Comment(rawValue: r.stderr))
        #expect(tree.read("out/messages/\(Self.event)/recipients.json") == "[]\n")
        // The fast path repeats the warnings.
        #expect(try CLI.run(["render", tree.root.path]).stderr.contains(Self.noRecipients))
        let v = try CLI.run(["validate", tree.root.path])
        #expect(v.status == 0)
        // validate renders in memory: render's three warnings, this one first.
        #expect(v.stderr.hasPrefix(Self.noRecipients), Comment(rawValue: v.stderr))
        #expect(v.stderr.split(separator: "\n").count == 3)

        // Named: all or nothing.
        let named = try CLI.run(["approve", "\(Self.event)--acme", Self.event, "--root", tree.root.path])
        #expect(named.status == 1)
        #expect(named.stderr == "error: cannot approve '\(Self.event)': it has no recipients (give its tenant a contact with an email, or set notify: false on the event or impact)\nerror: nothing was changed (named messages are all or nothing)\n")
        #expect(try manifestIDs(tree)["\(Self.event)--acme"]?["status"] as? String == "draft")

        // --all: the others are approved, this one is listed, exit 1.
        let all = try CLI.run(["approve", "--all", "--status", "draft", "--root", tree.root.path])
        #expect(all.status == 1)
        #expect(all.stdout.contains("\(Self.event)--acme: ready\n") && !all.stdout.contains("\(Self.event): ready"))
        #expect(all.stderr == "skipped: cannot approve '\(Self.event)': it has no recipients (give its tenant a contact with an email, or set notify: false on the event or impact)\n1 of 22 messages skipped\n")
        let ids = try manifestIDs(tree)
        #expect(ids.values.filter { $0["status"] as? String == "ready" }.count == 21)
        #expect(ids[Self.event]?["status"] as? String == "draft")
    }

    /// A tenant whose only contacts are of a priority the templates do not ask for.
    @Test func theWarningNamesTheTenantRolesAndPriorities() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        // Umbrella's contacts, all made tertiary (the templates ask for primary and secondary).
        let contacts = tree.read("org/contacts.yaml")
        let umbrella = contacts.replacingOccurrences(of: "{tenant: umbrella, role: noc, priority: primary}", with: "{tenant: umbrella, role: noc, priority: tertiary}")
            .replacingOccurrences(of: "{tenant: umbrella, role: technical, priority: secondary}", with: "{tenant: umbrella, role: technical, priority: tertiary}")
        try Data(umbrella.utf8).write(to: tree.root.appendingPathComponent("org/contacts.yaml"))
        let v = try CLI.run(["validate", tree.root.path])
        #expect(v.stderr.contains("warning: message 'maintenance-zayo-2026-0150--umbrella' has no recipients (tenant 'umbrella'; roles noc, technical; priorities primary, secondary)"), Comment(rawValue: v.stderr))
    }
}
