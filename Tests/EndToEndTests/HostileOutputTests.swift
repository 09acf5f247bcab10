import Foundation
import Testing
import TestSupport

/// Issue 20, items 1, 2, 4, 17 and 20: the committed output folder is as untrusted as
/// the rest of the tree (docs/SECURITY.md). Its IDs never become paths, its links are
/// never followed, a manifest that is not SPEC §3.4's is refused before anything is
/// written, and OUT can neither be nor hold the input tree.
@Suite struct HostileOutputTests {
    static let now = ["--now", "2026-01-01T00:00:00Z"]
    static let id = "maintenance-m1--acme"

    /// A HostileTree rendered once, with `victim/keep.txt` and `victim/sub/` beside OUT:
    /// what an attack would delete or overwrite.
    func rendered() throws -> HostileTree {
        let tree = try HostileTree()
        let r = try tree.run("render", Self.now)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        try tree.write("victim/keep.txt", "keep\n")
        try FileManager.default.createDirectory(at: tree.url("victim/sub"), withIntermediateDirectories: true)
        return tree
    }

    func victimIsIntact(_ tree: HostileTree, sourceLocation: SourceLocation = #_sourceLocation) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: tree.url("victim").path))?.sorted()
        #expect(names == ["keep.txt", "sub"], sourceLocation: sourceLocation)
        #expect(tree.read("victim/keep.txt") == "keep\n", sourceLocation: sourceLocation)
    }

    func link(_ tree: HostileTree, _ path: String, to target: String) throws {
        let url = tree.url(path)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    func damaged(_ where_: String, _ why: String, _ tree: HostileTree) -> String {
        "\(tree.url("out/manifest.json").path):\(where_): error: damaged manifest: \(why); fix or restore it (it was not changed)\n"
    }

    /// Item 1: an ID or lineage of the manifest that is not one render writes never
    /// reaches a path: render (which would delete a vanished draft's folder), discard
    /// and check stop at the manifest, and nothing is written or removed.
    @Test func manifestIDsNeverBecomePaths() throws {
        let tree = try rendered()
        defer { tree.remove() }
        let good = try #require(tree.read("out/manifest.json"))
        let notAnID = "is not one notices writes (maintenance-, outage- or message- and then only a-z, 0-9, '.', '_' and '-'; "
            + "IDs name folders in the output folder)"
        let cases = [
            (good.replacingOccurrences(of: "\"\(Self.id)\"", with: "\"../../victim\""), "13:13", "message id '../../victim' \(notAnID)"),
            (good.replacingOccurrences(of: "\"lineage\": \"\(Self.id)\"", with: "\"lineage\": \"../../victim\""), "15:18",
             "message '\(Self.id)': lineage '../../victim' \(notAnID)"),
            (good.replacingOccurrences(of: "\"id\": \"\(Self.id)\"", with: "\"id\": \"maintenance-m1--acme--2\""), "13:13",
             "message 'maintenance-m1--acme--2': its id must be '\(Self.id)' (lineage '\(Self.id)', sequence 1)"),
            (good.replacingOccurrences(of: "\"\(Self.id)\"", with: "\"maintenance-m1\\r\\nx\""), "13:13",
             "message id 'maintenance-m1\\r\\nx' \(notAnID)"),
        ]
        for (text, location, why) in cases {
            try tree.write("out/manifest.json", text)
            for args in [["render", tree.root.path] + Self.now, ["discard", "--root", tree.root.path, "../../victim"],
                         ["check", tree.root.path], ["list", "--root", tree.root.path]] {
                let r = try CLI.run(args)
                #expect(r.status == 1, Comment(rawValue: args.joined(separator: " ")))
                #expect(r.stderr == damaged(location, why, tree), Comment(rawValue: args.joined(separator: " ")))
            }
            #expect(tree.read("out/manifest.json") == text)
            #expect(FileManager.default.fileExists(atPath: tree.url("out/messages/\(Self.id)/body.txt").path))
            victimIsIntact(tree)
        }
    }

    /// Item 2: a message folder committed as a link is replaced by a real folder when
    /// its draft is rendered again, never written through, and its target is untouched;
    /// `check` names it. A linked file in a real folder is replaced the same way.
    @Test func linkedMessageFoldersAreReplacedNotFollowed() throws {
        let tree = try rendered()
        defer { tree.remove() }
        try link(tree, "out/messages/\(Self.id)", to: "../../victim")
        try tree.write("events.yaml", try #require(tree.read("events.yaml")).replacingOccurrences(of: "Fibre work", with: "Fibre work 2"))
        let c = try tree.run("check")
        #expect(c.status == 1)
        #expect(c.stdout.contains("stale: messages/\(Self.id)/body.txt (its folder is a symbolic link, not followed)\n"), Comment(rawValue: c.stdout))
        let r = try tree.run("render", Self.now)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        victimIsIntact(tree)
        let folder = try FileManager.default.attributesOfItem(atPath: tree.url("out/messages/\(Self.id)").path)
        #expect(folder[.type] as? FileAttributeType == .typeDirectory)
        #expect(tree.read("out/messages/\(Self.id)/body.txt") == "Fibre work 2")
        #expect(try tree.run("check").stdout == "up to date\n")

        // A file of the folder linked to a file outside OUT: replaced, its target kept.
        try link(tree, "out/messages/\(Self.id)/body.txt", to: "../../../victim/keep.txt")
        try tree.write("events.yaml", try #require(tree.read("events.yaml")).replacingOccurrences(of: "Fibre work 2", with: "Fibre work 3"))
        #expect(try tree.run("render", Self.now).status == 0)
        victimIsIntact(tree)
        let file = try FileManager.default.attributesOfItem(atPath: tree.url("out/messages/\(Self.id)/body.txt").path)
        #expect(file[.type] as? FileAttributeType == .typeRegular)
        #expect(tree.read("out/messages/\(Self.id)/body.txt") == "Fibre work 3")

        // The folder of a draft whose event is gone, as a link: the link goes, its target stays.
        try link(tree, "out/messages/\(Self.id)", to: "../../victim")
        try tree.write("events.yaml", try #require(tree.read("events.yaml")).replacingOccurrences(of: "id: m1", with: "id: m2"))
        let gone = try tree.run("render", Self.now)
        #expect(gone.stdout.hasPrefix("1 new, 0 updated, 0 unchanged, 0 revisions, 1 removed"), Comment(rawValue: gone.stdout + gone.stderr))
        victimIsIntact(tree)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: tree.url("out/messages").path)) == ["maintenance-m2--acme"])

        // OUT/messages or OUT itself as a link: every command stops before writing.
        try FileManager.default.createDirectory(at: tree.url(".stash"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: tree.url("out/messages"), to: tree.url(".stash/messages"))
        try link(tree, "out/messages", to: "../.stash/messages")
        for args in [["render", tree.root.path] + Self.now, ["check", tree.root.path], ["approve", "--root", tree.root.path, Self.id]] {
            let r = try CLI.run(args)
            #expect(r.status == 1, Comment(rawValue: args.joined(separator: " ")))
            #expect(r.stderr == "\(tree.url("out/messages").path):1:1: error: is a symbolic link: nothing in the output folder is read "
                    + "or written through a link; make it a real folder\n", Comment(rawValue: args.joined(separator: " ")))
        }
        try FileManager.default.removeItem(at: tree.url("out/messages"))
        try FileManager.default.moveItem(at: tree.url("out"), to: tree.url("elsewhere"))
        try link(tree, "out", to: "elsewhere")
        let o = try tree.run("render", Self.now)
        #expect(o.status == 1)
        #expect(o.stderr == "out:1:1: error: the output folder is a symbolic link: the output folder is never reached through a link "
                + "(it could lead anywhere); use a real folder\n")
    }

    /// Item 4: a message file linked to a secret is never read: `check --diff` (the CI
    /// log) and `preview` (a CI artifact) neither print nor embed it, `approve` does not
    /// snapshot it, and each names the link.
    @Test func filesInOutAreNeverReadThroughLinks() throws {
        let tree = try rendered()
        defer { tree.remove() }
        let secret = ["NOTICES_SECRET": "s3cret-\(UUID().uuidString)"]
        let linkError = "\(tree.url("out/messages/\(Self.id)/body.txt").path):1:1: error: is a symbolic link: nothing in the output "
            + "folder is read or written through a link; replace it with what notices wrote there (`notices render` rewrites a draft)\n"
        try link(tree, "out/messages/\(Self.id)/body.txt", to: "/proc/self/environ")
        let c = try tree.run("check", ["--diff"], env: secret)
        #expect(c.status == 1)
        #expect(c.stdout == """
            stale: messages/\(Self.id)/body.txt (a symbolic link, not followed)
            --- a/messages/\(Self.id)/body.txt
            +++ b/messages/\(Self.id)/body.txt
            @@ -1,1 +1,1 @@
            -
            +Fibre work

            """)
        let p = try tree.run("preview", env: secret)
        #expect(p.status == 1)
        #expect(p.stderr == linkError)
        let a = try CLI.run(["approve", "--root", tree.root.path, Self.id], env: secret)
        #expect(a.status == 1)
        #expect(a.stderr == linkError)
        for r in [c, p, a] { #expect(!(r.stdout + r.stderr).contains(secret.values.first!)) }
        #expect(try CLI.run(["/bin/grep", "-rq", secret.values.first!, tree.url("out").path], tool: true).status == 1)
        #expect(!FileManager.default.fileExists(atPath: tree.url("out/preview").path))

        // The subject, read by `list` and `preview` for every message.
        try link(tree, "out/messages/\(Self.id)/subject", to: "/proc/self/environ")
        let l = try CLI.run(["list", "--root", tree.root.path], env: secret)
        #expect(l.status == 1)
        #expect(l.stderr.hasPrefix("\(tree.url("out/messages/\(Self.id)/subject").path):1:1: error: is a symbolic link"))
        #expect(!(l.stdout + l.stderr).contains(secret.values.first!))
    }

    /// Item 17: a manifest entry whose values are not of §3.4's types, or that has keys
    /// missing or extra, is damage: `mark` refuses it (it would overwrite the journal and
    /// the frozen recipients) and the file keeps its bytes.
    @Test func manifestValuesOfTheWrongTypeAreDamage() throws {
        let tree = try rendered()
        defer { tree.remove() }
        #expect(try CLI.run(["approve", "--root", tree.root.path, Self.id, "--by", "rev"]).status == 0)
        let good = try #require(tree.read("out/manifest.json"))
        /// The manifest with its one entry changed, and the line:column of `key`'s value
        /// (or of the key itself).
        func changed(_ key: String, atKey: Bool = false, _ change: (inout [String: Any]) -> Void) throws -> (text: String, location: String) {
            var top = try #require(try JSONSerialization.jsonObject(with: Data(good.utf8)) as? [String: Any])
            var entries = try #require(top["messages"] as? [[String: Any]])
            change(&entries[0])
            top["messages"] = entries
            let text = String(decoding: try JSONSerialization.data(withJSONObject: top, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
            guard let keyRange = text.range(of: "\"\(key)\"") else { return (text, "") }
            let before = text[..<keyRange.lowerBound]
            let line = before.filter { $0 == "\n" }.count + 1
            let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            var value = keyRange.upperBound
            while text[value] == " " || text[value] == ":" { value = text.index(after: value) }
            return (text, "\(line):\(text.distance(from: lineStart, to: atKey ? keyRange.lowerBound : value) + 1)")
        }
        let m = "message '\(Self.id)'"
        let cases: [((text: String, location: String), String)] = [
            (try changed("journal") { $0["journal"] = "gone" }, "\(m): 'journal' must be a list, not a string"),
            (try changed("recipients") { $0["recipients"] = ["ann": "ann@acme.example"] }, "\(m): 'recipients' must be a list or null, not an object"),
            (try changed("sequence") { $0["sequence"] = "1" }, "\(m): 'sequence' must be a whole number, not a string"),
            (try changed("orphaned") { $0["orphaned"] = 0 }, "\(m): 'orphaned' must be true or false, not a number"),
            (try changed("approved_at") { $0["approved_at"] = "2026-01-01 00:00" },
             "\(m): 'approved_at' must be an RFC 3339 UTC timestamp such as 2026-01-22T10:30:00Z, not '2026-01-01 00:00'"),
            (try changed("tennant", atKey: true) { $0["tennant"] = "acme" }, "\(m) has an unknown key 'tennant' (did you mean 'tenant'?)"),
        ]
        for ((text, location), why) in cases {
            try tree.write("out/manifest.json", text)
            let r = try CLI.run(["mark", "--root", tree.root.path, Self.id, "sent"])
            #expect(r.status == 1)
            #expect(r.stderr == damaged(location, why, tree))
            #expect(tree.read("out/manifest.json") == text)
        }
        // A key missing: located at the entry.
        let missing = try changed("id") { $0["tenant"] = nil }
        try tree.write("out/manifest.json", missing.text)
        let r = try CLI.run(["mark", "--root", tree.root.path, Self.id, "sent"])
        #expect(r.stderr.hasSuffix(": error: damaged manifest: \(m) has no 'tenant'; fix or restore it (it was not changed)\n"), Comment(rawValue: r.stderr))
        try tree.write("out/manifest.json", good)
        #expect(try CLI.run(["mark", "--root", tree.root.path, Self.id, "sent"]).status == 0)
    }

    /// Item 20: OUT may not be ROOT, hold ROOT or be the file-system root; inside ROOT
    /// it is never read as data, by the render that names it with --out or by a later
    /// `validate` that does not.
    @Test func outCannotBeOrHoldTheTree() throws {
        let tree = try HostileTree()
        defer { tree.remove() }
        let parent = tree.root.deletingLastPathComponent()
        let own = "; give the messages a folder of their own (render writes, replaces and removes files there)"
        for (out, problem) in [(tree.root.path, "is the input tree itself"), ("/", "is the file-system root"),
                               (parent.path, "contains the input tree \(tree.root.resolvingSymlinksInPath().path)")] {
            for command in ["render", "check", "preview"] {
                let r = try CLI.run([command, tree.root.path, "--out", out])
                #expect(r.status == 64 || r.status == 2, Comment(rawValue: "\(command) --out \(out): \(r.status)"))
                #expect(r.stderr.hasPrefix("Error: --out: \(out) \(problem)\(own)\n"), Comment(rawValue: r.stderr))
            }
            let l = try CLI.run(["list", "--root", tree.root.path, "--out", out])
            #expect(l.stderr.hasPrefix("Error: --out: \(out) \(problem)\(own)\n"), Comment(rawValue: l.stderr))
        }
        #expect(!FileManager.default.fileExists(atPath: tree.url("manifest.json").path))
        #expect(!FileManager.default.fileExists(atPath: tree.url("messages").path))

        // Inside ROOT: rendered twice, validated and checked without a word about it.
        #expect(try tree.run("render", ["--out", tree.url("sub/o").path] + Self.now).status == 0)
        let again = try tree.run("render", ["--out", tree.url("sub/o").path] + Self.now)
        #expect(again.status == 0 && again.stderr.isEmpty, Comment(rawValue: again.stderr))
        #expect(again.stdout.hasPrefix("0 new, 0 updated, 1 unchanged"))
        let v = try tree.run("validate", Self.now)
        #expect(v.status == 0 && v.stderr.isEmpty, Comment(rawValue: v.stderr))
        #expect(try tree.run("check", ["--out", tree.url("sub/o").path]).stdout == "up to date\n")
        #expect(try tree.run("render", Self.now).status == 0)
        #expect(try tree.run("check").stdout == "up to date\n")

    }
}
