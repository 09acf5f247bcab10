import Foundation
import Testing
import TestSupport

/// `notices mark --from FILE`: JSON lines applied in order under one lock, all or
/// nothing, every problem named FILE:LINE:COLUMN.
@Suite struct MarkBatchTests {
    static let acme = "maintenance-zayo-2026-0142--acme"
    static let globex = "maintenance-zayo-2026-0142--globex"
    static let zurich = "maintenance-zayo-2026-0142--zurich-re"

    /// The carrier example rendered, with acme and globex approved.
    func approved() throws -> TreeCopy {
        let tree = try TreeCopy("examples/carrier")
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z", "-q"]).status == 0)
        #expect(try CLI.run(["approve", Self.acme, Self.globex, "--by", "noc", "--root", tree.root.path]).status == 0)
        return tree
    }

    func entry(_ tree: TreeCopy, _ id: String) throws -> [String: Any] {
        let manifest = try JSONSerialization.jsonObject(with: Data(tree.read("out/manifest.json").utf8)) as? [String: Any]
        return try #require((manifest?["messages"] as? [[String: Any]])?.first { $0["id"] as? String == id })
    }

    /// Runs notices with `input` on standard input.
    func run(_ args: [String], input: String) throws -> CLI.Result {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args
        let stdin = Pipe()
        p.standardInput = stdin
        try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        return try CLI.capture(p)
    }

    @Test func aDeliveryReportIsRecordedInOneCall() throws {
        let tree = try approved()
        defer { tree.remove() }
        try Data("""
        {"id": "\(Self.acme)", "status": "sent", "message": "queued as 4F2A"}

        {"id": "\(Self.globex)", "status": "sent"}
        {"id": "\(Self.acme)", "status": "delivered", "at": null, "message": "250 2.0.0 OK"}
        {"status": "failed", "id": "\(Self.globex)", "message": "550 5.1.1 unknown user", "at": null}

        """.utf8).write(to: tree.root.appendingPathComponent("report.jsonl"))
        let r = try CLI.run(["mark", "--from", "report.jsonl", "--json"], cwd: tree.root)
        #expect(r.status == 0 && r.stderr == "", Comment(rawValue: r.stderr))
        #expect(r.stdout == """
        [
          {
            "id": "\(Self.acme)",
            "status": "delivered"
          },
          {
            "id": "\(Self.globex)",
            "status": "failed"
          }
        ]

        """)
        let acme = try entry(tree, Self.acme)
        #expect(acme["sent_at"] is String && acme["delivered_at"] is String)
        let journal = try #require(acme["journal"] as? [[String: Any]])
        #expect(journal.map { $0["to"] as? String } == ["ready", "sent", "delivered"])
        #expect(journal.map { $0["message"] as? String } == [nil, "queued as 4F2A", "250 2.0.0 OK"])
        #expect(journal.last?["kind"] as? String == "success" && journal.last?["by"] is String)
        let globex = try entry(tree, Self.globex)
        #expect(globex["status"] as? String == "failed" && globex["sent_at"] is String)
        #expect((globex["journal"] as? [[String: Any]])?.last?["message"] as? String == "550 5.1.1 unknown user")
        #expect(try CLI.run(["check", tree.root.path]).stdout == "up to date\n")
    }

    @Test func standardInputWorksAsDash() throws {
        let tree = try approved()
        defer { tree.remove() }
        let r = try run(["mark", "--from", "-", "--root", tree.root.path], input: "{\"id\": \"\(Self.acme)\", \"status\": \"sent\"}\n")
        #expect(r.status == 0 && r.stdout == "\(Self.acme): sent\n" && r.stderr == "")
        #expect(try entry(tree, Self.acme)["status"] as? String == "sent")
    }

    /// One bad line refuses the batch: each problem is named by file, line and column,
    /// and the manifest keeps every byte.
    @Test func anyBadLineChangesNothing() throws {
        let tree = try approved()
        defer { tree.remove() }
        let before = tree.read("out/manifest.json")
        try Data("""
        {"id": "\(Self.acme)", "status": "sent"}
        {"id": "\(Self.globex)", "status": "shipped"}
        {"id": "\(Self.globex)", "status": "sent", "mesage": "typo"}
        {"id": "\(Self.globex)", "status": "sent", "at": "yesterday"}
        {"id": "\(Self.globex)", "status": "sent", "at": "2999-01-01T00:00:00Z"}
        {"id": "\(Self.globex)" "status": "sent"}
        ["\(Self.globex)", "sent"]
        {"status": "sent"}
        {"id": 7, "status": "sent"}
        {"id": "\(Self.zurich)", "status": "sent"}
        {"id": "maintenance-zayo-2026-0142--acne", "status": "sent"}

        """.utf8).write(to: tree.root.appendingPathComponent("report.jsonl"))
        let r = try CLI.run(["mark", "--from", "report.jsonl"], cwd: tree.root)
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr == """
        report.jsonl:2:56: error: "status" 'shipped' is not one mark records (sent, delivered, failed or viewed)
        report.jsonl:3:64: error: unknown key 'mesage' (did you mean 'message'?); a line is an object with "id" and "status" (and optionally "at" and "message")
        report.jsonl:4:70: error: "at": \(try timestampProblem("yesterday"))
        report.jsonl:5:70: error: "at" 2999-01-01T00:00:00Z is in the future
        report.jsonl:6:45: error: invalid JSON: expected ',' or '}'
        report.jsonl:7:1: error: not an object: a line is an object with "id" and "status" (and optionally "at" and "message")
        report.jsonl:8:1: error: no "id": a line is an object with "id" and "status" (and optionally "at" and "message")
        report.jsonl:9:8: error: "id" is not a string
        error: nothing was changed (mark --from is all or nothing)

        """, Comment(rawValue: r.stderr))
        #expect(tree.read("out/manifest.json") == before)

        // Well-formed lines that the state machine refuses are named the same way.
        try Data("""
        {"id": "\(Self.acme)", "status": "sent"}
        {"id": "\(Self.zurich)", "status": "sent"}
        {"id": "maintenance-zayo-2026-0142--acne", "status": "sent"}
        {"id": "\(Self.acme)", "status": "viewed"}

        """.utf8).write(to: tree.root.appendingPathComponent("report.jsonl"))
        let refused = try CLI.run(["mark", "--from", "report.jsonl"], cwd: tree.root)
        #expect(refused.status == 1 && refused.stdout == "")
        #expect(refused.stderr == """
        report.jsonl:2:1: error: cannot mark sent '\(Self.zurich)': it is draft; from draft it can go to ready (approve) or discarded (discard)
        report.jsonl:3:1: error: no message 'maintenance-zayo-2026-0142--acne' (did you mean '\(Self.acme)'?)
        report.jsonl:4:1: error: cannot mark viewed '\(Self.acme)': it is sent; from sent it can go to delivered (mark delivered) or failed (mark failed)
        error: nothing was changed (mark --from is all or nothing)

        """, Comment(rawValue: refused.stderr))
        #expect(tree.read("out/manifest.json") == before)
    }

    @Test func fromTakesNoOtherSelection() throws {
        let tree = try approved()
        defer { tree.remove() }
        for extra in [[Self.acme, "sent"], ["--all", "--status", "ready"], ["--at", "2026-11-30T10:00:00Z"], ["--message", "x"]] {
            let r = try CLI.run(["mark", "--from", "report.jsonl"] + extra, cwd: tree.root)
            #expect(r.status == 2)
            #expect(r.stderr.hasPrefix("Error: --from reads the messages, states, times and notes from FILE: give no IDs, state, --all, --status, --at or --message with it\n"),
                    Comment(rawValue: r.stderr))
        }
        let missing = try CLI.run(["mark", "--from", "nowhere.jsonl"], cwd: tree.root)
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: cannot read 'nowhere.jsonl': No such file or directory\nerror: nothing was changed (mark --from is all or nothing)\n")
    }

    /// The timestamp parser's own words for a bad value, as `--at` prints them.
    func timestampProblem(_ text: String) throws -> String {
        let r = try CLI.run(["mark", Self.acme, "sent", "--at", text, "--out", "/nonexistent"])
        return r.stderr.components(separatedBy: "--at: ").dropFirst().first?.components(separatedBy: "\n").first ?? "?"
    }
}
