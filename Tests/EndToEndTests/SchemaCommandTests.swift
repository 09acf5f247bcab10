import Foundation
import Testing
import TestSupport

@Suite struct SchemaCommandTests {
    /// The schema the example files point their editors at is the current one.
    @Test func committedSchemaIsCurrent() throws {
        let r = try CLI.run(["schema"])
        #expect(r.status == 0)
        let committed = String(decoding: try Data(contentsOf: CLI.repoRoot.appendingPathComponent("examples/notices.schema.json")), as: UTF8.self)
        #expect(r.stdout == committed, "run `notices schema > examples/notices.schema.json`")
        let tenants = String(decoding: try Data(contentsOf: CLI.repoRoot.appendingPathComponent("examples/carrier/org/tenants.yaml")), as: UTF8.self)
        #expect(tenants.hasPrefix("# yaml-language-server: $schema=../../notices.schema.json\n"))
        let settings = try CLI.run(["schema", "--settings"])
        let committedSettings = String(decoding: try Data(contentsOf: CLI.repoRoot.appendingPathComponent("examples/notices-settings.schema.json")), as: UTF8.self)
        #expect(settings.stdout == committedSettings, "run `notices schema --settings > examples/notices-settings.schema.json`")
        let carrier = String(decoding: try Data(contentsOf: CLI.repoRoot.appendingPathComponent("examples/carrier/notices.yaml")), as: UTF8.self)
        #expect(carrier.hasPrefix("# yaml-language-server: $schema=../notices-settings.schema.json\n"))
    }
}
