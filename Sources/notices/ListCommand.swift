import ArgumentParser
import Foundation
import NoticesKit

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the messages of the manifest.",
        discussion: """
        Example:
          notices list --root examples/carrier
          notices list --status ready --json     # what a mail tool picks up
        """
    )

    @OptionGroup var output: OutputOptions

    @Option(help: "Only messages with this status.")
    var status: MessageStatus?

    @Flag(help: "JSON: id, status, folder, subject, recipients, files, and the approval, sending and withdrawal times.")
    var json = false

    func run() throws {
        let out = try output.enter()
        try reportingFailures {
            try MessageList.write(out: out, status: status, json: json) { print($0) }
        }
    }
}
