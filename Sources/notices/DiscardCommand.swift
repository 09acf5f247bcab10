import ArgumentParser
import NoticesKit

struct DiscardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discard",
        abstract: "Delete draft messages (folder and manifest entry).",
        discussion: "Example:\n  notices discard maintenance-lumen-2026-77 --root examples/carrier"
    )
    @Argument(help: "Message IDs.") var ids: [String] = []
    @OptionGroup var options: LifecycleOptions

    func run() throws {
        try options.perform(.discard, ids: ids, at: nil, by: Lifecycle.defaultUser(), message: nil)
    }
}
