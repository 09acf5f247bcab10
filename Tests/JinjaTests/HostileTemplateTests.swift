import Foundation
import Jinja
import Testing

/// Templates written to crash, hang or exhaust memory end with a clear, located error
/// (issue 20, items 10–13): our limits, not Jinja2 behaviour (docs/DECISIONS.md).
@Suite struct HostileTemplateTests {
    func render(_ source: String, templates: [String: String] = [:], _ vars: [String: Value] = [:]) -> String {
        var env = Environment()
        env.loader = DictionaryLoader(templates)
        do {
            return "rendered: " + (try env.fromString(source, name: "t.j2").render(vars))
        } catch let e as TemplateError {
            return e.description
        } catch {
            return "unexpected \(error)"
        }
    }

    // MARK: extends cycles (item 10)

    @Test func templateExtendingItselfIsAnError() {
        let t = ["self.j2": "{% extends 'self.j2' %}{% block b %}x{% endblock %}"]
        #expect(render("{% extends 'self.j2' %}", templates: t)
                == "self.j2:1:4: template 'self.j2' extends itself (through 2 templates): an extends cycle (extended by t.j2:1:4)")
    }

    @Test func twoTemplatesExtendingEachOtherIsAnError() {
        let t = ["a.j2": "{% extends 'b.j2' %}{% block x %}a{% endblock %}", "b.j2": "{% extends 'a.j2' %}{% block x %}b{% endblock %}"]
        #expect(render("{% extends 'a.j2' %}", templates: t)
                == "b.j2:1:4: template 'a.j2' extends itself (through 3 templates): an extends cycle (extended by a.j2:1:4, extended by t.j2:1:4)")
    }

    // MARK: memory bombs (item 11)

    @Test(arguments: [
        ("{{ 'x' * 10**9 }}", "t.j2:1:8: string too large: 1000000000 bytes (the limit is 16777216)"),
        ("{{ [1] * 10**9 }}", "t.j2:1:8: list too large: 1000000000 items (the limit is 16777216)"),
        ("{{ lipsum(10**9) }}", "t.j2:1:10: lipsum text too large: 320000000000 bytes (the limit is 16777216)"),
        ("{{ '%999999999s' % 1 }}", "t.j2:1:18: format width or precision too large: 999999999 (the limit is 16777216)"),
        ("{{ '{:999999999}'.format(1) }}", "t.j2:1:25: format width or precision too large: 999999999 (the limit is 16777216)"),
        ("{{ [1, 2]|batch(10**9, 0)|list }}", "t.j2:1:11: batch too large: 1000000000 items (the limit is 16777216)"),
        ("{{ [1, 2]|slice(10**9)|list }}", "t.j2:1:11: slice too large: 1000000000 items (the limit is 16777216)"),
        ("{{ 'a\\nb'|indent(10**9) }}", "t.j2:1:11: indentation too large: 1000000000 bytes (the limit is 16777216)"),
        ("{{ 'a'|center(10**9) }}", "t.j2:1:8: string too large: 1000000000 bytes (the limit is 16777216)"),
        ("{{ 'a'.ljust(10**9) }}", "t.j2:1:13: string too large: 1000000000 bytes (the limit is 16777216)"),
        ("{{ range(10**9)|length }}", "t.j2:1:9: range too large: 1000000000 items (the limit is 16777216)"),
        ("{{ 2 ** (10 ** 9) }}", "t.j2:1:6: integer too large (over 65536 bits)"),
        ("{% set ns = namespace(s='x' * 1000000) %}{% for i in range(100) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
         "t.j2:1:86: string too large: 32000000 bytes (the limit is 16777216)"),
    ])
    func memoryBombsFailFast(_ source: String, _ expected: String) {
        let start = Date()
        #expect(render(source) == expected)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    // MARK: 64-bit edges (item 12): Python's unbounded integers, no trap

    @Test(arguments: [
        ("{{ -9223372036854775808 // -1 }}", "9223372036854775808"),
        ("{{ -9223372036854775808 % -1 }}", "0"),
        ("{{ (-9223372036854775808)|abs }}", "9223372036854775808"),
        ("{{ -(-9223372036854775808) }}", "9223372036854775808"),
        ("{{ 9223372036854775807 + 1 }}", "9223372036854775808"),
        ("{{ 9223372036854775807 * 9223372036854775807 }}", "85070591730234615847396907784232501249"),
        ("{{ 2 ** 100 }}", "1267650600228229401496703205376"),
        ("{{ 10 ** 30 // 7 }}", "142857142857142857142857142857"),
        ("{{ (2 ** 64) / 2 }}", "9.223372036854776e+18"),
        ("{{ 'abc'|truncate(9223372036854775807) }}", "abc"),
        ("{{ 'abc'|truncate(9223372036854775807, leeway=9223372036854775807) }}", "abc"),
        ("{{ range(-9223372036854775808, 9223372036854775807, 4611686018427387904)|list }}",
         "[-9223372036854775808, -4611686018427387904, 0, 4611686018427387904]"),
        ("{{ '99999999999999999999'|int + 1 }}", "100000000000000000000"),
        ("{{ (2 ** 70)|string|length }}", "22"),
    ])
    func sixtyFourBitEdgesUsePythonIntegers(_ source: String, _ expected: String) {
        #expect(render(source) == "rendered: " + expected)
    }

    @Test func hugeRepetitionCountsAreLimitErrorsNotTraps() {
        #expect(render("{{ 'x' * 9223372036854775807 }}") == "t.j2:1:8: string too large: 9223372036854775807 bytes (the limit is 16777216)")
        #expect(render("{{ [1, 2] * 9223372036854775807 }}") == "t.j2:1:11: list too large: more than 16777216 items (the limit is 16777216)")
        #expect(render("{{ range(-9223372036854775808, 9223372036854775807)|length }}")
                == "t.j2:1:9: range too large: more than 16777216 items (the limit is 16777216)")
    }

    // MARK: nesting depth (item 13)

    @Test(arguments: [
        (String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000), "t.j2:1:105: expression nested too deeply (more than 100 levels)"),
        (String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000), "t.j2:1:105: expression nested too deeply (more than 100 levels)"),
        (String(repeating: "{'a': ", count: 10_000) + "1" + String(repeating: "}", count: 10_000), "t.j2:1:605: expression nested too deeply (more than 100 levels)"),
        ("1" + String(repeating: "|abs", count: 10_000), "t.j2:1:1602: expression too deeply nested (more than 400 levels); split it with {% set %}"),
        ("1" + String(repeating: " + 1", count: 50_000), "t.j2:1:1602: expression too deeply nested (more than 400 levels); split it with {% set %}"),
        (String(repeating: "not ", count: 10_000) + "1", "t.j2:1:408: expression nested too deeply (more than 100 levels)"),
        (String(repeating: "-", count: 10_000) + "1", "t.j2:1:105: expression nested too deeply (more than 100 levels)"),
    ])
    func deepExpressionsAreErrors(_ expression: String, _ expected: String) {
        #expect(render("{{ " + expression + " }}") == expected)
    }

    @Test func deepStatementsAreErrors() {
        let ifs = String(repeating: "{% if 1 %}", count: 10_000) + "x" + String(repeating: "{% endif %}", count: 10_000)
        #expect(render(ifs) == "t.j2:1:1011: statement nested too deeply (more than 100 levels)")
        let fors = String(repeating: "{% for i in [1] %}", count: 10_000) + String(repeating: "{% endfor %}", count: 10_000)
        #expect(render(fors) == "t.j2:1:1819: statement nested too deeply (more than 100 levels)")
    }

    @Test func deepRecursionThroughMacrosEndsCleanly() {
        #expect(render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
                == "t.j2:1:21: maximum recursion depth exceeded (150 nested macro calls, includes or blocks)")
    }

    // MARK: value cycles

    @Test func namespaceInsideItselfPrints() {
        #expect(render("{% set ns = namespace() %}{% set ns.me = ns %}{{ ns }}") == "rendered: <Namespace {'me': <Namespace {...}>}>")
    }

    @Test func emptyStringTimesHugeCountIsQuick() {
        #expect(render("{{ '' * 2 ** 70 }}|{{ [] * 9223372036854775807 }}") == "rendered: |[]")
    }
}
