import ArgumentParser
import NoticesKit

struct MarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark",
        abstract: "Record delivery: ready → sent, sent → delivered or failed, delivered → viewed.",
        discussion: """
        --at may not be in the future; sent_at ≥ approved_at and delivered_at ≥ sent_at.

        Example:
          notices mark maintenance-zayo-2026-0142--acme sent --at 2026-12-01T10:00:00Z
          notices mark maintenance-zayo-2026-0142--acme failed --message "550 5.1.1"
        """
    )
    @Argument(help: "Message IDs, then the new state: sent, delivered, failed or viewed.") var arguments: [String] = []
    @OptionGroup var options: LifecycleOptions
    @Option(help: "When it happened (RFC 3339; default: now).") var at: String?
    @Option(help: "A note for the journal.") var message: String?

    /// The states `mark` records.
    static let states: [Lifecycle.Action] = [.sent, .delivered, .failed, .viewed]

    func run() throws {
        guard let last = arguments.last, let action = Lifecycle.Action(argument: last), Self.states.contains(action) else {
            throw ValidationError("the last argument must be sent, delivered, failed or viewed")
        }
        try options.perform(action, ids: Array(arguments.dropLast()), at: at, by: Lifecycle.defaultUser(), message: message)
    }
}
