import ArgumentParser
import Foundation
import NoticesKit

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render every message of ROOT into the output folder.",
        discussion: """
        Matches templates to every event, groups impacts, finds recipients and writes one \
        folder per message plus manifest.json. Rendering is idempotent: a second run with the \
        same input changes no byte. A render that finds any error writes nothing.

        Example:
          notices render examples/carrier
          notices render . --now 2026-12-01T08:00:00Z --jobs 2
        """
    )

    @OptionGroup var tree: TreeOptions
    @OptionGroup var out: OutOption

    @Option(help: "The render time for new messages (RFC 3339, not in the future); default: SOURCE_DATE_EPOCH, else the clock.")
    var now: String?

    @Option(help: "Messages rendered in parallel (default: the machine's cores).")
    var jobs: Int?

    @Flag(name: [.short, .long], help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
    }

    func run() throws {
        try tree.enter()
        var options = RenderOptions()
        options.out = try out.checked(root: tree.rootURL)
        options.now = try renderTime(now)
        if let jobs { options.jobs = jobs }
        let progress = ProgressBar(enabled: !quiet && !json)
        options.progress = { done, total in progress.update(done, total) }
        let summary = try reportingFailures { () throws -> RenderSummary in
            defer { progress.finish() }
            return try Render.run(root: tree.rootURL, options: options)
        }
        if !quiet {
            report(summary.warnings)
            reportWithdrawals(summary.withdrawn)
            for id in summary.repaired { printError("repaired: messages/\(id) (changed or deleted by hand; written again)") }
            for name in summary.removedUnlisted { printError("removed: messages/\(name) (no manifest entry names it)") }
            for path in summary.removedStrays { printError("removed: \(path) (not a file of the message)") }
        }
        if json {
            print(summary.json.pythonDumps())
        } else if !quiet {
            print(summary.line)
        }
    }
}
