import Foundation
import Testing
import TestSupport

/// The README's quick start, run exactly as written: every `$ ` line of its console
/// blocks is a command, and the lines after it are what it prints (stdout, then
/// stderr). `cd DIR` changes the folder of the commands that follow.
@Suite struct QuickStartTests {
    /// The console blocks of the README's "Quick start" section.
    static func blocks() throws -> [[String]] {
        let readme = try String(contentsOf: CLI.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = readme.components(separatedBy: "\n## Quick start\n")[1].components(separatedBy: "\n## ")[0]
        return section.components(separatedBy: "```console\n").dropFirst().map {
            $0.components(separatedBy: "\n```")[0].components(separatedBy: "\n")
        }
    }

    @Test func quickStartRunsAsWritten() throws {
        let blocks = try Self.blocks()
        #expect(blocks.count == 2)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quick-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("examples"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The second block runs in a copy of this repository's example, its output included.
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("examples/carrier"),
                                         to: dir.appendingPathComponent("examples/carrier"))
        var commands = 0
        for block in blocks {
            var cwd = dir
            var i = 0
            while i < block.count {
                let line = block[i]
                #expect(line.hasPrefix("$ "), "not a command: \(line)")
                var expected: [String] = []
                i += 1
                while i < block.count && !block[i].hasPrefix("$ ") { expected.append(block[i]); i += 1 }
                let words = line.dropFirst(2).split(separator: " ").map(String.init)
                commands += 1
                if words[0] == "cd" {
                    cwd = cwd.appendingPathComponent(words[1])
                    continue
                }
                #expect(words[0] == "notices")
                // The README's clock: 1 June 2026.
                let r = try CLI.run(Array(words.dropFirst()), cwd: cwd, env: ["SOURCE_DATE_EPOCH": "1780272000"])
                #expect(r.status == 0, "\(line): \(r.stderr)")
                let shown = expected.isEmpty ? "" : expected.joined(separator: "\n") + "\n"
                #expect(r.stdout + r.stderr == shown, "\(line)")
            }
        }
        #expect(commands == 7)
    }
}
