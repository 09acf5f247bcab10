import Foundation
import Testing
import TestSupport

/// Issue 20: no recipient, header or invite line that a reviewer did not see
/// (docs/SECURITY.md). message.eml is read back by Python's email package with the
/// strict policy, as a mail tool would read it.
@Suite struct HostileMailTests {
    static let python = VenvPython.with("email")

    /// Item 5: a contact's `email` is exactly one bare address.
    @Test(arguments: [
        ("carol@x.example, evil@y.example", "'carol@x.example, evil@y.example' names 2 addresses; give exactly one"),
        ("a@b.example>, evil@y.example", "'a@b.example>, evil@y.example' is not an e-mail address (unexpected '>' at character 12)"),
        ("noc at bigbank", "'noc at bigbank' is not an e-mail address (unexpected ' ' at character 4)"),
        ("Ann <ann@acme.example>", "'Ann <ann@acme.example>' is not a bare address; give only 'ann@acme.example' (the contact's name comes from its 'name')"),
    ])
    func contactEmailIsExactlyOneAddress(_ email: String, _ problem: String) throws {
        let tree = try HostileTree(["contacts.yaml": """
            contacts:
              - name: Carol
                email: "\(email)"
                assignments: [{tenant: acme}]

            """])
        defer { tree.remove() }
        let v = try tree.run("validate")
        #expect(v.status == 1)
        #expect(v.stderr == "contacts.yaml:3:12: error: field 'email' of contact: \(problem)\n")
        #expect(try tree.run("render", ["--now", "2026-01-01T00:00:00Z"]).status == 1)
    }

    /// Items 5 and 8: `eml.from` is one mailbox on one line.
    @Test(arguments: [
        ("NOC <noc@x.example>\\r\\nBcc: evil@y.example", "'NOC <noc@x.example>\r\nBcc: evil@y.example' is not an e-mail address (it contains a line break)"),
        ("a@x.example, b@x.example", "'a@x.example, b@x.example' names 2 addresses; give exactly one"),
    ])
    func emlFromIsOneMailboxOnOneLine(_ from: String, _ problem: String) throws {
        let tree = try HostileTree(["notices.yaml": "eml:\n  from: \"\(from)\"\n"])
        defer { tree.remove() }
        let v = try tree.run("validate")
        #expect(v.status == 1)
        #expect(v.stderr == "notices.yaml:2:9: error: eml.from: \(problem)\n")
    }

    /// Item 6: recipients and the message's structure are not a template's to set.
    @Test(arguments: ["To", "cc", "Bcc", "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
                      "Message-ID", "In-Reply-To", "References", "Date", "Resent-To"])
    func templatesCannotSetStructuralHeaders(_ header: String) throws {
        let tree = try HostileTree(["templates.yaml": HostileTree.template("headers_template:", "  X-Ok: fine", "  \(header): \"x@y.example\"")])
        defer { tree.remove() }
        let v = try tree.run("validate")
        #expect(v.status == 1)
        #expect(v.stderr.hasPrefix("templates.yaml:9:7: error: template 't' may not set header '\(header)': it "), Comment(rawValue: v.stderr))
        #expect(try tree.run("render", ["--now", "2026-01-01T00:00:00Z"]).status == 1)
    }

    /// Item 7: address headers keep every address, names are RFC 2047 words, and the To
    /// header holds exactly the reviewed recipients.
    @Test(.enabled(if: python != nil, "needs .venv (bash .ci/run makes it)"))
    func addressHeadersKeepEveryAddress() throws {
        let tree = try HostileTree([
            "contacts.yaml": "contacts:\n  - {name: \"Zoë Müller, Ops\", email: zoe@acme.example, assignments: [{tenant: acme}]}\n",
            "templates.yaml": HostileTree.template("headers_template:", "  From: \"Zürich NOC <noc@x.example>\"",
                                                   "  Reply-To: \"Ops <ops@x.example>, \\\"Sales, EMEA\\\" <sales@x.example>, desk@x.example\""),
        ])
        defer { tree.remove() }
        let r = try tree.run("render", ["--now", "2026-01-01T00:00:00Z"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let check = try VenvPython.run(Self.python!, script: "check_eml_addresses.py",
                                       [tree.url("out/messages/maintenance-m1--acme/message.eml").path])
        #expect(check.status == 0, Comment(rawValue: check.output))
        #expect(check.output == """
            {"From": [["Zürich NOC", "noc@x.example"]], "From fields": 1, "Reply-To": [["Ops", "ops@x.example"], \
            ["Sales, EMEA", "sales@x.example"], ["", "desk@x.example"]], "Reply-To fields": 1, "To": [["Zoë Müller, Ops", \
            "zoe@acme.example"]], "To fields": 1, "raw_8bit_in_headers": false}

            """)
    }

    /// Item 7: an address header's value must parse; several authors in From are refused.
    @Test(arguments: [
        ("Reply-To", "noc at bigbank", "'noc at bigbank' is not an e-mail address (no '<address>' after the name)"),
        ("From", "a@x.example, b@x.example", "names 2 addresses; From names one (use Reply-To for more)"),
    ])
    func addressHeaderValuesAreChecked(_ header: String, _ value: String, _ problem: String) throws {
        let tree = try HostileTree(["templates.yaml": HostileTree.template("headers_template:", "  \(header): \"{{ '\(value)' }}\"")])
        defer { tree.remove() }
        let r = try tree.run("render", ["--now", "2026-01-01T00:00:00Z"])
        #expect(r.status == 1)
        #expect(r.stderr == "templates.yaml:8:\(header.count + 9): error: message maintenance-m1--acme: header '\(header)' of template 't' \(problem)\n")
    }

    static let invite = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Example//notices//EN
        BEGIN:VEVENT
        UID:{{ maintenance.pk }}@x.example
        DTSTAMP:{{ now | ical_datetime }}
        DTSTART:{{ maintenance.start | ical_datetime }}
        DTEND:{{ maintenance.end | ical_datetime }}
        SUMMARY:{{ maintenance.summary | ical_text }}
        ORGANIZER:mailto:noc@x.example
        SEQUENCE:0
        X-MAINTNOTE-PROVIDER:{{ maintenance.provider.slug }}
        X-MAINTNOTE-ACCOUNT:acme
        X-MAINTNOTE-MAINTENANCE-ID:{{ maintenance.name }}
        X-MAINTNOTE-OBJECT-ID:C1
        X-MAINTNOTE-IMPACT:OUTAGE
        END:VEVENT
        END:VCALENDAR

        """

    /// Item 8: a value printed into an invite cannot start a property line of its own;
    /// `ical_text` escapes the same value.
    @Test func dataCannotAddInviteLines() throws {
        let tree = try HostileTree([
            "templates.yaml": HostileTree.template("include_ical: true", "ical_template_file: invite.ics.j2"),
            "invite.ics.j2": Self.invite,
            "events.yaml": HostileTree.base["events.yaml"]!.replacingOccurrences(
                of: "    summary: Fibre work", with: "    name: \"TT-1\\r\\nATTENDEE:mailto:evil@y.example\"\n    summary: Fibre work"),
        ])
        defer { tree.remove() }
        let r = try tree.run("render", ["--now", "2026-01-01T00:00:00Z"])
        #expect(r.status == 1)
        #expect(r.stderr == "invite.ics.j2:14:43: error: ical_template of template 't' (message maintenance-m1--acme), line 14: "
                + "a printed value contains a line break, which would start a new iCal property line; print text with the ical_text filter\n")
        #expect(!FileManager.default.fileExists(atPath: tree.url("out/manifest.json").path))

        try tree.write("invite.ics.j2", Self.invite.replacingOccurrences(of: "{{ maintenance.name }}", with: "{{ maintenance.name | ical_text }}"))
        #expect(try tree.run("render", ["--now", "2026-01-01T00:00:00Z"]).status == 0)
        let ics = try #require(tree.read("out/messages/maintenance-m1--acme/invite.ics"))
        #expect(ics.contains("X-MAINTNOTE-MAINTENANCE-ID:TT-1\\nATTENDEE:mailto:evil@y.example\r\n"))
        #expect(!ics.contains("\r\nATTENDEE"))
    }

    /// Item 8: the invite check refuses a line that is not a property (text that a
    /// template let spill onto a line of its own).
    @Test func inviteCheckRefusesStrayLines() throws {
        let tree = try HostileTree([
            "templates.yaml": HostileTree.template("include_ical: true", "ical_template_file: invite.ics.j2"),
            "invite.ics.j2": Self.invite.replacingOccurrences(of: "SEQUENCE:0\n", with: "SEQUENCE:0\n{% for line in maintenance.summary.split(' ') %}{{ line }}\n{% endfor %}"),
        ])
        defer { tree.remove() }
        let r = try tree.run("render", ["--now", "2026-01-01T00:00:00Z"])
        #expect(r.status == 1)
        #expect(r.stderr == """
            invite.ics.j2:1:1: error: message maintenance-m1--acme, template 't': invalid iCal: line 12 is not an iCal property line (no ':' after the name): 'Fibre'
            invite.ics.j2:1:1: error: message maintenance-m1--acme, template 't': invalid iCal: line 13 is not an iCal property line (no ':' after the name): 'work'

            """)
    }
}
