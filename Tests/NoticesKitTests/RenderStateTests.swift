import Foundation
import Testing
import TestSupport
@testable import NoticesKit

/// The whole-run shortcut (OUT/.render-state): a render of an unchanged tree reports
/// what a full render would, and any change to an input file or the manifest makes the
/// next render a full one.
@Suite struct RenderStateTests {
    static let carrier = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/carrier")

    func copy() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("render-state-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.carrier, to: root)
        try? FileManager.default.removeItem(at: root.appendingPathComponent("out"))
        return root
    }

    func options() -> RenderOptions {
        var o = RenderOptions()
        // The example's own render time: no outage starts after it (no sanity warnings).
        o.now = Timestamp(seconds: 1_795_939_200)
        return o
    }

    func shortcut(_ root: URL) throws -> RenderSummary? {
        try Render.unchangedSinceLastRender(root: root, options: options())
    }

    func itip(_ method: String) -> String {
        "iCal METHOD:\(method) without ATTENDEE: RFC 5546 needs an ORGANIZER and at least one ATTENDEE, or calendar clients may not update the recipients' calendars"
    }

    @Test func unchangedTreeReportsWhatAFullRenderWould() throws {
        let root = try copy()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try Render.run(root: root, options: options())
        #expect(first.new == 21)
        let quick = try #require(try shortcut(root))
        // The same render without the state file takes the full path.
        try FileManager.default.removeItem(at: root.appendingPathComponent("out/.render-state"))
        #expect(try shortcut(root) == nil)
        let full = try Render.run(root: root, options: options())
        #expect(quick.line == full.line)
        #expect(quick.line == "0 new, 0 updated, 21 unchanged, 0 revisions, 0 removed, 0 orphaned, 1 warning")
        #expect(quick.warnings == full.warnings)
        #expect(quick.warnings.map(\.description) == [
            "org/contacts.yaml:32:5: warning: contact 'frank-ito' has no email; left out of the recipients for tenant 'globex'",
        ])
        #expect(try shortcut(root) != nil)
    }

    @Test func everyKindOfChangeEndsTheShortcut() throws {
        let root = try copy()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try Render.run(root: root, options: options())
        let changes: [(String, () throws -> Void)] = [
            ("edit a data file", { try self.append("\n# a comment\n", to: "events/outages.yaml", in: root) }),
            ("edit a template file", { try self.append("\n", to: "templates/outage.txt.j2", in: root) }),
            ("add a file", { try Data("x".utf8).write(to: root.appendingPathComponent("templates/new.j2")) }),
            ("remove a file", { try FileManager.default.removeItem(at: root.appendingPathComponent("templates/new.j2")) }),
            ("add a hidden file", { try Data("x".utf8).write(to: root.appendingPathComponent(".env")) }),
            ("approve a message (the manifest changes)", {
                _ = try Lifecycle.run(.approve, .ids(["maintenance-zayo-2026-0142--acme"]), out: OutputFolder(root.appendingPathComponent("out")),
                                      at: nil, by: "tester", message: nil)
            }),
        ]
        for (what, change) in changes {
            #expect(try shortcut(root) != nil, "before: \(what)")
            try change()
            #expect(try shortcut(root) == nil, "after: \(what)")
            _ = try Render.run(root: root, options: options())
        }
        // A leftover of an interrupted run is cleaned up by a full render.
        #expect(try shortcut(root) != nil)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("out/.staging"), withIntermediateDirectories: true)
        #expect(try shortcut(root) == nil)
        _ = try Render.run(root: root, options: options())
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/.staging").path))
        #expect(try shortcut(root) != nil)
    }

    @Test func stateFileRoundTripsWarningsWithTabsAndNewlines() throws {
        let state = RenderState(digest: "abc", messages: 7, orphaned: 2, warnings: [
            .warning(SourceLocation(file: "a b/c.yaml", line: 3, column: 9), "tab\there, newline\nthere, backslash \\ end"),
            .warning(nil, "no location"),
        ])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try state.serialized().write(to: url)
        #expect(RenderState.read(url) == state)
        try Data("notices-render-state 1\ndigest\tabc\nmessages\tmany\n".utf8).write(to: url)
        #expect(RenderState.read(url) == nil)
    }

    func append(_ text: String, to path: String, in root: URL) throws {
        let url = root.appendingPathComponent(path)
        var data = try Data(contentsOf: url)
        data.append(Data(text.utf8))
        try data.write(to: url)
    }
}
