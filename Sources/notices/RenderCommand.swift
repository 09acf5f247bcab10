import ArgumentParser
import Foundation
import NoticesKit

/// Options shared by commands that read an input tree and its output folder.
struct TreeOptions: ParsableArguments {
    @Argument(help: "The input tree.", completion: .directory)
    var root: String = "."

    @Option(help: "The output folder (default: the tree's settings.output, usually ROOT/out).", completion: .directory)
    var out: String?

    var rootURL: URL { URL(fileURLWithPath: root).standardizedFileURL }
    var outURL: URL? { out.map { URL(fileURLWithPath: $0).standardizedFileURL } }

    func checkRoot() throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootURL.path, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("'\(root)' is not a folder")
        }
    }
}

func parseTimestamp(_ text: String, option: String) throws -> Timestamp {
    switch TimestampParser.parse(text, defaultZone: TimeZone(identifier: "UTC")!) {
    case .success(let t): return t
    case .failure(let e): throw ValidationError("\(option): \(e.description)")
    }
}

/// `--now`, else SOURCE_DATE_EPOCH, else the clock; a time in the future or before 1970
/// is a usage error, as `mark --at` refuses one in the future.
func renderTime(_ now: String?) throws -> Timestamp {
    let given = try now.map { try parseTimestamp($0, option: "--now") }
    switch RenderTime.resolve(now: given) {
    case .success(let t): return t
    case .failure(let problem): throw ValidationError(problem.description)
    }
}

/// Prints diagnostics to stderr, sorted, and exits 1 when any is an error.
func report(_ diagnostics: [Diagnostic]) {
    for d in diagnostics.sortedByLocation() { printError(d.description) }
}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
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

    @Option(help: "The render time for new messages (RFC 3339, not in the future); default: SOURCE_DATE_EPOCH, else the clock.")
    var now: String?

    @Option(help: "Messages rendered in parallel (default: the machine's cores).")
    var jobs: Int?

    @Flag(name: [.short, .long], help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        try tree.checkRoot()
        var options = RenderOptions()
        options.out = tree.outURL
        options.now = try renderTime(now)
        if let jobs { options.jobs = max(1, jobs) }
        let progress = Progress(enabled: !quiet && !json)
        options.progress = { done, total in progress.update(done, total) }
        do {
            let summary = try RenderPipeline.run(root: tree.rootURL, options: options)
            progress.finish()
            if !quiet { report(summary.warnings) }
            if json {
                print(JSONValue.object([
                    ("new", .int(summary.new)), ("updated", .int(summary.updated)), ("unchanged", .int(summary.unchanged)),
                    ("revisions", .int(summary.revisions)), ("removed", .int(summary.removed)),
                    ("orphaned", .int(summary.orphaned)), ("warnings", .int(summary.warnings.count)),
                ]).pythonDumps())
            } else if !quiet {
                print(summary.line)
            }
        } catch let e as DiagnosticsError {
            progress.finish()
            report(e.diagnostics)
            throw ExitCode(1)
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fail when the committed output is stale (for CI).",
        discussion: """
        Renders in memory and compares with the output folder. Exit status 0 when it is \
        current; 1 listing every stale, missing or extra file.

        Example:
          notices check examples/carrier
          notices check . --diff
        """
    )

    @OptionGroup var tree: TreeOptions

    @Flag(help: "Show a unified diff of each stale file.")
    var diff = false

    func run() throws {
        try tree.checkRoot()
        var options = RenderOptions()
        options.out = tree.outURL
        options.dryRun = true
        options.keepContent = diff
        options.now = try renderTime(nil)
        do {
            let summary = try RenderPipeline.run(root: tree.rootURL, options: options)
            if summary.changedFiles.isEmpty && summary.removedFiles.isEmpty {
                print("up to date")
                return
            }
            let loaded = Loader.load(root: tree.rootURL)
            let out = RenderPipeline.outputURL(root: tree.rootURL, settings: loaded.model.settings, override: tree.outURL)
            for f in summary.changedFiles {
                let exists = FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path)
                print("\(exists ? "stale" : "missing"): \(f)")
            }
            for f in summary.removedFiles { print("extra: \(f)") }
            if diff {
                for f in summary.changedFiles {
                    let old = FileManager.default.contents(atPath: out.appendingPathComponent(f).path) ?? Data()
                    print(UnifiedDiff.diff(old: String(decoding: old, as: UTF8.self),
                                           new: String(decoding: summary.contents[f] ?? Data(), as: UTF8.self), path: f), terminator: "")
                }
            }
            printError("output is stale: run `notices render` and commit the result")
            throw ExitCode(1)
        } catch let e as DiagnosticsError {
            report(e.diagnostics)
            throw ExitCode(1)
        }
    }
}

/// A progress bar on stderr for long renders on a terminal.
final class Progress: @unchecked Sendable {
    let enabled: Bool
    let start = Date()
    var shown = false
    let lock = NSLock()

    init(enabled: Bool) {
        self.enabled = enabled && isatty(2) != 0
    }

    func update(_ done: Int, _ total: Int) {
        guard enabled, Date().timeIntervalSince(start) > 1 else { return }
        lock.lock()
        defer { lock.unlock() }
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let colour = ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let text = colour ? "\u{1b}[36m[\(bar)]\u{1b}[0m" : "[\(bar)]"
        FileHandle.standardError.write(Data("\r\(text) \(done)/\(total) events".utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1b}[2K".utf8)) }
    }
}
