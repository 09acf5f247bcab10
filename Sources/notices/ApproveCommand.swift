import ArgumentParser
import NoticesKit

struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve draft messages: draft → ready.",
        discussion: """
        Recipients must not be empty; they are snapshotted into the manifest and \
        recipients.json is frozen from then on. With --all --status draft, messages \
        without recipients are skipped and listed; the others are approved.

        Example:
          notices approve maintenance-zayo-2026-0142--acme --by noc@example.net
          notices approve --all --status draft --root examples/carrier
        """
    )
    @Argument(help: "Message IDs.") var ids: [String] = []
    @OptionGroup var options: LifecycleOptions
    @Option(help: "Who approves (default: NOTICES_USER, git user.email, login name).") var by: String?
    @Option(help: "A note for the journal.") var message: String?

    func run() throws {
        try options.perform(.approve, ids: ids, at: nil, by: by ?? Lifecycle.defaultUser(), message: message)
    }
}
