/// Python's `textwrap.wrap` with the options Jinja2's `wordwrap` passes, on code points.
enum TextWrap {
    typealias Chunk = [Unicode.Scalar]

    /// textwrap's chunks: runs of whitespace, and words split after hyphens that follow
    /// a letter (break_on_hyphens).
    static func chunks(_ text: [Unicode.Scalar], breakOnHyphens: Bool) -> [Chunk] {
        var out: [Chunk] = []
        var cur: Chunk = []
        var curIsSpace = false
        for c in text {
            let space = PyText.isSpace(c)
            if !cur.isEmpty && space != curIsSpace {
                out.append(cur)
                cur = []
            }
            cur.append(c)
            curIsSpace = space
            if breakOnHyphens && !space && c == "-" && cur.count > 1, PyText.isAlpha(cur[cur.count - 2]) {
                out.append(cur)
                cur = []
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    static func isBlank(_ c: Chunk) -> Bool { c.allSatisfy(PyText.isSpace) }

    static func wrap(_ text: String, width: Int, breakLongWords: Bool, breakOnHyphens: Bool) -> [String] {
        // Jinja2 passes expand_tabs=False and replace_whitespace=False.
        let expanded = Array(text.unicodeScalars)
        var chunks = Array(chunks(expanded, breakOnHyphens: breakOnHyphens).reversed())
        var lines: [String] = []
        while !chunks.isEmpty {
            var cur: [Chunk] = []
            var len = 0
            if !lines.isEmpty, let last = chunks.last, isBlank(last) { chunks.removeLast() }
            while let chunk = chunks.last {
                if len + chunk.count <= width {
                    cur.append(chunk)
                    len += chunk.count
                    chunks.removeLast()
                } else {
                    break
                }
            }
            if let chunk = chunks.last, chunk.count > width {
                let space = max(1, width - len)
                if breakLongWords {
                    cur.append(Array(chunk.prefix(space)))
                    chunks[chunks.count - 1] = Array(chunk.dropFirst(space))
                } else if cur.isEmpty {
                    cur.append(chunk)
                    chunks.removeLast()
                }
            }
            if let last = cur.last, isBlank(last) { cur.removeLast() }
            if !cur.isEmpty { lines.append(PyText.string(cur.joined())) }
        }
        return lines
    }
}
