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
          notices render . --shard 2/4 --out parts/2 --now 2026-12-01T08:00:00Z

        Past one machine: `--shard I/N --out PART` renders only shard I of N against the \
        base output folder (--base, default the tree's output) into a part; `notices merge \
        PART… --out OUT` then brings OUT to the bytes of one render. Give every shard the \
        same --now (or SOURCE_DATE_EPOCH). `--shard auto` reads NOTICES_SHARD_INDEX (from 0) \
        and NOTICES_SHARD_TOTAL, GitLab's CI_NODE_INDEX and CI_NODE_TOTAL, or a Kubernetes \
        Indexed Job's JOB_COMPLETION_INDEX with NOTICES_SHARD_TOTAL.
        """
    )

    @OptionGroup var tree: TreeOptions
    @OptionGroup var out: OutOption

    @Option(help: "The render time for new messages (RFC 3339, not in the future); default: SOURCE_DATE_EPOCH, else the clock.")
    var now: String?

    @Option(help: "Messages rendered in parallel (default: the machine's cores).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Render only shard I of N into the part --out names (I/N, or auto: from the CI's environment).",
                               valueName: "I/N|auto"))
    var shard: String?

    @Option(help: ArgumentHelp("With --shard: the output folder the shard renders against (default: the tree's settings.output).",
                               valueName: "out"), completion: .directory)
    var base: String?

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
        if let shard { return try renderShard(shard, options: options, progress: progress) }
        if base != nil { throw ValidationError("--base is for --shard: a render without one writes into its output folder (--out)") }
        let summary = try reportingFailures { () throws -> RenderSummary in
            defer { progress.finish() }
            return try Render.run(root: tree.rootURL, options: options)
        }
        printRender(summary, quiet: quiet, json: json)
    }

    /// `--shard I/N --out PART [--base OUT]`: one shard's part (ShardRender).
    func renderShard(_ text: String, options: RenderOptions, progress: ProgressBar) throws {
        let shard = try parseShard(text)
        guard let part = options.out else { throw ValidationError("--shard needs --out PART: the folder the shard's part is written to") }
        var options = options
        options.out = try base.map { path in
            let url = URL(fileURLWithPath: path).standardizedFileURL
            if let problem = OutputFolder.problem(out: url, root: tree.rootURL, fromSettings: false) {
                throw ValidationError("--base: \(url.path) \(problem)")
            }
            return url
        }
        let summary = try reportingFailures { () throws -> PartSummary in
            defer { progress.finish() }
            return try ShardRender.run(root: tree.rootURL, shard: shard, part: part, options: options)
        }
        if !quiet { report(summary.warnings) }
        if json {
            print(summary.json.pythonDumps())
        } else if !quiet {
            print(summary.line)
        }
    }
}
