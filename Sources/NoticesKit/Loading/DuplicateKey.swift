import Yams

/// Where a YAML mapping repeats a key. Yams reports a duplicate at its first
/// occurrence; the mistake a user has to fix is the second one, so it is found in the
/// text: later in a flow mapping's line, or on a later line that starts at the first
/// key's column, before the mapping's indentation ends.
enum DuplicateKey {
    static func second(of key: String, in text: String, first: Mark) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let spellings = [key, "\"\(key)\"", "'\(key)'"].map { Array($0.unicodeScalars) }

        /// Whether `line` holds the key at `at` (0-based), followed by spaces and ':'.
        func keyAt(_ line: [Unicode.Scalar], _ at: Int) -> Bool {
            for s in spellings where at + s.count <= line.count && Array(line[at..<at + s.count]) == s {
                var i = at + s.count
                while i < line.count && line[i] == " " { i += 1 }
                if i < line.count && line[i] == ":" { return true }
            }
            return false
        }

        // A flow mapping on one line: `{slug: a, slug: b}`.
        let own = lines[first.line - 1]
        var i = first.column - 1 + key.unicodeScalars.count
        while i < own.count {
            if own[i] == "," || own[i] == "{" {
                var j = i + 1
                while j < own.count && own[j] == " " { j += 1 }
                if keyAt(own, j) { return (first.line, j + 1) }
            }
            i += 1
        }
        // A block mapping: the keys stand at the first key's column.
        for n in first.line..<lines.count {
            let line = lines[n]
            let indent = line.prefix { $0 == " " }.count
            if indent == line.count || line[indent] == "#" || (line[indent] == "\r" && indent + 1 == line.count) { continue }
            if indent + 1 < first.column { return nil }
            if indent + 1 == first.column && keyAt(line, indent) { return (n + 1, first.column) }
        }
        return nil
    }
}
