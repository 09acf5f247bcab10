import ArgumentParser
import Foundation
import NoticesKit

struct ContextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Print the template variables of one message as JSON.",
        discussion: """
        The variables are those `notices render` gives the message's templates now (its \
        ID, sequence and time from OUT's manifest): datetimes as ISO 8601 text, model \
        objects as their fields. For debugging templates; `notices template render \
        --message ID` renders a template with the same variables.

        Example:
          notices context maintenance-zayo-2026-0142--acme --root examples/carrier
        """
    )

    @OptionGroup var output: OutputOptions

    @Argument(help: "The message ID (as `notices list` shows it).")
    var id: String

    func run() throws {
        let out = try output.enter()
        let context = try reportingFailures {
            try MessageContext.find(root: URL(fileURLWithPath: output.root).standardizedFileURL, id: id, out: out.url)
        }
        print(context.json.pythonDumps())
    }
}
