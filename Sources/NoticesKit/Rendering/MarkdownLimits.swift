import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Bounds on Markdown rendering. Provider summaries are untrusted, and cmark-gfm
/// (0.29.0.gfm.6, Debian's) amplifies some inputs: a table pads every row to its
/// header's width (18 KB gave 100 MB of HTML), a long header row costs quadratic time,
/// a link definition is copied into every use, runs of `![[]()` are quadratic. Each
/// cost is estimated from the text before cmark sees it, and the input and output of
/// all Markdown of one message are bounded (docs/SECURITY.md).
enum MarkdownLimits {
    /// Bytes of Markdown one message may render (its body and every `markdown` filter).
    static let maxInput = 256 * 1024
    /// Bytes of HTML one message's Markdown may produce.
    static let maxOutput = 8 * 1024 * 1024
    /// Table cells (columns × rows, empty padding included) in one document.
    static let maxTableCells = 100_000
    /// Σ (pipes in a line)² over the lines of tables: parsing a row costs that.
    static let maxTableRowWork = 10_000_000
    /// Bytes that link definitions may be copied into their uses.
    static let maxReferenceCopies = 4 * 1024 * 1024
    /// Image openers (`![`) × closing brackets: cmark-gfm walks the openers per link.
    static let maxBracketWork = 20_000_000

    struct Exceeded: Error, CustomStringConvertible {
        var description: String
    }

    /// What would make `text` too costly to render, or nil.
    static func problem(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { problem(bytes: $0) }
    }

    static func problem(bytes u: UnsafeBufferPointer<UInt8>) -> String? {
        var cells = 0, rowWork = 0, closers = 0, images = 0, longestDefinition = 0
        // Blocks of non-blank lines: a table, a paragraph and a link definition end at a
        // blank line. Each line: start, end, pipes, dash runs (if it may be a delimiter row).
        var block: [(start: Int, end: Int, pipes: Int, columns: Int?)] = []
        // The first `]:` of the block: a link definition runs at most to the block's end.
        var firstDefinition: Int?
        func closeBlock() {
            defer {
                block.removeAll(keepingCapacity: true)
                firstDefinition = nil
            }
            if let first = firstDefinition, let last = block.last { longestDefinition = max(longestDefinition, last.end - first) }
            guard block.contains(where: { $0.columns != nil }) else { return }
            for (k, line) in block.enumerated() {
                if let columns = line.columns { cells += columns * (block.count - k + 1) }
                rowWork += line.pipes * line.pipes
            }
        }
        var i = 0
        while i <= u.count {
            var end = i
            while end < u.count, u[end] != 0x0A, u[end] != 0x0D { end += 1 }
            var pipes = 0, dashRuns = 0, blank = true, delimiterLike = true
            var j = i
            while j < end {
                let c = u[j]
                switch c {
                case 0x7C: pipes += 1; blank = false  // |
                case 0x2D:  // -
                    if j == i || u[j - 1] != 0x2D { dashRuns += 1 }
                    blank = false
                case 0x20, 0x09, 0x3A, 0x3E: if c != 0x20 && c != 0x09 { blank = false }  // space tab : >
                default: blank = false; delimiterLike = false
                }
                if c == 0x5D {  // ]
                    closers += 1
                    if j + 1 < end, u[j + 1] == 0x3A, firstDefinition == nil { firstDefinition = j }
                }
                if c == 0x21, j + 1 < end, u[j + 1] == 0x5B { images += 1 }  // ![
                j += 1
            }
            if blank {
                closeBlock()
            } else {
                block.append((i, end, pipes, delimiterLike && dashRuns > 0 ? dashRuns : nil))
            }
            if end >= u.count { break }
            i = end + (u[end] == 0x0D && end + 1 < u.count && u[end + 1] == 0x0A ? 2 : 1)
        }
        closeBlock()
        if cells > maxTableCells {
            return "its tables would have over \(maxTableCells) cells (columns × rows; short rows are padded to the header's width)"
        }
        if rowWork > maxTableRowWork {
            return "its table rows have too many cells (the sum over rows of ('|' per row)² is over \(maxTableRowWork))"
        }
        if longestDefinition * closers > maxReferenceCopies {
            return "a link definition of \(longestDefinition) bytes could be copied into \(closers) links (over \(maxReferenceCopies) bytes)"
        }
        if images * closers > maxBracketWork {
            return "it has too many images and brackets (\(images) '![' × \(closers) ']', over \(maxBracketWork))"
        }
        return nil
    }
}

/// The Markdown budget of the message being rendered on this thread (a message is
/// rendered on one thread from start to end); without one, each call has the budget.
final class MarkdownBudget {
    var input = 0
    var output = 0

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    static var current: MarkdownBudget? {
        pthread_getspecific(key).map { Unmanaged<MarkdownBudget>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Runs `body` with a fresh budget for this thread.
    static func perMessage<T>(_ body: () throws -> T) rethrows -> T {
        let budget = MarkdownBudget()
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passUnretained(budget).toOpaque())
        defer {
            pthread_setspecific(key, previous)
            withExtendedLifetime(budget) {}
        }
        return try body()
    }

    /// Charges input before a render; throws when the message's Markdown is too large
    /// or costly.
    static func chargeInput(_ text: String) throws {
        let bytes = text.utf8.count
        let used = (current?.input ?? 0) + bytes
        if used > MarkdownLimits.maxInput {
            throw MarkdownLimits.Exceeded(description: "Markdown of \(used) bytes in one message is over the limit of \(MarkdownLimits.maxInput) bytes")
        }
        if let problem = MarkdownLimits.problem(text) {
            throw MarkdownLimits.Exceeded(description: "Markdown refused: \(problem)")
        }
        current?.input = used
    }

    static func chargeOutput(_ html: String) throws {
        let used = (current?.output ?? 0) + html.utf8.count
        if used > MarkdownLimits.maxOutput {
            throw MarkdownLimits.Exceeded(description: "Markdown gave \(used) bytes of HTML in one message, over the limit of \(MarkdownLimits.maxOutput) bytes")
        }
        current?.output = used
    }
}
