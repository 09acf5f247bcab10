import ArgumentParser
import Foundation
import NoticesKit

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Prints diagnostics to standard error, sorted by file and line.
func report(_ diagnostics: [Diagnostic]) {
    for d in diagnostics.sortedByLocation() { printError(d.description) }
}

/// Runs a command's body; problems it throws are printed (then `then`, when given, as
/// one more error) and end the command with exit status 1 (usage errors keep
/// ArgumentParser's status 2).
func reportingFailures<T>(then summary: String? = nil, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as DiagnosticsError {
        report(e.diagnostics)
    } catch let r as Lifecycle.Refusal {
        printError("error: \(r.description)")
    }
    if let summary { printError("error: \(summary)") }
    throw ExitCode(1)
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

/// An RFC 3339 time given on the command line (`--now`, `--at`).
func parseTimestamp(_ text: String, option: String) throws -> Timestamp {
    switch TimestampParser.parse(text, defaultZone: TimeZone(identifier: "UTC")!) {
    case .success(let t): return t
    case .failure(let e): throw ValidationError("\(option): \(e.description)")
    }
}

/// Tells that pending messages were withdrawn because a newer revision superseded them
/// (render, and lifecycle commands that heal an older manifest).
func reportWithdrawals(_ withdrawn: [(id: String, supersededBy: String)]) {
    for w in withdrawn { printError("withdrawn: \(w.id) (superseded by \(w.supersededBy); it will not be sent)") }
}

/// What render and merge print: warnings, withdrawals and repairs on standard error,
/// then the summary line (or its JSON).
func printRender(_ summary: RenderSummary, quiet: Bool, json: Bool) {
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
