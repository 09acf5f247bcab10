import ArgumentParser
import Foundation
import NoticesKit

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the parts of a sharded render into the output folder.",
        discussion: """
        Takes the parts written by `notices render ROOT --shard I/N --out PART` (one for each \
        shard 1…N) and brings OUT to exactly the bytes one `notices render` would give: \
        messages, manifest, revisions, withdrawals, removals, orphans and caches. It refuses, \
        writing nothing, parts of different trees, --now or base manifests, a missing or \
        duplicated shard, a damaged part, or an OUT whose manifest changed since the shards \
        read it.

        Example:
          notices merge parts/1 parts/2 parts/3 parts/4 --out out
        """
    )

    @OptionGroup var directory: DirectoryOption

    @Argument(help: ArgumentHelp("The parts, one for each shard.", valueName: "part"), completion: .directory)
    var parts: [String]

    @Option(help: "The output folder the parts were rendered against, brought up to date.", completion: .directory)
    var out: String

    @Option(help: "Messages merged in parallel (default: the machine's cores).")
    var jobs: Int?

    @Flag(name: [.short, .long], help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
    }

    func run() throws {
        try directory.enter()
        let urls = parts.map { URL(fileURLWithPath: $0).standardizedFileURL }
        let outURL = URL(fileURLWithPath: out).standardizedFileURL
        let summary = try reportingFailures {
            try Merge.run(parts: urls, out: outURL, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        }
        printRender(summary, quiet: quiet, json: json)
    }
}
