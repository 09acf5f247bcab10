import Foundation
import Testing
import TestSupport

/// Several processes change one manifest at once; the lock keeps every update.
@Suite struct ConcurrencyTests {
    @Test func eightProcessesMarkingMessagesLoseNoUpdate() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "-q"]).status == 0)
        let list = try CLI.run(["list", "--root", tree.root.path, "--json"])
        let ids = try (JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as! [[String: Any]])
            .filter { ($0["recipients"] as? [Any])?.isEmpty == false }.compactMap { $0["id"] as? String }.prefix(8)
        #expect(ids.count == 8)
        for id in ids {
            #expect(try CLI.run(["approve", id, "--by", "t", "--root", tree.root.path]).status == 0)
        }
        // 8 processes at once, 20 rounds each of sent → failed → ready: every
        // transition of every message is journaled.
        let rounds = 20
        DispatchQueue.concurrentPerform(iterations: ids.count) { i in
            for _ in 0..<rounds {
                for step in [["mark", Array(ids)[i], "sent"], ["mark", Array(ids)[i], "failed"], ["retry", Array(ids)[i]]] {
                    _ = try? CLI.run(step + ["--root", tree.root.path, "--message", "round"])
                }
            }
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(tree.read("out/manifest.json").utf8)) as! [String: Any]
        for m in manifest["messages"] as! [[String: Any]] where ids.contains(m["id"] as! String) {
            let steps = (m["journal"] as! [[String: Any]]).filter { ($0["message"] as? String) == "round" }
            #expect(steps.count == 3 * rounds, "\(m["id"]!)")
        }
    }
}
