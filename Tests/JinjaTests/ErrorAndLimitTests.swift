import Foundation
import Jinja
import Testing

@Suite struct ErrorAndLimitTests {
    func render(_ source: String, name: String = "body.md.j2", templates: [String: String] = [:],
                limits: Limits = Limits(), strict: Bool = false, _ vars: [String: Value] = [:]) -> Result<String, TemplateError> {
        var env = Environment()
        env.loader = DictionaryLoader(templates)
        env.limits = limits
        env.strictUndefined = strict
        do {
            return .success(try env.fromString(source, name: name).render(vars))
        } catch let e as TemplateError {
            return .failure(e)
        } catch {
            Issue.record("unexpected error type \(error)")
            return .failure(TemplateError(.runtime, "\(error)"))
        }
    }

    func message(_ r: Result<String, TemplateError>) -> String {
        switch r {
        case .success(let s): return "rendered: \(s)"
        case .failure(let e): return e.description
        }
    }

    @Test func syntaxErrorNamesTemplateLineAndCause() {
        let r = render("line one\n{% for x in xs %}\n{{ x }}\n{% endif %}")
        #expect(message(r) == "body.md.j2:4:4: Encountered unknown tag 'endif'. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.")
    }

    @Test func unclosedBlockAtEndOfTemplate() {
        #expect(message(render("{% if x %}\nyes\n")) == "body.md.j2:1:4: Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.")
    }

    @Test func unknownFilterIsASyntaxError() {
        #expect(message(render("a\n{{ x|nope }}")) == "body.md.j2:2:6: No filter named 'nope'.")
    }

    @Test func runtimeErrorsNameTheLine() {
        #expect(message(render("a\nb\n{{ 1 / 0 }}")) == "body.md.j2:3:6: division by zero")
        #expect(message(render("{{ x.y }}", strict: true)) == "body.md.j2:1:4: 'x' is undefined")
        #expect(message(render("\n{{ 'a' + 1 }}")) == "body.md.j2:2:8: can only concatenate str (not \"int\") to str")
    }

    @Test func errorsInsideIncludesNameTheIncludedTemplate() {
        let r = render("top\n{% include 'part.j2' %}", templates: ["part.j2": "ok\n\n{{ missing.attr }}"])
        #expect(message(r) == "part.j2:3:4: 'missing' is undefined (included from body.md.j2:2:4)")
    }

    @Test func missingTemplate() {
        #expect(message(render("{% include 'nope.j2' %}")) == "body.md.j2:1:4: template 'nope.j2' not found")
    }

    @Test func runawayMacroRecursionEndsWithAnError() {
        let r = render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
        guard case .failure(let e) = r else { Issue.record("expected failure"); return }
        #expect(e.kind == .limit)
        #expect(e.message.contains("maximum recursion depth exceeded"))
    }

    @Test func includeCycleEndsWithAnError() {
        let r = render("{% include 'a.j2' %}", templates: ["a.j2": "{% include 'b.j2' %}", "b.j2": "{% include 'a.j2' %}"])
        guard case .failure(let e) = r else { Issue.record("expected failure"); return }
        #expect(e.kind == .limit)
    }

    @Test func recursiveLoopWithoutEndIsBounded() {
        let r = render("{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}")
        guard case .failure(let e) = r else { Issue.record("expected failure"); return }
        #expect(e.kind == .limit)
    }

    @Test func hugeLoopRunsOutOfFuel() {
        var limits = Limits()
        limits.fuel = 100_000
        let r = render("{% for i in range(1000) %}{% for j in range(1000) %}x{% endfor %}{% endfor %}", limits: limits)
        #expect(message(r) == "body.md.j2:1:30: template exceeded its step limit (runaway loop?)")
    }

    @Test func outputSizeIsBounded() {
        var limits = Limits()
        limits.maxOutput = 1000
        let r = render("{% for i in range(100) %}{{ 'x' * 100 }}{% endfor %}", limits: limits)
        #expect(message(r) == "body.md.j2:1:33: output exceeds 1000 bytes")
    }

    @Test func templatesCannotReachTheHost() {
        // No attribute access escapes the values passed in: Python internals are undefined.
        #expect(message(render("{{ ''.__class__ }}|{{ range.__globals__ }}|{{ x.__dict__ }}", ["x": .dict(Dict())])) == "rendered: ||")
    }
}
