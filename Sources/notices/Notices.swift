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
        subcommands: [Validate.self]
    )
}
