import Foundation
import Testing
import TestSupport
@testable import NoticesKit

@Suite struct MessageRendererTests {
    func render(_ header: String, data: String = "Work", contact: String = "Ann") throws -> [String] {
        let tree = try TreeFixture(TreeFixture.base.merging([
            "c.yaml": "contacts: [{id: ann, name: \"\(contact)\", email: ann@x.example, assignments: [{tenant: acme}]}]\n",
            "m.yaml": """
            maintenances:
              - {id: m1, summary: "\(data)", provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z,
                 impacts: [{circuit: C1}]}
            templates:
              - slug: t
                event_type: maintenance
                subject_template: "{{ maintenance.summary }}"
                body_template: body
                headers_template: {\(header)}
            """,
        ]) { $1 })
        defer { tree.remove() }
        do {
            _ = try Render.run(root: tree.root, options: RenderOptions())
            return []
        } catch let e as DiagnosticsError {
            #expect(!FileManager.default.fileExists(atPath: tree.root.appendingPathComponent("out/manifest.json").path))
            return e.diagnostics.map(\.message)
        }
    }

    @Test func lineBreaksInHeaderValuesAreRefused() throws {
        #expect(try render("X-A: \"{{ 'a\\\\nBcc: evil@x' }}\"") == ["message maintenance-m1--acme: header 'X-A' of template 't' contains a line break (CR or LF), which could inject headers"])
        #expect(try render("X-A: \"{{ maintenance.summary }}\"", data: "a\\r\\nBcc: evil@x") == ["message maintenance-m1--acme: header 'X-A' of template 't' contains a line break (CR or LF), which could inject headers"])
    }

    @Test func lineBreaksInContactNamesAreRefused() throws {
        #expect(try render("X-A: ok", contact: "Ann\\r\\nBcc: evil@x") == ["field 'name' of contact contains a line break (U+000D); it must be one line of text"])
    }

    @Test func invalidHeaderNamesAreRefused() throws {
        #expect(try render("\"X A\": v") == ["template 't' may not set header 'X A': it is not a valid RFC 5322 field name (printable ASCII without spaces or ':')"])
    }

    @Test func subjectsAreCollapsedSoDataCannotInject() throws {
        #expect(try render("X-A: ok", data: "a\\r\\nBcc: evil@x") == [])
    }

    // MARK: iCal

    /// A render whose iCal template lacks a BCOP property fails, naming message,
    /// template and property, and writes nothing.
    @Test func missingPropertyFailsTheRender() throws {
        let ical = ICalTests.valid.replacingOccurrences(of: "  ORGANIZER:mailto:noc@x\n", with: "")
            .replacingOccurrences(of: "SUMMARY:Work\\, planned", with: "SUMMARY:Work, planned, unescaped")
        let indented = ical.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
        let tree = try TreeFixture(TreeFixture.base.merging([
            "m.yaml": """
            maintenances:
              - {id: m1, summary: s, provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z,
                 impacts: [{circuit: C1}]}
            templates:
              - slug: cal
                event_type: maintenance
                subject_template: s
                body_template: b
                include_ical: true
                ical_template: |
            \(indented)
            """,
        ]) { $1 })
        defer { tree.remove() }
        let r = Result { try Render.run(root: tree.root, options: RenderOptions()) }
        guard case .failure(let e as DiagnosticsError) = r else { Issue.record("render succeeded"); return }
        #expect(e.diagnostics.map(\.message) == ["message maintenance-m1--acme, template 'cal': invalid iCal: missing ORGANIZER"])
        #expect(!FileManager.default.fileExists(atPath: tree.root.appendingPathComponent("out/manifest.json").path))
    }
}
