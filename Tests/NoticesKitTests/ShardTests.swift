import Foundation
import Testing
import TestSupport
@testable import NoticesKit

@Suite struct ShardTests {
    /// SHA-256 of the key as a big-endian integer, mod N, plus 1 (values from Python's
    /// hashlib: `int.from_bytes(sha256(key).digest(), "big") % n + 1`).
    @Test(arguments: [("maintenance/M-1", 4, 4), ("outage/O-7", 7, 1), ("message/welcome", 3, 2), ("maintenance/zayo-2026-0142", 2, 2)])
    func shardOfAKeyIsItsSHA256ModN(key: String, n: Int, expected: Int) {
        #expect(Shard.of(key: key, count: n) == expected)
        #expect(Shard.of(key: key, count: 1) == 1)
    }

    @Test func parseTakesIOverN() throws {
        #expect(try Shard.parse("2/4") == Shard(index: 2, count: 4))
        for bad in ["0/4", "5/4", "1/0", "2", "a/b", "1/2/3", ""] {
            #expect(throws: ShardError.self, "\(bad)") { try Shard.parse(bad) }
        }
        #expect((try? Shard.parse("5/4")) == nil)
        do {
            _ = try Shard.parse("x")
        } catch let e as ShardError {
            #expect(e.description == "--shard: 'x' is not I/N (e.g. 2/4) or auto")
        }
    }

    @Test func autoReadsTheSchedulersVariables() throws {
        // GitHub Actions (the recipe sets them from strategy.job-index/job-total), from 0.
        #expect(try Shard.fromEnvironment(["NOTICES_SHARD_INDEX": "0", "NOTICES_SHARD_TOTAL": "4"]) == Shard(index: 1, count: 4))
        // GitLab parallel:, from 1; CI_NODE_TOTAL alone (every GitLab job) says nothing.
        #expect(try Shard.fromEnvironment(["CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "3"]) == Shard(index: 3, count: 3))
        // Kubernetes Indexed Job, from 0, with the total the Job sets.
        #expect(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "6", "NOTICES_SHARD_TOTAL": "7", "CI_NODE_TOTAL": "1"])
                == Shard(index: 7, count: 7))
        #expect(try Shard.fromEnvironment(["NOTICES_SHARD_INDEX": "1", "NOTICES_SHARD_TOTAL": "2", "CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "2"])
                == Shard(index: 2, count: 2))
        func refusal(_ env: [String: String]) -> String {
            do {
                _ = try Shard.fromEnvironment(env)
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal(["CI_NODE_TOTAL": "1"]).hasPrefix("--shard auto: no shard in the environment; set NOTICES_SHARD_INDEX"))
        #expect(refusal(["JOB_COMPLETION_INDEX": "2"]) == "--shard auto: NOTICES_SHARD_TOTAL is not set (JOB_COMPLETION_INDEX is)")
        #expect(refusal(["JOB_COMPLETION_INDEX": "4", "NOTICES_SHARD_TOTAL": "4"])
                == "--shard auto: JOB_COMPLETION_INDEX=4 and NOTICES_SHARD_TOTAL=4 do not name a shard (JOB_COMPLETION_INDEX counts from 0)")
        #expect(refusal(["CI_NODE_INDEX": "one", "CI_NODE_TOTAL": "2"]) == "--shard auto: CI_NODE_INDEX='one' is not a number")
    }

    @Test func anEntryBelongsToTheShardOfItsEventOrStandaloneMessage() {
        let event = ManifestEntry(id: "maintenance-m-1--acme--2", lineage: "maintenance-m-1--acme", sequence: 2, status: .sent,
                                  template: "t", event: EventRef(kind: .maintenance, id: "M-1"), tenant: "acme", target: nil,
                                  contentHash: "", renderedAt: Timestamp(seconds: 0))
        #expect(Shard.key(event, standalone: [:]) == "maintenance/M-1")
        var standalone = event
        standalone.event = nil
        standalone.lineage = "message-welcome-2026"
        #expect(Shard.key(standalone, standalone: ["message-welcome-2026": "Welcome_2026"]) == "message/Welcome_2026")
        // A standalone message no longer in the data: its lineage stands in for its id.
        #expect(Shard.key(standalone, standalone: [:]) == "message/welcome-2026")
    }

    static let genTree = CLI.repoRoot.appendingPathComponent("../shared/bench/gen_tree.py").standardizedFileURL.path
    static let python = VenvPython.with("yaml")

    /// Shards are balanced by messages, not only by events: at 2,000 events the largest
    /// shard's message count is within 1.3× of the mean, for N = 2…8.
    @Test(.enabled(if: python != nil && FileManager.default.fileExists(atPath: genTree), "needs .venv with pyyaml and gen_tree.py"))
    func shardsAreBalancedAtTwoThousandEvents() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("balance-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let gen = try VenvPython.run(Self.python!, path: Self.genTree, ["--seed", "1", "--events", "2000", work.path])
        try #require(gen.status == 0, Comment(rawValue: gen.output))
        let loaded = Loader.load(root: work)
        try #require(!loaded.hasErrors)
        let index = ModelIndex(loaded.model)
        let units = Planner.units(index)
        #expect(units.count >= 2000)
        let counts = units.map { (Shard.key($0), Planner.plan($0, index).0.count) }
        let total = counts.reduce(0) { $0 + $1.1 }
        #expect(total > 4000)
        for n in 2...8 {
            var perShard = [Int](repeating: 0, count: n)
            for (key, messages) in counts { perShard[Shard.of(key: key, count: n) - 1] += messages }
            let mean = Double(total) / Double(n)
            #expect(Double(perShard.max()!) <= 1.3 * mean, "N=\(n): \(perShard), mean \(mean)")
        }
    }
}
