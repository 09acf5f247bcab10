import Foundation
import Jinja
import Testing

/// A case from Fixtures/cases.json, produced by generate_fixtures.py with Python Jinja2.
struct FixtureCase: Decodable, CustomTestStringConvertible, Sendable {
    let id: Int
    let template: String
    let context: String
    let templates: [String: String]
    let flags: [String: Bool]
    let expected: String?
    let error: String?

    var testDescription: String { "#\(id) \(template.prefix(60))" }

    static let all: [FixtureCase] = {
        guard let url = Bundle.module.url(forResource: "Fixtures/cases", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode([FixtureCase].self, from: data)) ?? []
    }()

    func makeEnvironment() -> Environment {
        var env = Environment()
        env.options = LexerOptions(trimBlocks: flags["trim_blocks"] ?? false, lstripBlocks: flags["lstrip_blocks"] ?? false,
                                   keepTrailingNewline: flags["keep_trailing_newline"] ?? false)
        env.autoescape = flags["autoescape"] ?? false
        env.strictUndefined = flags["strict_undefined"] ?? false
        env.loader = DictionaryLoader(templates)
        return env
    }

    /// Our output, or "error: …" when we fail.
    func render() -> Result<String, Error> {
        Result {
            let vars = try JSONReader.context(context)
            return try makeEnvironment().fromString(template).render(vars)
        }
    }
}

@Suite struct FixtureTests {
    @Test func corpusIsLoaded() {
        #expect(FixtureCase.all.count >= 500)
        #expect(FixtureCase.all.filter { $0.error != nil }.count >= 50)
    }

    @Test(arguments: FixtureCase.all)
    func matchesPythonJinja2(_ c: FixtureCase) {
        let ours = c.render()
        if let expected = c.expected {
            switch ours {
            case .success(let out): #expect(out == expected)
            case .failure(let e): Issue.record("expected \(expected.debugDescription), got error \(e)")
            }
        } else {
            if case .success(let out) = ours {
                Issue.record("Jinja2 fails (\(c.error ?? "")) but we rendered \(out.debugDescription)")
            }
        }
    }
}
