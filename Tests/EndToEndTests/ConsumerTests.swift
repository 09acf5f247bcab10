import Foundation
import Testing
import TestSupport

/// Real consumers read what we write: icalendar, circuit-maintenance-parser and
/// Python's email package (Consumers/check_outputs.py), from the venv .ci/run makes.
@Suite struct ConsumerTests {
    static let python = VenvPython.with("icalendar, circuit_maintenance_parser, yaml")

    @Test(.enabled(if: python != nil, "needs .venv with icalendar, circuit-maintenance-parser, pyyaml (bash .ci/run makes it)"))
    func carrierInvitesAndMailsPassRealParsers() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "-q"]).status == 0)
        let r = try VenvPython.run(Self.python!, script: "check_outputs.py", [tree.root.path])
        #expect(r.status == 0, Comment(rawValue: r.output))
        #expect(r.output.hasSuffix("checked 14 invites and 21 e-mails: 0 problems\n"), Comment(rawValue: r.output))
    }
}

/// The netbox-notices documentation templates (examples/netbox-notices-compat) give
/// what Python Jinja2 gives for the same templates and a plugin-like context, and their
/// invites pass the same consumers as ours.
@Suite struct NetboxCompatTests {
    static let python = VenvPython.with("jinja2, yaml, icalendar, circuit_maintenance_parser")

    @Test(.enabled(if: python != nil, "needs .venv with jinja2, pyyaml, icalendar, circuit-maintenance-parser (bash .ci/run makes it)"))
    func committedOutputEqualsPythonJinja2() throws {
        let example = CLI.repoRoot.appendingPathComponent("examples/netbox-notices-compat").path
        let r = try VenvPython.run(Self.python!, script: "netbox_compat_reference.py", [example, example + "/out"])
        #expect(r.status == 0, Comment(rawValue: r.output))
        #expect(r.output == "compared 3 messages with Python Jinja2: 0 problems\n", Comment(rawValue: r.output))
        let c = try VenvPython.run(Self.python!, script: "check_outputs.py", [example])
        #expect(c.output == "checked 3 invites and 0 e-mails: 0 problems\n", Comment(rawValue: c.output))
    }

    /// The documentation's invite is METHOD:REQUEST without ATTENDEE: it renders
    /// unchanged, with the iTIP warning of SPEC §2.8 for each message.
    @Test func theDocumentationInviteRendersWithTheITIPWarning() throws {
        let tree = try TreeCopy("examples/netbox-notices-compat")
        defer { tree.remove() }
        let r = try CLI.run(["render", tree.root.path, "--now", "2026-01-20T09:15:30Z"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        #expect(r.stdout == "3 new, 0 updated, 0 unchanged, 0 revisions, 0 removed, 0 orphaned, 3 warnings\n")
        for id in ["maintenance-42--acme", "maintenance-42--globex", "maintenance-43--globex"] {
            #expect(r.stderr.contains("templates/bcop.ics.j2:1:1: warning: message \(id), template 'maintenance-notification': iCal METHOD:REQUEST without ATTENDEE: RFC 5546 needs an ORGANIZER and at least one ATTENDEE, or calendar clients may not update the recipients' calendars\n"), Comment(rawValue: r.stderr))
        }
        #expect(tree.read("out/messages/maintenance-42--acme/invite.ics") == String(decoding: try Data(contentsOf: CLI.repoRoot.appendingPathComponent("examples/netbox-notices-compat/out/messages/maintenance-42--acme/invite.ics")), as: UTF8.self))
    }

    @Test(.enabled(if: python != nil, "needs .venv with jinja2 and pyyaml (bash .ci/run makes it)"))
    func aFreshRenderEqualsPythonJinja2() throws {
        let tree = try TreeCopy("examples/netbox-notices-compat")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "-q", "--now", "2026-01-20T09:15:30Z"]).status == 0)
        let r = try VenvPython.run(Self.python!, script: "netbox_compat_reference.py", [tree.root.path, tree.root.path + "/out"])
        #expect(r.output == "compared 3 messages with Python Jinja2: 0 problems\n", Comment(rawValue: r.output))
    }
}

/// `notices schema` is a valid draft 2020-12 schema that accepts every example data
/// file and rejects bad ones (PyPI jsonschema).
@Suite struct SchemaTests {
    static let python = VenvPython.with("jsonschema, yaml")

    @Test(.enabled(if: python != nil, "needs .venv with jsonschema and pyyaml (bash .ci/run makes it)"))
    func schemaAcceptsExamplesAndRejectsBadFiles() throws {
        let schema = try CLI.run(["schema"])
        let settings = try CLI.run(["schema", "--settings"])
        #expect(schema.status == 0 && settings.status == 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        let settingsFile = FileManager.default.temporaryDirectory.appendingPathComponent("settings-schema-\(UUID().uuidString).json")
        try Data(schema.stdout.utf8).write(to: file)
        try Data(settings.stdout.utf8).write(to: settingsFile)
        defer { try? FileManager.default.removeItem(at: file); try? FileManager.default.removeItem(at: settingsFile) }
        let r = try VenvPython.run(Self.python!, script: "check_schema.py", [file.path, CLI.repoRoot.path, settingsFile.path])
        #expect(r.status == 0, Comment(rawValue: r.output))
        #expect(r.output.hasSuffix("18 of 18 bad files rejected: 0 problems\n"), Comment(rawValue: r.output))
    }
}
