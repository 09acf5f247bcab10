import ArgumentParser
import NoticesKit

struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Queue failed messages again: failed → ready.",
        discussion: "Example:\n  notices retry maintenance-zayo-2026-0142--acme --message \"relay back up\""
    )
    @Argument(help: "Message IDs.") var ids: [String] = []
    @OptionGroup var options: LifecycleOptions
    @Option(help: "A note for the journal.") var message: String?

    func run() throws {
        try options.perform(.retry, ids: ids, at: nil, by: Lifecycle.defaultUser(), message: message)
    }
}
