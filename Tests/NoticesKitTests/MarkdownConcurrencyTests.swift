import Dispatch
import Foundation
import Testing
@testable import NoticesKit

/// Markdown renders in parallel with exactly the bytes of a lone render.
///
/// cmark-gfm keeps the extensions' special characters (`:` and `w` for autolinks, `~`
/// for strikethrough) in a process-wide table that every parse used to switch on at its
/// start and off at its end, so a parse finishing on one thread switched them off under
/// a parse still running on another: a URL then came out as plain text. `Markdown`
/// switches them on once and for good; this test fails (within a few rounds) when each
/// parse manages them itself again. Run it under ThreadSanitizer with
/// `swift test --sanitize=thread --filter MarkdownConcurrencyTests`.
@Suite struct MarkdownConcurrencyTests {
    /// Inputs whose HTML depends on the extensions' special characters, plus the
    /// cmarkgfm corpus; expected bytes come from cmarkgfm (the corpus) or a lone render.
    static let samples: [String] = [
        "See https://status.example.net/maint/42 for details",
        "Portal: www.example.net/maintenance and ~~old window~~ new window",
        "| Circuit | Link |\n|---|---|\n| C-1 | https://example.net/c/1 |\n| C-2 | ~~gone~~ |",
        "Mail noc@example.net or visit http://example.org.",
        "- item with www.example.com\n- ~~struck~~ item\n- plain",
        // Long enough that short parses start and finish on other threads meanwhile.
        (1...400).map { "Line \($0): https://example.net/n/\($0) and ~~was \($0)~~" }.joined(separator: "\n"),
    ]

    @Test func parallelRendersEqualLoneRenders() throws {
        let corpus = MarkdownTests.corpus
        let inputs = Self.samples + corpus.map(\.markdown)
        let expected = try Self.samples.map { try Markdown.html($0) } + corpus.map(\.html)
        #expect(expected[0].contains("<a href=\"https://status.example.net/maint/42\">"))
        #expect(expected[1].contains("<del>old window</del>"))

        let perRound = inputs.count * 8
        for round in 0..<40 {
            let results = Results(count: perRound)
            DispatchQueue.concurrentPerform(iterations: perRound) { i in
                results.set(i, (try? Markdown.html(inputs[i % inputs.count])) ?? "<error>")
            }
            let wrong = (0..<perRound).filter { results.get($0) != expected[$0 % inputs.count] }
            #expect(wrong.isEmpty, "round \(round): \(wrong.count) of \(perRound) renders differ, first: \(wrong.first.map { inputs[$0 % inputs.count].debugDescription } ?? "")")
            if !wrong.isEmpty { return }
        }
    }

    /// Slots written by many threads, one slot per thread at a time.
    final class Results: @unchecked Sendable {
        private var slots: [String]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: "", count: count) }
        func set(_ i: Int, _ value: String) { lock.withLock { slots[i] = value } }
        func get(_ i: Int) -> String { lock.withLock { slots[i] } }
    }
}
