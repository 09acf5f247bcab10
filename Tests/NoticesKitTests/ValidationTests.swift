import Foundation
import Testing
import TestSupport
@testable import NoticesKit

@Suite struct ValidationTests {
    @Test func templateSyntaxErrorsAreReportedByValidate() throws {
        var files = TreeFixture.base
        files["t.yaml"] = """
        templates:
          - slug: inline
            event_type: maintenance
            subject_template: "{{ maintenance.name"
          - {slug: filed, event_type: maintenance, body_template_file: body.j2}
        """
        files["body.j2"] = "line 1\n{% for x in xs %}\n{{ x|nosuch }}\n"
        let tree = try TreeFixture(files)
        defer { tree.remove() }
        #expect(Validation.validate(root: tree.root).diagnostics.map(\.description) == [
            "body.j2:2:4: error: body_template of template 'filed': line 2: Unexpected end of template. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.",
            "t.yaml:4:23: error: subject_template of template 'inline': line 1: unexpected end of template, expected 'end of print statement'.",
        ])
    }
}
