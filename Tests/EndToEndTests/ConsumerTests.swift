import Foundation
import Testing

/// Real consumers read what we write: icalendar, circuit-maintenance-parser and
/// Python's email package (Consumers/check_outputs.py), from the venv .ci/run makes.
@Suite struct ConsumerTests {
    static let python: String? = {
        let venv = CLI.repoRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: venv)
        p.arguments = ["-c", "import icalendar, circuit_maintenance_parser, yaml"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        p.waitUntilExit()
        return p.terminationStatus == 0 ? venv : nil
    }()

    @Test(.enabled(if: python != nil, "needs .venv with icalendar, circuit-maintenance-parser, pyyaml (bash .ci/run makes it)"))
    func carrierInvitesAndMailsPassRealParsers() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "-q"]).status == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.python!)
        p.arguments = [CLI.repoRoot.appendingPathComponent("Tests/EndToEndTests/Consumers/check_outputs.py").path, tree.root.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, Comment(rawValue: text))
        #expect(text.hasSuffix("checked 16 invites and 23 e-mails: 0 problems\n"), Comment(rawValue: text))
    }
}

/// `notices schema` is a valid draft 2020-12 schema that accepts every example data
/// file and rejects bad ones (PyPI jsonschema).
@Suite struct SchemaTests {
    static let python: String? = {
        let venv = CLI.repoRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: venv)
        p.arguments = ["-c", "import jsonschema, yaml"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        p.waitUntilExit()
        return p.terminationStatus == 0 ? venv : nil
    }()

    @Test(.enabled(if: python != nil, "needs .venv with jsonschema and pyyaml (bash .ci/run makes it)"))
    func schemaAcceptsExamplesAndRejectsBadFiles() throws {
        let schema = try CLI.run(["schema"])
        #expect(schema.status == 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        try Data(schema.stdout.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.python!)
        p.arguments = [CLI.repoRoot.appendingPathComponent("Tests/EndToEndTests/Consumers/check_schema.py").path, file.path, CLI.repoRoot.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, Comment(rawValue: text))
        #expect(text.hasSuffix("13 of 13 bad files rejected: 0 problems\n"), Comment(rawValue: text))
    }
}
