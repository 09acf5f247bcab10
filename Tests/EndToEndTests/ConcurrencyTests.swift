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
            for step in [["approve", id, "--by", "t"], ["mark", id, "sent"], ["mark", id, "delivered"]] {
                #expect(try CLI.run(step + ["--root", tree.root.path]).status == 0)
            }
        }
        // 8 processes at once, 50 rounds each: every one records a view of its message.
        let rounds = 50
        DispatchQueue.concurrentPerform(iterations: ids.count) { i in
            for _ in 0..<rounds {
                _ = try? CLI.run(["mark", Array(ids)[i], "viewed", "--root", tree.root.path, "--message", "round"])
            }
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(tree.read("out/manifest.json").utf8)) as! [String: Any]
        for m in manifest["messages"] as! [[String: Any]] where ids.contains(m["id"] as! String) {
            let views = (m["journal"] as! [[String: Any]]).filter { ($0["message"] as? String) == "round" }
            #expect(views.count == rounds, "\(m["id"]!)")
        }
    }
}
