import Foundation
import Testing
import TestSupport

/// The root command: --version, a mistyped command, and `-C DIR` before or after any
/// command (SPEC §4).
@Suite struct NoticesCommandTests {
    @Test func versionIsPrinted() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, Comment(rawValue: r.stdout))
    }

    @Test func aMistypedCommandGetsASuggestionAndExitsTwo() throws {
        let r = try CLI.run(["rendr", "examples/carrier"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("Error: unknown command 'rendr' (did you mean 'render'?)\n"), Comment(rawValue: r.stderr))
        let far = try CLI.run(["frobnicate"])
        #expect(far.status == 2)
        #expect(far.stderr.hasPrefix("Error: unknown command 'frobnicate'\n"), Comment(rawValue: far.stderr))
    }

    @Test func dashCWorksBeforeAndAfterEveryKindOfCommand() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        let parent = tree.root.deletingLastPathComponent().path
        let name = tree.root.lastPathComponent
        // ROOT as an argument (render, check, validate) and --root (list, approve): -C
        // makes both the current folder.
        #expect(try CLI.run(["-C", tree.root.path, "render", "--now", "2026-11-29T08:00:00Z", "-q"]).status == 0)
        #expect(try CLI.run(["check", "-C", tree.root.path]).stdout == "up to date\n")
        #expect(try CLI.run(["-C", parent, "-C", name, "validate"]).status == 0)
        // Repeated after the command too, each DIR relative to the one before (the
        // last alone, from the parent, would be a folder that does not exist).
        #expect(try CLI.run(["check", "-C", parent, "-C", name], cwd: URL(fileURLWithPath: "/")).stdout == "up to date\n")
        #expect(try CLI.run(["-C\(tree.root.path)", "check"]).stdout == "up to date\n")
        let list = try CLI.run(["list", "-C", tree.root.path, "--status", "draft"])
        #expect(list.stdout.split(separator: "\n").count == 21, Comment(rawValue: list.stdout + list.stderr))
        let id = "maintenance-zayo-2026-0142--acme"
        #expect(try CLI.run(["-C", tree.root.path, "approve", id, "--by", "t"]).stdout == "\(id): ready\n")
        #expect(try CLI.run(["-C", tree.root.path, "schema"]).status == 0)
        let missing = try CLI.run(["-C", tree.root.appendingPathComponent("nope").path, "render"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("-C: cannot change to"), Comment(rawValue: missing.stderr))
    }

    /// Inside the repository, `notices explain EVENT` is enough.
    @Test func explainTakesTheEventAloneInsideTheRepository() throws {
        let inside = try CLI.run(["explain", "zayo-2026-0142", "--tenant", "zurich-re"],
                                 cwd: CLI.repoRoot.appendingPathComponent("examples/carrier"))
        #expect(inside.status == 0, Comment(rawValue: inside.stderr))
        let outside = try CLI.run(["explain", "examples/carrier", "zayo-2026-0142", "--tenant", "zurich-re"])
        #expect(inside.stdout == outside.stdout)
        #expect(inside.stdout.hasPrefix("maintenance zayo-2026-0142 (TTN-0004567890)"))
        let none = try CLI.run(["explain"])
        #expect(none.status == 2)
    }
}
