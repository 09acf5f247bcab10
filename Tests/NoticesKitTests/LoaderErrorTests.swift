import Foundation
import Testing
import TestSupport
@testable import NoticesKit

/// One bad input each; the exact message and place are part of the contract.
struct BadInput: CustomTestStringConvertible, Sendable {
    let name: String
    let files: [String: String]
    let expected: [String]
    var testDescription: String { name }
}

let badInputs: [BadInput] = [
    BadInput(name: "malformed YAML", files: ["bad.yaml": "providers:\n  - slug: a\n   name: b\n"],
             expected: ["bad.yaml:3:4: error: invalid YAML: did not find expected '-' indicator (while parsing a block collection at line 2, column 3)"]),
    BadInput(name: "JSON syntax error", files: ["bad.json": "{\"providers\": [{\"slug\": \"a\",}]}"],
             expected: ["bad.json:1:29: error: invalid JSON: expected a string key"]),
    BadInput(name: "list where a mapping belongs", files: ["bad.yaml": "- providers\n"],
             expected: ["bad.yaml:1:1: error: a data file must be a mapping of collection names to lists, not a list"]),
    BadInput(name: "collection that is not a list", files: ["bad.yaml": "providers:\n  slug: a\n"],
             expected: ["bad.yaml:2:3: error: collection 'providers' must be a list of records, not a mapping"]),
    BadInput(name: "string where a number belongs", files: ["bad.yaml": """
        templates:
          - slug: t
            event_type: maintenance
            weight: heavy
        """],
             expected: ["bad.yaml:4:13: error: field 'weight' of template must be an integer, not 'heavy'"]),
    BadInput(name: "string where a boolean belongs", files: ["bad.yaml": """
        templates:
          - slug: t
            event_type: maintenance
            include_ical: yes
        """],
             expected: ["bad.yaml:4:19: error: field 'include_ical' of template must be true or false, not 'yes'"]),
    BadInput(name: "mapping where text belongs", files: ["bad.yaml": "providers:\n  - slug: {a: 1}\n"],
             expected: ["bad.yaml:2:11: error: field 'slug' of provider must be text, not a mapping"]),
    BadInput(name: "bad timestamp", files: ["bad.yaml": """
        maintenances:
          - id: m1
            summary: s
            provider: zayo
            status: CONFIRMED
            start: next tuesday
            end: 2026-01-01T01:00:00Z
        """],
             expected: ["bad.yaml:6:12: error: field 'start' of maintenance: 'next tuesday' is not an ISO 8601 date-time (expected e.g. 2026-01-22T14:30:00Z)"]),
    BadInput(name: "date without a time", files: ["bad.yaml": """
        maintenances:
          - id: m1
            summary: s
            provider: zayo
            status: CONFIRMED
            start: 2026-01-01
            end: 2026-01-01T01:00:00Z
        """],
             expected: ["bad.yaml:6:12: error: field 'start' of maintenance: '2026-01-01' is a date without a time; write a date-time such as 2026-01-01T00:00:00Z"]),
    BadInput(name: "out-of-range timestamp", files: ["bad.yaml": """
        maintenances:
          - id: m1
            summary: s
            provider: zayo
            status: CONFIRMED
            start: 2026-02-30T00:00:00Z
            end: 2026-03-01T01:00:00Z
        """],
             expected: ["bad.yaml:6:12: error: field 'start' of maintenance: '2026-02-30T00:00:00Z' is not a valid date-time (a field is out of range)"]),
    BadInput(name: "unknown time zone in an event", files: ["bad.yaml": """
        maintenances:
          - id: m1
            summary: s
            provider: zayo
            status: CONFIRMED
            start: 2026-01-01T00:00:00Z
            end: 2026-01-01T01:00:00Z
            original_timezone: Europe/Atlantis
        """],
             expected: ["bad.yaml:8:24: error: unknown time zone 'Europe/Atlantis' (expected an IANA name such as Europe/Paris)"]),
    BadInput(name: "unknown time zone in settings", files: ["notices.yaml": "timezone: Mars/Olympus\n"],
             expected: ["notices.yaml:1:11: error: unknown time zone 'Mars/Olympus' (expected an IANA name such as Europe/Paris)"]),
    BadInput(name: "end before start", files: ["bad.yaml": """
        maintenances:
          - id: m1
            summary: s
            provider: zayo
            status: CONFIRMED
            start: 2026-01-01T05:00:00Z
            end: 2026-01-01T01:00:00Z
        """],
             expected: ["bad.yaml:7:10: error: maintenance 'm1' ends (2026-01-01T01:00:00Z) before it starts (2026-01-01T05:00:00Z)"]),
    BadInput(name: "resolved outage without end", files: ["bad.yaml": """
        outages:
          - id: o1
            summary: s
            provider: zayo
            status: RESOLVED
            start: 2026-01-01T05:00:00Z
        """],
             expected: ["bad.yaml:5:13: error: outage 'o1' is RESOLVED but has no 'end'"]),
    BadInput(name: "missing required field", files: ["bad.yaml": """
        maintenances:
          - id: m1
            provider: zayo
            status: CONFIRMED
            start: 2026-01-01T00:00:00Z
            end: 2026-01-01T01:00:00Z
        """],
             expected: ["bad.yaml:2:5: error: maintenance is missing required field 'summary'"]),
    BadInput(name: "bad enum value", files: ["bad.yaml": """
        maintenances:
          - id: m1
            summary: s
            provider: zayo
            status: CONFIRMD
            start: 2026-01-01T00:00:00Z
            end: 2026-01-01T01:00:00Z
        """],
             expected: ["bad.yaml:5:13: error: 'CONFIRMD' is not a valid status for maintenance; expected one of TENTATIVE, CONFIRMED, CANCELLED, IN-PROCESS, COMPLETED, RE-SCHEDULED, UNKNOWN (did you mean 'CONFIRMED'?)"]),
    BadInput(name: "duplicate key across two files", files: ["a.yaml": "providers:\n  - slug: lumen\n", "b.yaml": "\nproviders:\n  - slug: lumen\n"],
             expected: ["b.yaml:3:5: error: duplicate provider 'lumen' (first defined at a.yaml:2:5)"]),
    BadInput(name: "duplicate key in one YAML mapping", files: ["bad.yaml": "providers:\n  - slug: a\n    slug: b\n"],
             expected: ["bad.yaml:3:5: error: duplicate key 'slug' (first at line 2, column 5)"]),
    BadInput(name: "duplicate key after nested lines and a comment",
             files: ["bad.yaml": "providers:\n  - slug: a\n    custom_fields:\n      name: x\n    # a comment\n\n    \"name\": b\n    name: c\n"],
             expected: ["bad.yaml:8:5: error: duplicate key 'name' (first at line 7, column 5)"]),
    BadInput(name: "duplicate key spelled plain and quoted", files: ["bad.yaml": "providers:\n  - slug: a\n    name: b\n    'name': c\n"],
             expected: ["bad.yaml:4:5: error: duplicate key 'name' (first at line 3, column 5)"]),
    BadInput(name: "duplicate key in a flow mapping", files: ["bad.yaml": "providers:\n  - {slug: a, name: x,  slug: b}\n"],
             expected: ["bad.yaml:2:25: error: duplicate key 'slug' (first at line 2, column 6)"]),
    BadInput(name: "duplicate key in a JSON object", files: ["bad.json": "{\"providers\": [{\"slug\": \"a\", \"slug\": \"b\"}]}"],
             expected: ["bad.json:1:30: error: duplicate key 'slug' (first at line 1, column 17)"]),
    BadInput(name: "JSON number without digits after the point", files: ["bad.json": "{\"providers\": [{\"slug\": \"a\", \"custom_fields\": {\"n\": 1.}}]}"],
             expected: ["bad.json:1:53: error: invalid JSON: bad number '1.'"]),
    BadInput(name: "JSON number with a leading zero", files: ["bad.json": "{\"providers\": [{\"slug\": \"a\", \"custom_fields\": {\"n\": -01}}]}"],
             expected: ["bad.json:1:53: error: invalid JSON: bad number '-01'"]),
    BadInput(name: "unknown collection", files: ["bad.yaml": "provider:\n  - slug: a\n"],
             expected: ["bad.yaml:1:1: error: unknown collection 'provider' (did you mean 'providers'?)"]),
    BadInput(name: "unknown field with suggestion", files: ["bad.yaml": "tenants:\n  - slug: t\n    nmae: T\n"],
             expected: ["bad.yaml:3:5: error: unknown field 'nmae' in tenant (did you mean 'name'?)"]),
    BadInput(name: "dangling provider reference", files: ["bad.yaml": """
        maintenances:
          - id: m1
            summary: s
            provider: zayoo
            status: CONFIRMED
            start: 2026-01-01T00:00:00Z
            end: 2026-01-01T01:00:00Z
        """],
             expected: ["bad.yaml:4:15: error: unknown provider 'zayoo' (did you mean 'zayo'?)"]),
    BadInput(name: "dangling tenant reference", files: ["bad.yaml": "devices:\n  - name: d1\n    tenant: acmee\n"],
             expected: ["bad.yaml:3:13: error: unknown tenant 'acmee' (did you mean 'acme'?)"]),
    BadInput(name: "dangling site reference", files: ["bad.yaml": "devices:\n  - name: d1\n    site: fra9\n"],
             expected: ["bad.yaml:3:11: error: unknown site 'fra9'"]),
    BadInput(name: "dangling role reference", files: ["bad.yaml": """
        contacts:
          - name: Ann
            email: ann@example.com
            assignments:
              - {tenant: acme, role: nocc}
        """],
             expected: ["bad.yaml:5:9: error: unknown contact role 'nocc' (did you mean 'noc'?)"]),
    BadInput(name: "dangling contact reference", files: ["bad.yaml": "contact_assignments:\n  - {contact: nobody, tenant: acme}\n"],
             expected: ["bad.yaml:2:5: error: unknown contact 'nobody'"]),
    BadInput(name: "dangling replaces", files: ["bad.yaml": """
        maintenances:
          - id: m1
            summary: s
            provider: zayo
            status: CONFIRMED
            start: 2026-01-01T00:00:00Z
            end: 2026-01-01T01:00:00Z
            replaces: m0
        """],
             expected: ["bad.yaml:8:15: error: unknown maintenance 'm0' (did you mean 'm1'?)"]),
    BadInput(name: "dangling impact target", files: ["bad.yaml": """
        maintenances:
          - id: m1
            summary: s
            provider: zayo
            status: CONFIRMED
            start: 2026-01-01T00:00:00Z
            end: 2026-01-01T01:00:00Z
            impacts:
              - {circuit: C3, impact: OUTAGE}
        """],
             expected: ["bad.yaml:9:9: error: unknown circuit 'C3' (did you mean 'C1'?)"]),
    BadInput(name: "impact for an unknown event", files: ["bad.yaml": "impacts:\n  - {maintenance: m9, circuit: C1}\n"],
             expected: ["bad.yaml:2:5: error: unknown maintenance 'm9'"]),
    BadInput(name: "same target twice", files: ["bad.yaml": """
        maintenances:
          - id: m1
            summary: s
            provider: zayo
            status: CONFIRMED
            start: 2026-01-01T00:00:00Z
            end: 2026-01-01T01:00:00Z
            impacts:
              - {circuit: C1, impact: OUTAGE}
        impacts:
          - {maintenance: m1, circuit: C1}
        """],
             expected: ["bad.yaml:11:5: error: maintenance 'm1' impacts circuit 'C1' twice (first at bad.yaml:9:9)"]),
    BadInput(name: "impact with two targets", files: ["bad.yaml": "impacts:\n  - {maintenance: m1, circuit: C1, device: d}\n"],
             expected: ["bad.yaml:2:5: error: impact names several targets (circuit, device); give exactly one"]),
    BadInput(name: "replaces cycle", files: ["bad.yaml": """
        maintenances:
          - {id: a, summary: s, provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z, replaces: b}
          - {id: b, summary: s, provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z, replaces: a}
          - {id: c, summary: s, provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z, replaces: a}
        """],
             expected: ["bad.yaml:2:126: error: maintenance 'a' is part of a cycle of replaces ('a' → 'b' → 'a')",
                        "bad.yaml:3:126: error: maintenance 'b' is part of a cycle of replaces ('a' → 'b' → 'a')"]),
    BadInput(name: "dangling extends", files: ["bad.yaml": "templates:\n  - slug: t\n    event_type: both\n    extends: layuot\n"],
             expected: ["bad.yaml:4:14: error: unknown template 'layuot'"]),
    BadInput(name: "extends cycle", files: ["bad.yaml": """
        templates:
          - {slug: a, event_type: both, extends: b}
          - {slug: b, event_type: both, extends: a}
        """],
             expected: ["bad.yaml:2:42: error: template 'a' extends itself through 'a'", "bad.yaml:3:42: error: template 'b' extends itself through 'b'"]),
    BadInput(name: "dangling scope object", files: ["bad.yaml": """
        templates:
          - slug: t
            event_type: both
            scopes:
              - {type: tenant, object: globex}
        """],
             expected: ["bad.yaml:5:9: error: unknown tenant 'globex'"]),
    BadInput(name: "unknown scope type", files: ["bad.yaml": """
        templates:
          - slug: t
            event_type: both
            scopes:
              - {type: tennant}
        """],
             expected: ["bad.yaml:5:9: error: unknown scope type 'tennant' (did you mean 'tenant'?)"]),
    BadInput(name: "standalone message with an event template", files: ["bad.yaml": """
        templates:
          - {slug: t, event_type: maintenance}
        messages:
          - {id: hello, template: t, contacts: []}
        """],
             expected: ["bad.yaml:4:27: error: message 'hello' uses template 't', whose event_type is 'maintenance'; a standalone message needs event_type none"]),
    BadInput(name: "missing template file", files: ["bad.yaml": "templates:\n  - {slug: t, event_type: both, body_template_file: nope.j2}\n"],
             expected: ["bad.yaml:2:53: error: file 'nope.j2' does not exist (looked for nope.j2)"]),
    BadInput(name: "path escape with ..", files: ["sub/bad.yaml": "templates:\n  - {slug: t, event_type: both, body_template_file: ../../etc/passwd}\n"],
             expected: ["sub/bad.yaml:2:53: error: path '../../etc/passwd' leads outside the input root"]),
    BadInput(name: "absolute path", files: ["bad.yaml": "templates:\n  - {slug: t, event_type: both, body_template_file: /etc/passwd}\n"],
             expected: ["bad.yaml:2:53: error: path '/etc/passwd' is absolute; write it relative to bad.yaml"]),
    BadInput(name: "inline and file template both given", files: ["bad.yaml": "templates:\n  - {slug: t, event_type: both, body_template: x, body_template_file: x.j2}\n", "x.j2": "x"],
             expected: ["bad.yaml:2:71: error: template 't' gives both 'body_template' and 'body_template_file'; keep one"]),
    BadInput(name: "invalid contact priority", files: ["bad.yaml": "contact_assignments:\n  - {contact: x, tenant: acme, priority: first}\ncontacts:\n  - {id: x, name: X}\n"],
             expected: ["bad.yaml:2:42: error: 'first' is not a valid priority for contact assignment; expected one of primary, secondary, tertiary, inactive"]),
    BadInput(name: "unknown settings key", files: ["notices.yaml": "ouput: build\n"],
             expected: ["notices.yaml:1:1: error: unknown field 'ouput' in settings (did you mean 'output'?)"]),
    BadInput(name: "organization e-mail that is not an address", files: ["notices.yaml": "organization:\n  email: NOC team\n"],
             expected: ["notices.yaml:2:10: error: organization.email 'NOC team' is not an e-mail address (expected name@example.net)"]),
    BadInput(name: "organization domain that is not a host name", files: ["notices.yaml": "organization:\n  domain: example..net\n"],
             expected: ["notices.yaml:2:11: error: organization.domain 'example..net' is not a domain name (ASCII letters, digits, '-' and '.'; write an international name in its xn-- form)"]),
    BadInput(name: "organization name over two lines", files: ["notices.yaml": "organization:\n  name: \"Example\\nBcc: x@evil.example\"\n"],
             expected: ["notices.yaml:2:9: error: organization.name must be a single line"]),
    BadInput(name: "unknown organization key", files: ["notices.yaml": "organization:\n  mail: noc@example.net\n"],
             expected: ["notices.yaml:2:3: error: unknown field 'mail' in organization settings (did you mean 'email'?)"]),
    BadInput(name: "vars that are not a mapping", files: ["notices.yaml": "vars: [a, b]\n"],
             expected: ["notices.yaml:1:7: error: field 'vars' of settings must be a mapping, not a list"]),
]

/// Bad input: the exact message and place of each problem.
extension LoaderTests {
    @Test(arguments: badInputs)
    func reportsExactProblem(_ input: BadInput) throws {
        var files = TreeFixture.base
        for (k, v) in input.files { files[k] = v }
        let tree = try TreeFixture(files)
        defer { tree.remove() }
        #expect(tree.problems() == input.expected)
    }

    @Test func symlinkEscapeIsRefused() throws {
        var files = TreeFixture.base
        files["bad.yaml"] = "templates:\n  - {slug: t, event_type: both, body_template_file: link.j2}\n"
        let tree = try TreeFixture(files)
        defer { tree.remove() }
        try FileManager.default.createSymbolicLink(atPath: tree.root.appendingPathComponent("link.j2").path,
                                                   withDestinationPath: "/etc/hostname")
        #expect(tree.problems() == ["bad.yaml:2:53: error: path 'link.j2' is a symbolic link that leads outside the input root"])
    }

    @Test func symlinkedDataFileOutsideRootIsRefused() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID().uuidString).yaml")
        try Data("providers:\n  - slug: evil\n".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        let tree = try TreeFixture(TreeFixture.base)
        defer { tree.remove() }
        try FileManager.default.createSymbolicLink(atPath: tree.root.appendingPathComponent("evil.yaml").path,
                                                   withDestinationPath: outside.path)
        #expect(tree.problems() == ["evil.yaml:1:1: error: symbolic link leads outside the input root"])
    }

    @Test func invalidUTF8IsReported() throws {
        let tree = try TreeFixture(TreeFixture.base)
        defer { tree.remove() }
        try Data([0x70, 0x72, 0xff, 0xfe, 0x0a]).write(to: tree.root.appendingPathComponent("bin.yaml"))
        #expect(tree.problems() == ["bin.yaml:1:1: error: file is not valid UTF-8"])
    }

    @Test func allProblemsAreReportedSortedByFileAndLine() throws {
        var files = TreeFixture.base
        files["b.yaml"] = "tenants:\n  - slug: t\n    colour: red\n"
        files["a.yaml"] = "providers:\n  - name: no slug\n  - slug: p\n    nam: P\n"
        let tree = try TreeFixture(files)
        defer { tree.remove() }
        #expect(tree.problems() == [
            "a.yaml:2:5: error: provider is missing required field 'slug'",
            "a.yaml:4:5: error: unknown field 'nam' in provider (did you mean 'name'?)",
            "b.yaml:3:5: error: unknown field 'colour' in tenant",
        ])
    }
}
