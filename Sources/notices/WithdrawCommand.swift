import ArgumentParser
import NoticesKit

struct WithdrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw",
        abstract: "Withdraw approved messages that must not be sent: ready or failed → withdrawn.",
        discussion: """
        Withdrawn is final: the message stays in the manifest and its folder for the \
        record, and no command sends it. A newer revision withdraws the earlier ready or \
        failed messages of its lineage by itself when it is rendered.

        Example:
          notices withdraw maintenance-zayo-2026-0142--acme --message "window moved"
          notices withdraw --all --status failed --root examples/carrier
        """
    )
    @Argument(help: "Message IDs.") var ids: [String] = []
    @OptionGroup var options: LifecycleOptions
    @Option(help: "A note for the journal.") var message: String?

    func run() throws {
        try options.perform(.withdraw, ids: ids, at: nil, by: Lifecycle.defaultUser(), message: message)
    }
}
