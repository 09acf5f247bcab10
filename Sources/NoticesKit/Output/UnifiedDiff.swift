/// A unified diff of two texts: the standard library's `CollectionDifference` of their
/// lines, in hunks with three lines of context.
package enum UnifiedDiff {
    enum Op { case same(String), del(String), add(String) }

    /// The edit script: every line of both texts, in order, removals before insertions.
    static func ops(_ a: [String], _ b: [String]) -> [Op] {
        let difference = b.difference(from: a)
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var ops: [Op] = []
        ops.reserveCapacity(max(a.count, b.count))
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count && removed.contains(i) { ops.append(.del(a[i])); i += 1 }
            else if j < b.count && inserted.contains(j) { ops.append(.add(b[j])); j += 1 }
            else { ops.append(.same(a[i])); i += 1; j += 1 }
        }
        return ops
    }

    package static func diff(old: String, new: String, path: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let ops = ops(a, b)
        var out = "--- a/\(path)\n+++ b/\(path)\n"
        var k = 0
        var oldLine = 1, newLine = 1
        while k < ops.count {
            if case .same = ops[k] { oldLine += 1; newLine += 1; k += 1; continue }
            // A hunk: from 3 lines before this change to 3 lines after the last nearby change.
            let start = max(0, k - 3)
            var end = k
            var lastChange = k
            while end < ops.count {
                if case .same = ops[end] {
                    if end - lastChange > 6 { break }
                } else {
                    lastChange = end
                }
                end += 1
            }
            end = min(ops.count, lastChange + 4)
            let back = k - start
            var oStart = oldLine - back, nStart = newLine - back
            var oCount = 0, nCount = 0
            var body = ""
            for op in ops[start..<end] {
                switch op {
                case .same(let s): body += " \(s)\n"; oCount += 1; nCount += 1
                case .del(let s): body += "-\(s)\n"; oCount += 1
                case .add(let s): body += "+\(s)\n"; nCount += 1
                }
            }
            if oCount == 0 { oStart -= 1 }
            if nCount == 0 { nStart -= 1 }
            out += "@@ -\(oStart),\(oCount) +\(nStart),\(nCount) @@\n" + body
            for op in ops[k..<end] {
                switch op {
                case .same: oldLine += 1; newLine += 1
                case .del: oldLine += 1
                case .add: newLine += 1
                }
            }
            k = end
        }
        return out
    }
}
