import Testing
@testable import NoticesKit

@Suite struct UnifiedDiffTests {
    @Test func hunksWithThreeLinesOfContext() {
        let old = (1...12).map { "line \($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "line 2\n", with: "line two\n").replacingOccurrences(of: "line 11\n", with: "")
        #expect(UnifiedDiff.diff(old: old, new: new, path: "body.txt") == """
        --- a/body.txt
        +++ b/body.txt
        @@ -1,5 +1,5 @@
         line 1
        -line 2
        +line two
         line 3
         line 4
         line 5
        @@ -8,5 +8,4 @@
         line 8
         line 9
         line 10
        -line 11
         line 12

        """)
    }

    @Test func additionsToAnEmptyTextAndNoChange() {
        #expect(UnifiedDiff.diff(old: "", new: "a\nb", path: "f") == "--- a/f\n+++ b/f\n@@ -1,1 +1,2 @@\n-\n+a\n+b\n")
        #expect(UnifiedDiff.diff(old: "same\ntext", new: "same\ntext", path: "f") == "--- a/f\n+++ b/f\n")
    }

    /// Large texts are diffed too (the edit script is the standard library's, not an
    /// n·m table).
    @Test func largeTextsAreDiffed() {
        let old = (0..<50_000).map { "line \($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "line 25000\n", with: "changed\n")
        let diff = UnifiedDiff.diff(old: old, new: new, path: "big")
        #expect(diff.contains("@@ -24998,7 +24998,7 @@\n line 24997\n line 24998\n line 24999\n-line 25000\n+changed\n line 25001\n"))
    }
}
