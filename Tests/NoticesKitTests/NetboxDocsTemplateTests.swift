import Foundation
import Jinja
@testable import NoticesKit
import Testing

/// The example templates of the netbox-notices documentation render exactly as
/// Python Jinja2 renders them (expected bytes from netbox_docs_reference.py).
@Suite struct NetboxDocsTemplateTests {
    struct Expected: Decodable {
        let template: String
        let expected: String
    }

    static let fixtures: [String: Expected] = {
        guard let url = Bundle.module.url(forResource: "Fixtures/netbox_docs", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return [:] }
        return (try? JSONDecoder().decode([String: Expected].self, from: data)) ?? [:]
    }()

    static func context() -> [String: Value] {
        func t(_ s: String) -> Timestamp { try! TimestampParser.parse(s, defaultZone: TimeZone(identifier: "UTC")!).get() }
        let provider = RecordObject(type: "Provider object", display: "Zayo", fields: [("name", "Zayo"), ("slug", "zayo")])
        let maintenance = RecordObject(type: "Maintenance object", display: "TTN-0004567890", fields: [
            ("pk", 42), ("name", "TTN-0004567890"), ("status", "CONFIRMED"),
            ("summary", "Fibre splice work, Amsterdam; Frankfurt.\nTwo short hits expected."),
            ("start", .object(DateTimeValue(t("2026-01-22T14:30:00Z")))), ("end", .object(DateTimeValue(t("2026-01-22T18:00:00Z")))),
            ("provider", .object(provider)), ("get_absolute_url", .object(CallableText("/plugins/notices/maintenances/42/"))),
        ])
        let tenant = RecordObject(type: "Tenant object", display: "ACME Corp", fields: [("pk", 7), ("name", "ACME Corp"), ("slug", "acme")])
        let impacts: [Value] = [("ZAYO-100231", "OUTAGE"), ("ZAYO-100232", "REDUCED-REDUNDANCY")].map { cid, level in
            let circuit = RecordObject(type: "Circuit object", display: cid, fields: [("cid", .string(cid))])
            return .object(RecordObject(type: "Impact object", display: "x", fields: [("target", .object(circuit)), ("impact", .string(level))]))
        }
        return ["maintenance": .object(maintenance), "tenant": .object(tenant), "tenant_impacts": .list(impacts),
                "impacts": .list(impacts), "now": .object(DateTimeValue(t("2026-01-20T09:15:30Z"))),
                "netbox_url": "https://netbox.example.com", "message_sequence": 1, "highest_impact": "OUTAGE"]
    }

    @Test(arguments: ["subject", "body", "ical"])
    func rendersLikePythonJinja2(_ part: String) throws {
        let fixture = try #require(Self.fixtures[part])
        var env = Environment()
        NoticesFilters.install(into: &env)
        let out = try env.fromString(fixture.template, name: part).render(Self.context())
        #expect(out == fixture.expected, Comment(rawValue: out))
    }
}
