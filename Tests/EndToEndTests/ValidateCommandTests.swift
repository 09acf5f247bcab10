import Foundation
import Testing
import TestSupport

@Suite struct ValidateCommandTests {
    @Test func cleanExamplePrintsSummary() throws {
        let r = try CLI.run(["validate", "examples/carrier"])
        #expect(r.status == 0)
        // The warning `render` gives, found by rendering in memory.
        #expect(r.stderr == "org/contacts.yaml:32:5: warning: contact 'frank-ito' has no email; left out of the recipients for tenant 'globex'\n")
        let quick = try CLI.run(["validate", "--data-only", "examples/carrier"])
        #expect(quick.status == 0)
        #expect(quick.stderr == "")
        #expect(r.stdout == "ok: 3 providers, 6 tenants, 11 contacts, 34 inventory objects, 6 maintenances, 2 outages, 23 impacts, 11 templates, 1 standalone message\n")
    }

    @Test func problemsExitOneWithLocations() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("providers:\n  - slug: p\n    nmae: P\ntenants:\n  - {slug: t, group: [1]}\n".utf8)
            .write(to: dir.appendingPathComponent("data.yaml"))
        let r = try CLI.run(["validate", dir.path])
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr == """
        data.yaml:3:5: error: unknown field 'nmae' in provider (did you mean 'name'?)
        data.yaml:5:22: error: field 'group' of tenant must be text, not a list

        """)
        let j = try CLI.run(["validate", "--json", dir.path])
        #expect(j.status == 1)
        #expect(j.stdout.hasPrefix("[\n  {\n    \"column\": 5,\n    \"file\": \"data.yaml\",\n    \"line\": 3,\n"))
        let parsed = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 2)
    }

    @Test func usageErrorsExitTwo() throws {
        let r = try CLI.run(["validate", "--bogus"])
        #expect(r.status == 2)
        let missing = try CLI.run(["validate", "/nonexistent/tree"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("'/nonexistent/tree' is not a folder"))
    }
}
