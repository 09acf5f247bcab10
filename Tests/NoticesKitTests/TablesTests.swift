import Foundation
import Jinja
import Testing
import TestSupport
@testable import NoticesKit

/// A field added to a record's table reaches the loader's checks, `notices schema`,
/// the template objects and the input fingerprint, with no other code.
@Suite struct TablesTests {
    static var tables: Tables {
        var t = Tables.standard
        t.provider = t.provider.adding([Field("region", .choice(["eu", "us"]), doc: "Where the provider operates.")])
        t.template = t.template.adding([Field("audience", .text, doc: "Who the template writes to.")])
        return t
    }

    static func load(region: String, audience: String = "customers", tables: Tables = TablesTests.tables) -> LoadResult {
        let data = """
        providers: [{slug: zayo, name: Zayo, region: \(region)}]
        tenants: [{slug: acme}]
        circuits: [{cid: C1, provider: zayo, tenant: acme}]
        maintenances:
          - {id: m1, summary: Work, provider: zayo, status: CONFIRMED, start: 2026-01-22T14:30:00Z, end: 2026-01-22T18:00:00Z,
             impacts: [{circuit: C1}]}
        templates:
          - {slug: t, event_type: maintenance, audience: \(audience), subject_template: s,
             body_template: "{{ maintenance.provider.region }} {{ template.audience }}"}
        """
        return Loader.load(files: [("data.yaml", Data(data.utf8))], root: URL(fileURLWithPath: "/nonexistent-notices-root"), tables: tables)
    }

    @Test func theLoaderChecksTheNewField() {
        #expect(Self.load(region: "eu").diagnostics.map(\.description) == [])
        #expect(Self.load(region: "eu").model.providers[0].values.text("region") == "eu")
        #expect(Self.load(region: "mars").diagnostics.map(\.description) ==
                ["data.yaml:1:46: error: 'mars' is not a valid region for provider; expected one of eu, us"])
        // Without the table entry, the field is unknown.
        #expect(Self.load(region: "eu", tables: .standard).diagnostics.map(\.description).contains(
            "data.yaml:1:38: error: unknown field 'region' in provider"))
    }

    @Test func theSchemaDescribesTheNewField() {
        guard case .object(let top) = Schema.document(Self.tables),
              case .object(let collections)? = top.first(where: { $0.0 == "properties" })?.1 else { Issue.record("no properties"); return }
        let providers = (collections.first { $0.0 == "providers" }?.1.pythonDumps() ?? "").filter { !$0.isWhitespace }
        #expect(providers.contains("\"region\":{\"enum\":[\"eu\",\"us\"]}"), Comment(rawValue: providers))
        #expect(!Schema.document().pythonDumps().contains("\"region\""))
    }

    @Test func templatesSeeTheNewField() throws {
        let loaded = Self.load(region: "us", audience: "engineers")
        let index = ModelIndex(loaded.model)
        let (plans, _) = Planner.planEvent(index.model.events[0], index)
        let rendered = try MessageRenderer(index: index).render(plans[0], id: plans[0].lineage, sequence: 1, now: Timestamp(seconds: 0))
        #expect(rendered.files["body.txt"] == Data("us engineers".utf8))
    }

    @Test func theFingerprintCoversTheNewField() {
        func fingerprint(_ loaded: LoadResult) -> String {
            let index = ModelIndex(loaded.model)
            let stage = RenderStage(renderer: MessageRenderer(index: index), cache: FingerprintCache(previous: [:], model: index.model),
                                    schedule: Schedule(Manifest(), now: Timestamp(seconds: 0)))
            let (plans, _) = Planner.planEvent(index.model.events[0], index)
            return stage.fingerprint(stage.schedule.job(for: plans[0], in: Manifest()), previous: nil)
        }
        let base = fingerprint(Self.load(region: "eu"))
        #expect(fingerprint(Self.load(region: "eu")) == base)
        // A provider field reaches the fingerprint through the template objects…
        #expect(fingerprint(Self.load(region: "us")) != base)
        // …and a template field through the run's digest.
        #expect(fingerprint(Self.load(region: "eu", audience: "engineers")) != base)
        #expect(InputFingerprint.runDigest(Self.load(region: "eu", audience: "engineers").model) != InputFingerprint.runDigest(Self.load(region: "eu").model))
    }
}
