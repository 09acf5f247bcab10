import Foundation
import Testing
import TestSupport
@testable import NoticesKit

@Suite struct LoaderTests {
    @Test func naiveTimestampIsReadInSettingsTimezone() throws {
        var files = TreeFixture.base
        files["notices.yaml"] = "timezone: Europe/Paris\n"
        files["m.yaml"] = """
        maintenances:
          - id: m1
            summary: s
            provider: zayo
            status: CONFIRMED
            start: 2026-07-01T10:00:00
            end: 2026-07-01T12:30:00+02:00
        """
        let tree = try TreeFixture(files)
        defer { tree.remove() }
        let result = tree.load()
        #expect(result.diagnostics.isEmpty)
        let event = try #require(result.model.events.first)
        #expect(event.start?.rfc3339 == "2026-07-01T08:00:00Z") // CEST, UTC+2
        #expect(event.end?.rfc3339 == "2026-07-01T10:30:00Z")
    }

    /// organization.domain names Message-IDs: as given, else from organization.email,
    /// else from eml.from, else empty (SPEC §1.10).
    @Test(arguments: [
        ("organization: {name: Example Networks, email: noc@example.net, domain: mail.example.org}", "mail.example.org"),
        ("organization: {email: noc@example.net}\neml: {from: NOC <noc@other.example>}", "example.net"),
        ("eml: {from: \"Example NOC <noc@other.example>\"}", "other.example"),
        ("eml: {from: noc@other.example}", "other.example"),
        ("netbox_url: https://netbox.example", ""),
    ])
    func organizationDomainDefaults(settings: String, domain: String) throws {
        var files = TreeFixture.base
        files["notices.yaml"] = settings + "\n"
        let tree = try TreeFixture(files)
        defer { tree.remove() }
        let result = tree.load()
        #expect(result.diagnostics.isEmpty, Comment(rawValue: result.diagnostics.map(\.description).joined(separator: "\n")))
        #expect(result.model.settings.organization.domain == domain)
        #expect(MessageThread.messageID("m", settings: result.model.settings) == "<m@\(domain.isEmpty ? "notices.invalid" : domain)>")
    }

    @Test func settingsVarsAreFreeFormData() throws {
        var files = TreeFixture.base
        files["notices.yaml"] = "vars:\n  support_hours: 24/7\n  escalation: [noc, duty]\n  sla: 0012\n"
        let tree = try TreeFixture(files)
        defer { tree.remove() }
        let result = tree.load()
        #expect(result.diagnostics.isEmpty)
        #expect(result.model.settings.vars.map(\.0) == ["support_hours", "escalation", "sla"])
        #expect(result.model.settings.vars[1].1 == .list([.string("noc"), .string("duty")]))
        #expect(result.model.settings.vars[2].1 == .int(12))
    }

    @Test func winterNaiveTimestampUsesStandardOffset() {
        let paris = TimeZone(identifier: "Europe/Paris")!
        let t = try! TimestampParser.parse("2026-01-22T14:30:00.25", defaultZone: paris).get()
        #expect(t.rfc3339 == "2026-01-22T13:30:00.250000Z")
    }

    @Test func textFieldsKeepScalarsAsWritten() throws {
        var files = TreeFixture.base
        files["t.yaml"] = """
        tenants:
          - slug: no
            name: 0012
            description: 1e3
            custom_fields: {a: no, b: 0012, c: 1e3, d: "x", e: ~, f: 0x1F, g: .inf}
        """
        let tree = try TreeFixture(files)
        defer { tree.remove() }
        let result = tree.load()
        #expect(result.diagnostics.isEmpty)
        let t = try #require(result.model.tenants.first { $0.slug == "no" })
        #expect(t.name == "0012")
        #expect(t.description == "1e3")
        #expect(t.customFields == .map([("a", .string("no")), ("b", .int(12)), ("c", .double(1000)), ("d", .string("x")),
                                         ("e", .null), ("f", .int(31)), ("g", .double(.infinity))]))
    }

    @Test func impactsKeepInlineThenCollectionOrder() throws {
        var files = TreeFixture.base
        files["z.yaml"] = "impacts:\n  - {maintenance: m1, circuit: C2}\n"
        files["a.yaml"] = """
        maintenances:
          - id: m1
            summary: s
            provider: zayo
            status: CONFIRMED
            start: 2026-01-01T00:00:00Z
            end: 2026-01-01T01:00:00Z
            impacts:
              - {circuit: C1, impact: OUTAGE}
        """
        let tree = try TreeFixture(files)
        defer { tree.remove() }
        let m = tree.load().model
        #expect(m.events[0].impacts.map(\.target.key) == ["C1", "C2"])
    }

    @Test func contactIdDefaultsToEmailThenSlugifiedName() throws {
        var files = TreeFixture.base
        files["c.yaml"] = """
        contacts:
          - {name: Ann, email: ann@example.com}
          - {name: "Léa O'Brien  Smith"}
        """
        let tree = try TreeFixture(files)
        defer { tree.remove() }
        #expect(tree.load().model.contacts.map(\.id) == ["ann@example.com", "lea-obrien-smith"])
    }

    @Test func hiddenOutputAndUnlistedPathsAreSkipped() throws {
        var files = TreeFixture.base
        files[".hidden/x.yaml"] = "bogus: 1\n"
        files["out/manifest.json"] = "{\"format\": 1}"
        files["README.txt"] = "not data"
        let tree = try TreeFixture(files)
        defer { tree.remove() }
        #expect(tree.problems().isEmpty)
        #expect(tree.load().model.files == ["inventory.yaml", "org.yaml"])

        var limited = TreeFixture.base
        limited["notices.yaml"] = "paths: [org.yaml]\n"
        let t2 = try TreeFixture(limited)
        defer { t2.remove() }
        #expect(t2.load().model.files == ["org.yaml"])
    }

    /// The same records, split across files in a different order, give the same model.
    @Test func fileOrderDoesNotMatter() throws {
        let a = try TreeFixture(["1.yaml": "providers:\n  - slug: b\n", "2.yaml": "providers:\n  - slug: a\n"])
        let b = try TreeFixture(["2.yaml": "providers:\n  - slug: a\n", "1.yaml": "providers:\n  - slug: b\n"])
        defer { a.remove(); b.remove() }
        #expect(a.load().model.providers.map(\.slug) == ["b", "a"])
        #expect(b.load().model.providers.map(\.slug) == ["b", "a"])
        #expect(a.load().model.files == b.load().model.files)
    }

    @Test func carrierExampleValidatesClean() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/carrier")
        let result = Loader.load(root: root)
        #expect(result.diagnostics.map(\.description) == [])
        #expect(Validation.summary(result.model) == "ok: 3 providers, 6 tenants, 11 contacts, 34 inventory objects, 6 maintenances, 2 outages, 23 impacts, 11 templates, 1 standalone message")
    }

    @Test func pythonJSONBytes() {
        let v = JSONValue.object([("b", .array([.int(1), .double(0.1), .double(1e16), .null])),
                                  ("a", .string("Zürich/\u{1f}\"")), ("c", .object([])), ("d", .array([]))])
        #expect(v.pythonDumps() == """
        {
          "a": "Zürich/\\u001f\\"",
          "b": [
            1,
            0.1,
            1e+16,
            null
          ],
          "c": {},
          "d": []
        }
        """)
    }
}
