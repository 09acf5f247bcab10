import ArgumentParser
import Foundation
import NoticesKit

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Fail when the committed output is stale (for CI).",
        discussion: """
        Renders in memory and compares with the output folder. Exit status 0 when it is \
        current; 1 listing every stale, missing or extra file.

        Example:
          notices check examples/carrier
          notices check . --diff
          notices check . --shard 2/4

        With --shard I/N, check only shard I of N's messages (as `render --shard` splits \
        them); the N reports together are one full check's.
        """
    )

    @OptionGroup var tree: TreeOptions
    @OptionGroup var out: OutOption

    @Flag(help: "Show a unified diff of each stale file.")
    var diff = false

    @Option(help: ArgumentHelp("Check only shard I of N (I/N, or auto: from the CI's environment, as render --shard).",
                               valueName: "I/N|auto"))
    var shard: String?

    func run() throws {
        try tree.enter()
        let now = try renderTime(nil)
        let outURL = try out.checked(root: tree.rootURL)
        let shard = try self.shard.map(parseShard)
        let result = try reportingFailures { try Check.run(root: tree.rootURL, out: outURL, now: now, diffs: diff, shard: shard) }
        if result.isCurrent {
            print("up to date")
            return
        }
        for item in result.items { print("\(item.kind.rawValue): \(item.path)" + (item.note.map { " (\($0))" } ?? "")) }
        if diff { print(result.diff, terminator: "") }
        if !result.problems.isEmpty {
            // A render would stop on these: they need restoring first.
            report(result.problems)
            throw ExitCode(1)
        }
        printError("output is stale: run `notices render` and commit the result")
        throw ExitCode(1)
    }
}
