import ArgumentParser
import Foundation
import NoticesKit

/// Options of every command that changes message status (SPEC §3.5).
struct LifecycleOptions: ParsableArguments {
    @OptionGroup var output: OutputOptions

    @Flag(help: "Act on every message with --status: those that can make the transition do, the others are listed with the reason (exit 1 when any was skipped). Named IDs are all or nothing.")
    var all = false

    @Option(help: "With --all: the status of the messages to act on.")
    var status: MessageStatus?

    @Flag(help: "Print the changed manifest entries as JSON.")
    var json = false

    /// The messages to act on: those given, or with --all those of --status.
    func selection(_ ids: [String]) throws -> Lifecycle.Selection {
        if all {
            guard let status else {
                throw ValidationError("--all needs --status (\(MessageStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return .status(status)
        }
        guard !ids.isEmpty else { throw ValidationError("give one or more message IDs, or --all --status S") }
        return .ids(ids)
    }

    func perform(_ action: Lifecycle.Action, ids: [String], at: String?, by: String?, message: String?) throws {
        let selection = try selection(ids)
        let at = try at.map { try parseTimestamp($0, option: "--at") }
        let out = try output.enter()
        let result = try reportingFailures { try Lifecycle.run(action, selection, out: out, at: at, by: by, message: message) }
        try show(result) { _ in action }
    }

    /// `mark --from FILE` (`-`: standard input): every line applies, or none.
    func perform(batch path: String, by: String?) throws {
        let out = try output.enter()
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        var actions: [String: Lifecycle.Action] = [:]
        let result = try reportingFailures(then: "nothing was changed (mark --from is all or nothing)") {
            let bytes = path == "-" ? [UInt8](FileHandle.standardInput.readDataToEndOfFile()) : FileIO.readBytes(URL(fileURLWithPath: path))
            guard let bytes else { throw DiagnosticsError([.error(nil, "cannot read '\(path)': \(String(cString: strerror(errno)))")]) }
            let steps = try MarkBatch.parse(bytes, file: path == "-" ? "<stdin>" : path, now: now)
            for step in steps { actions[step.id] = step.action }
            return try Lifecycle.run(.sent, .steps(steps), out: out, at: nil, by: by, message: nil, now: now)
        }
        try show(result) { actions[$0] ?? .sent }
    }

    /// Prints what changed (or its JSON form), the withdrawals, and what --all skipped.
    private func show(_ result: Lifecycle.Result, action: (String) -> Lifecycle.Action) throws {
        if json {
            print(JSONValue.array((result.changed + result.unchanged).map { .object([("id", .string($0.id)), ("status", .string($0.status.rawValue))]) }).pythonDumps())
        } else {
            for id in result.discarded { print("\(id): discarded") }
            // `mark viewed` keeps the status (delivered); say what was recorded.
            for e in result.changed { print("\(e.id): \(action(e.id) == .viewed ? "viewed" : e.status.rawValue)") }
            for e in result.unchanged { print("\(e.id): already viewed at \(e.viewedAt?.rfc3339 ?? "?")") }
        }
        reportWithdrawals(result.superseded)
        // --all: what could not change is listed with the reason, and the command fails.
        for refusal in result.skipped { printError("skipped: \(refusal.description)") }
        if !result.skipped.isEmpty {
            printError("\(result.skipped.count) of \(result.ids.count) messages skipped")
            throw ExitCode(1)
        }
    }
}
