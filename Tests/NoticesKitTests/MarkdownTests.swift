import Foundation
import Testing
@testable import NoticesKit

/// Markdown → HTML equals PyPI cmarkgfm's with the same options (markdown_reference.py).
@Suite struct MarkdownTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let markdown: String
        let html: String
        var testDescription: String { markdown.debugDescription }
    }

    static let corpus: [Case] = {
        guard let url = Bundle.module.url(forResource: "Fixtures/markdown", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode([Case].self, from: data)) ?? []
    }()

    @Test func corpusIsLoaded() { #expect(Self.corpus.count >= 60) }

    @Test(arguments: corpus)
    func matchesCmarkgfm(_ c: Case) throws {
        #expect(try Markdown.html(c.markdown) == c.html)
    }
}
