/// A unified diff of two texts (LCS over lines, three lines of context).
public enum UnifiedDiff {
    public static func diff(old: String, new: String, path: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Edit script from the LCS table; inputs are message files, small enough for O(n·m).
        let n = a.count, m = b.count
        guard n * m <= 4_000_000 else { return "--- a/\(path)\n+++ b/\(path)\n(file too large to diff)\n" }
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        enum Op { case same(String), del(String), add(String) }
        var ops: [Op] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j] { ops.append(.same(a[i])); i += 1; j += 1 }
            else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) { ops.append(.del(a[i])); i += 1 }
            else { ops.append(.add(b[j])); j += 1 }
        }
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
