import Foundation
import Testing
import TestSupport

/// Renders and approvals killed with SIGKILL at random moments leave a consistent
/// tree, and the next render finishes it exactly as an uninterrupted run would.
@Suite struct CrashTests {
    /// Every file under out/ with its bytes.
    func contents(_ out: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: out.path) else { return [:] }
        // The lock, and the machine-local record of inodes and times, aside.
        for case let path as String in walker where !path.hasSuffix(".lock") && !path.hasPrefix(".local") {
            var isDir: ObjCBool = false
            let full = out.appendingPathComponent(path).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                files[path] = FileManager.default.contents(atPath: full)
            }
        }
        return files
    }

    func startAndKill(_ args: [String], afterMicroseconds delay: UInt32) throws {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(delay)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// The manifest (if any) parses and every message it lists has a complete folder.
    func checkConsistent(_ out: URL) throws {
        let manifestURL = out.appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else { return }
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for m in manifest["messages"] as? [[String: Any]] ?? [] {
            let folder = out.appendingPathComponent("messages/\(m["id"] as! String)")
            let meta = try #require(FileManager.default.contents(atPath: folder.appendingPathComponent("message.json").path))
            let files = try #require((try JSONSerialization.jsonObject(with: meta) as? [String: Any])?["files"] as? [String])
            for f in files { #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(f).path)) }
        }
    }

    @Test func killedRendersAndApprovalsRecover() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        let out = tree.root.appendingPathComponent("out")
        let render = ["render", tree.root.path, "--now", "2026-11-29T08:00:00Z", "-q"]
        #expect(try CLI.run(render).status == 0)
        let reference = contents(out)
        var rng = SeededRandom(printingFor: "CrashTests.killedRendersAndApprovalsRecover")
        for i in 0..<200 {
            if i % 4 == 3 {
                // An approval killed midway: the manifest stays whole.
                try startAndKill(["approve", "--all", "--status", "draft", "--root", tree.root.path, "--by", "k"],
                                 afterMicroseconds: UInt32.random(in: 0...60_000, using: &rng))
                try checkConsistent(out)
                try FileManager.default.removeItem(at: out)
                #expect(try CLI.run(render).status == 0)
                continue
            }
            try? FileManager.default.removeItem(at: out)
            try startAndKill(render, afterMicroseconds: UInt32.random(in: 0...250_000, using: &rng))
            try checkConsistent(out)
            #expect(try CLI.run(render).status == 0, "run \(i)")
            let now = contents(out)
            let differing = Set(now.keys).union(reference.keys).filter { now[$0] != reference[$0] }.sorted()
            #expect(differing.isEmpty, "run \(i): differs from an uninterrupted render: \(differing.prefix(5))")
        }
    }
}
