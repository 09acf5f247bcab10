import Foundation
import Testing

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
        #expect(r.output.hasSuffix("checked 16 invites and 23 e-mails: 0 problems\n"), Comment(rawValue: r.output))
    }
}

/// `notices schema` is a valid draft 2020-12 schema that accepts every example data
/// file and rejects bad ones (PyPI jsonschema).
@Suite struct SchemaTests {
    static let python = VenvPython.with("jsonschema, yaml")

    @Test(.enabled(if: python != nil, "needs .venv with jsonschema and pyyaml (bash .ci/run makes it)"))
    func schemaAcceptsExamplesAndRejectsBadFiles() throws {
        let schema = try CLI.run(["schema"])
        #expect(schema.status == 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        try Data(schema.stdout.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try VenvPython.run(Self.python!, script: "check_schema.py", [file.path, CLI.repoRoot.path])
        #expect(r.status == 0, Comment(rawValue: r.output))
        #expect(r.output.hasSuffix("13 of 13 bad files rejected: 0 problems\n"), Comment(rawValue: r.output))
    }
}
