import Foundation
import Testing
import TestSupport

/// Issue 20: input that would take unbounded memory or time, or a machine out of
/// resources, ends with a clear error (docs/SECURITY.md). Runs under a memory limit.
@Suite struct HostileResourceTests {
    static func markdownTree(summary: String) throws -> HostileTree {
        let events = HostileTree.base["events.yaml"]!.replacingOccurrences(of: "summary: Fibre work", with: "summary: \"\(summary)\"")
        return try HostileTree([
            "events.yaml": events,
            "templates.yaml": """
            templates:
              - slug: t
                event_type: maintenance
                subject_template: "Work"
                body_template: "# Notice\\n\\n{{ maintenance.summary }}"

            """,
        ])
    }

    /// Item 14: Markdown that cmark-gfm would blow up (a wide table header over many
    /// short rows, one link definition used everywhere, runs of `![[]()`) is refused
    /// quickly and in little memory, with the reason.
    static let bombs: [String: (summary: String, reason: String)] = [
        "wide table": ("|" + String(repeating: "a|", count: 3000) + "\\n|" + String(repeating: "-|", count: 3000) + "\\n"
                           + String(repeating: "a\\n", count: 24000),
                       "Markdown refused: its tables would have over 100000 cells (columns × rows; short rows are padded to the header's width)"),
        "link definition": ("[a]: http://x.example/" + String(repeating: "a", count: 30000) + "\\n\\n" + String(repeating: "[a]", count: 10000),
                            "Markdown refused: a link definition of 30020 bytes could be copied into 10001 links (over 4194304 bytes)"),
        "image brackets": (String(repeating: "![[]()", count: 10000),
                           "Markdown refused: it has too many images and brackets (10000 '![' × 10000 ']', over 20000000)"),
        "large": (String(repeating: "word ", count: 60000), "Markdown of 300010 bytes in one message is over the limit of 262144 bytes"),
    ]

    @Test(arguments: ["wide table", "link definition", "image brackets", "large"])
    func markdownAmplificationIsBounded(_ bomb: String) throws {
        let (summary, reason) = Self.bombs[bomb]!
        let tree = try Self.markdownTree(summary: summary)
        defer { tree.remove() }
        let (r, seconds) = try CLI.limited(["render", tree.root.path, "--now", "2026-01-01T00:00:00Z"], memory: 512 << 20, seconds: 60)
        #expect(r.status == 1)
        #expect(r.stderr == "templates.yaml:5:20: error: message maintenance-m1--acme, body of template 't': \(reason)\n")
        #expect(seconds < 10)
    }

    /// Item 14: the `markdown` filter shares the message's budget and says where.
    @Test func markdownFilterIsBounded() throws {
        let tree = try Self.markdownTree(summary: String(repeating: "![[]()", count: 10000))
        defer { tree.remove() }
        try tree.write("templates.yaml", """
            templates:
              - slug: t
                event_type: maintenance
                subject_template: "Work"
                body_template: "{{ maintenance.summary | markdown }}"
                body_format: html

            """)
        let (r, _) = try CLI.limited(["render", tree.root.path, "--now", "2026-01-01T00:00:00Z"], memory: 512 << 20, seconds: 60)
        #expect(r.status == 1)
        #expect(r.stderr == "templates.yaml:5:20: error: body_template of template 't' (message maintenance-m1--acme), line 1: "
                + "Markdown refused: it has too many images and brackets (10000 '![' × 10000 ']', over 20000000)\n")
    }

    /// Item 15: when no worker thread can be started, render still finishes.
    @Test func renderFinishesWhenThreadsCannotStart() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        _ = try CLI.run(["/bin/chmod", "-R", "a+rwX", tree.root.path], tool: true)
        let (r, _) = try CLI.limited(["render", tree.root.path, "--jobs", "2", "--now", "2026-11-29T08:00:00Z", "-q"],
                                     memory: 2 << 30, seconds: 60, processes: 1)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        #expect(try CLI.run(["check", tree.root.path]).stdout == "up to date\n")
    }

    /// Item 21: --now and SOURCE_DATE_EPOCH are range-checked as `mark --at` is.
    @Test func renderTimeIsRangeChecked() throws {
        let tree = try HostileTree()
        defer { tree.remove() }
        let future = try tree.run("render", ["--now", "2099-01-01T00:00:00Z"])
        #expect(future.status == 2)
        #expect(future.stderr.hasPrefix("Error: --now 2099-01-01T00:00:00Z is in the future (the clock says "))
        for (epoch, reason) in [("9223372036854775807", "SOURCE_DATE_EPOCH 9223372036854775807 is in the future"),
                                ("-1", "SOURCE_DATE_EPOCH '-1' is not a whole number of seconds since 1970-01-01T00:00:00Z"),
                                ("soon", "SOURCE_DATE_EPOCH 'soon' is not a whole number of seconds since 1970-01-01T00:00:00Z")] {
            for command in ["render", "check"] {
                let r = try tree.run(command, env: ["SOURCE_DATE_EPOCH": epoch])
                #expect(r.status == 2, "\(command) with \(epoch)")
                #expect(r.stderr.hasPrefix("Error: \(reason)"), Comment(rawValue: r.stderr))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: tree.url("out").path))
        let ok = try tree.run("render", env: ["SOURCE_DATE_EPOCH": "1767225600"])
        #expect(ok.status == 0)
        #expect(tree.read("out/manifest.json")?.contains("\"rendered_at\": \"2026-01-01T00:00:00Z\"") == true)
    }

    /// Item 19: a file-system failure is one readable line, never a Foundation dump.
    @Test func fileSystemErrorsAreReadable() throws {
        let tree = try HostileTree()
        defer { tree.remove() }
        let r = try tree.run("render", ["--out", "/dev/null/out", "--now", "2026-01-01T00:00:00Z"])
        #expect(r.status == 1)
        #expect(r.stderr == "error: /dev/null/out: Not a directory\n")
        #expect(!r.stderr.contains("NSCocoaErrorDomain") && !r.stderr.contains("Error Domain"))
    }
}
