import ArgumentParser
import Foundation
import NoticesKit

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show how an event's messages come about: groups, templates and scores, fields, recipients.",
        usage: "notices explain [<root>] <event> [--tenant <tenant>] [-C <dir>]",
        discussion: """
        ROOT may be left out inside the repository: `notices explain EVENT`.

        Example:
          notices explain examples/carrier zayo-2026-0142
          notices explain examples/carrier zayo-2026-0142 --tenant acme
        """
    )

    @OptionGroup var directory: DirectoryOption

    /// With one argument, it is the event and ROOT is `.`.
    @Argument(help: "The input tree (default: .; may be left out).", completion: .directory)
    var root: String?

    @Argument(help: "An event id (or a standalone message id).")
    var event: String?

    @Option(help: "Only the group of this tenant.") var tenant: String?

    func validate() throws {
        guard root != nil else { throw ValidationError("Missing expected argument '<event>'") }
    }

    /// ROOT and the event, with ROOT left out inside the repository.
    var rootAndEvent: (root: String, event: String) {
        if let event { return (root ?? ".", event) }
        return (".", root ?? "")
    }

    func run() throws {
        try directory.enter()
        let (root, event) = rootAndEvent
        try checkFolder(root)
        let loaded = Loader.load(root: URL(fileURLWithPath: root).standardizedFileURL)
        if loaded.hasErrors {
            report(loaded.diagnostics)
            throw ExitCode(1)
        }
        let text = try reportingFailures { try Explain.report(ModelIndex(loaded.model), event: event, tenant: tenant) }
        print(text, terminator: "")
    }
}
