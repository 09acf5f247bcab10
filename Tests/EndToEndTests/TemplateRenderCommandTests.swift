import Foundation
import Testing
import TestSupport

/// `notices template render`: template errors name file, line and column like the
/// loader's diagnostics, list the include/extends/import tags that led there, and show
/// the source line with a caret.
@Suite struct TemplateRenderCommandTests {
    func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tpl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    @Test func runtimeErrorInAnIncludedTemplateShowsTheChainAndACaret() throws {
        let dir = try folder(["body.j2": "top\n{% include 'part.j2' %}\n", "part.j2": "ok\n\n  {{ missing.attr }}\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["template", "render", "body.j2", "--strict-undefined"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr == """
            part.j2:3:6: error: 'missing' is undefined
              included from body.j2:2:4
              |
            3 |   {{ missing.attr }}
              |      ^

            """)
    }

    @Test func syntaxErrorPointsAtTheColumn() throws {
        let dir = try folder(["t.j2": "line one\n\t{{ x|nosuch }}\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["template", "render", "t.j2"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stderr == "t.j2:2:7: error: No filter named 'nosuch'.\n  |\n2 | \t{{ x|nosuch }}\n  | \t     ^\n")
    }

    @Test func extendsCycleIsAnErrorNotAHang() throws {
        let dir = try folder(["a.j2": "{% extends 'b.j2' %}", "b.j2": "{% extends 'a.j2' %}{% block x %}{% endblock %}"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["template", "render", "a.j2"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("b.j2:1:4: error: template 'a.j2' extends itself (through 2 templates): an extends cycle\n  extended by a.j2:1:4\n"))
    }

    @Test func bigIntegersAndCodePointsFromTheJSONContext() throws {
        let dir = try folder(["t.j2": "{{ n + 1 }} {{ s|length }} {{ s|reverse|length }}"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["template", "render", "t.j2", "--context", #"{"n": 123456789012345678901234567890, "s": "e\u0301\r\n"}"#], cwd: dir)
        #expect(r.status == 0)
        #expect(r.stdout == "123456789012345678901234567891 4 4")
    }
}
