import Foundation
import Testing
import TestSupport

/// Every subcommand's --help says what it does and shows an example, and reads exactly
/// as its snapshot in HelpSnapshots/ (`NOTICES_UPDATE_SNAPSHOTS=1 swift test --filter
/// HelpTests` rewrites them after a deliberate change).
@Suite struct HelpTests {
    static let commands = [[], ["validate"], ["render"], ["merge"], ["check"], ["explain"], ["list"], ["approve"], ["discard"],
                           ["mark"], ["retry"], ["withdraw"], ["preview"], ["schema"], ["template", "render"], ["init"], ["context"]]

    @Test(arguments: commands)
    func helpHasAnExample(command: [String]) throws {
        let r = try CLI.run(command + ["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("OVERVIEW: "))
        #expect(r.stdout.contains("\nExample:\n  notices "), Comment(rawValue: r.stdout))
        #expect(r.stdout.contains("USAGE: notices"))
    }

    @Test(arguments: commands)
    func helpMatchesItsSnapshot(command: [String]) throws {
        // A fixed width: ArgumentParser wraps help to the terminal's.
        let r = try CLI.run(command + ["--help"], env: ["COLUMNS": "80"])
        #expect(r.status == 0)
        let name = command.isEmpty ? "notices" : command.joined(separator: "-")
        let url = CLI.repoRoot.appendingPathComponent("Tests/EndToEndTests/HelpSnapshots/\(name).txt")
        if ProcessInfo.processInfo.environment["NOTICES_UPDATE_SNAPSHOTS"] == "1" {
            try Data(r.stdout.utf8).write(to: url)
        }
        let snapshot = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        #expect(r.stdout == snapshot, "help of `notices \(command.joined(separator: " "))` differs from \(url.lastPathComponent)")
        // Help text is wrapped by ArgumentParser, never by hand: no runs of spaces in prose.
        for line in r.stdout.split(separator: "\n") where !line.hasPrefix(" ") {
            #expect(!line.contains("  "), "badly wrapped help line: \(line)")
        }
        // Examples fit on one line each.
        let example = r.stdout.components(separatedBy: "\nExample:\n")[1].components(separatedBy: "\n\n")[0]
        for line in example.split(separator: "\n") { #expect(line.hasPrefix("  "), "an example wraps: \(line)") }
    }
}
