import ArgumentParser
import Foundation

@main
struct Notices: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices",
        abstract: "Render maintenance and outage notifications from a GitOps repository.",
        discussion: """
        notices reads providers, tenants, inventory, contacts, events and Jinja templates \
        from YAML/JSON files under ROOT and turns them into customer notifications.
        """,
        subcommands: [Validate.self, Render.self, Check.self, Explain.self, List.self, Approve.self, Discard.self, Mark.self, Retry.self, TemplateCommand.self]
    )

    /// Like ArgumentParser's own `main`, but usage errors exit with 2 (SPEC §4),
    /// not EX_USAGE (64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code.rawValue == 64 {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
