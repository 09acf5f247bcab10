import ArgumentParser
import NoticesKit

struct MarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark",
        abstract: "Record delivery: ready → sent, sent → delivered or failed, delivered → viewed.",
        discussion: """
        --at may not be in the future; sent_at ≥ approved_at and delivered_at ≥ sent_at.

        --from FILE records many messages in one go: each line of FILE (- for standard \
        input) is a JSON object with "id" and "status" (sent, delivered, failed or \
        viewed), and optionally "at" and "message", as in \
        {"id": "maintenance-zayo-2026-0142--acme", "status": "sent"}. The lines apply in \
        order under one lock; if any line is malformed or refused, nothing changes and \
        each problem is named FILE:LINE:COLUMN.

        Example:
          notices mark maintenance-zayo-2026-0142--acme sent --at 2026-12-01T10:00:00Z
          notices mark maintenance-zayo-2026-0142--acme failed --message "550 5.1.1"
          notices mark --from delivery-report.jsonl
        """
    )
    @Argument(help: "Message IDs, then the new state: sent, delivered, failed or viewed.") var arguments: [String] = []
    @OptionGroup var options: LifecycleOptions
    @Option(help: "When it happened (RFC 3339; default: now).") var at: String?
    @Option(help: "A note for the journal.") var message: String?
    @Option(help: ArgumentHelp("Record the states listed in FILE, one JSON object per line (- for standard input); all or nothing.",
                               valueName: "file"))
    var from: String?

    /// The states `mark` records.
    static let states: [Lifecycle.Action] = [.sent, .delivered, .failed, .viewed]

    func run() throws {
        if let from {
            guard arguments.isEmpty, !options.all, options.status == nil, at == nil, message == nil else {
                throw ValidationError("--from reads the messages, states, times and notes from FILE: give no IDs, state, --all, --status, --at or --message with it")
            }
            return try options.perform(batch: from, by: Lifecycle.defaultUser())
        }
        guard let last = arguments.last, let action = Lifecycle.Action(argument: last), Self.states.contains(action) else {
            throw ValidationError("the last argument must be sent, delivered, failed or viewed")
        }
        try options.perform(action, ids: Array(arguments.dropLast()), at: at, by: Lifecycle.defaultUser(), message: message)
    }
}
