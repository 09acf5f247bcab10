import ArgumentParser
import Foundation
import NoticesKit
#if canImport(Glibc)
import Glibc
#endif

@main
struct Notices: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices",
        abstract: "Render maintenance and outage notifications from a GitOps repository.",
        discussion: """
        notices reads providers, tenants, inventory, contacts, events and Jinja templates \
        from YAML/JSON files under ROOT and turns them into customer notifications. \
        `notices -C DIR COMMAND` runs a command as if started in DIR.

        Example:
          notices validate examples/carrier
          notices render examples/carrier
          notices explain examples/carrier zayo-2026-0142 --tenant acme
          notices check examples/carrier          # in CI: exit 1 when out/ is stale
        """,
        version: noticesVersion,
        subcommands: [ValidateCommand.self, RenderCommand.self, MergeCommand.self, CheckCommand.self, ExplainCommand.self, ListCommand.self,
                      ApproveCommand.self, DiscardCommand.self, MarkCommand.self, RetryCommand.self, WithdrawCommand.self, PreviewCommand.self,
                      SchemaCommand.self, TemplateCommand.self, ContextCommand.self, InitCommand.self]
    )

    /// Like ArgumentParser's own `main`, but usage errors exit with 2 (SPEC §4), not
    /// EX_USAGE (64); `-C DIR` may come before the command; a mistyped command gets a
    /// suggestion.
    static func main() {
        #if canImport(Glibc)
        // Keep freed memory in the process instead of trimming it back to the kernel
        // after every message: with two render threads the trim/fault churn tripled
        // the render time (docs/PERFORMANCE.md).
        _ = glibcMallopt(-1 /* M_TRIM_THRESHOLD */, 256 << 20)
        _ = glibcMallopt(-2 /* M_TOP_PAD */, 64 << 20)
        #endif
        do {
            var arguments = Array(CommandLine.arguments.dropFirst())
            try enterLeadingDirectories(&arguments)
            try checkCommandName(arguments)
            var command = try parseAsRoot(arguments)
            do {
                try command.run()
            } catch let e as ValidationError {
                // A usage error found while running: the usage of this command, not the top level's.
                let type = Swift.type(of: command)
                printError("Error: \(e.message)\nUsage: \(usageString(for: type))\n  See '\(commandPath(type)) --help' for more information.")
                Foundation.exit(2)
            }
        } catch {
            // File-system errors that escape a command: a readable line, exit 1.
            if ErrorText.isFoundation(error) {
                printError("error: \(ErrorText.describe(error))")
                Foundation.exit(1)
            }
            let code = exitCode(for: error)
            if code.rawValue == 64 {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    /// `notices -C DIR [-C DIR…] COMMAND …`: each DIR relative to the one before, as git does.
    static func enterLeadingDirectories(_ arguments: inout [String]) throws {
        while let first = arguments.first, first.hasPrefix("-C") {
            if first == "-C" {
                guard arguments.count >= 2 else { throw ValidationError("-C needs a folder") }
                try changeDirectory(arguments[1])
                arguments.removeFirst(2)
            } else {
                try changeDirectory(String(first.dropFirst(first.hasPrefix("-C=") ? 3 : 2)))
                arguments.removeFirst()
            }
        }
    }

    /// `notices template render`: the words that name a command.
    static func commandPath(_ type: ParsableCommand.Type) -> String {
        func find(_ node: ParsableCommand.Type, _ path: [String]) -> [String]? {
            let here = path + [node.configuration.commandName ?? ""]
            if node == type { return here }
            return node.configuration.subcommands.lazy.compactMap { find($0, here) }.first
        }
        return (find(Notices.self, []) ?? ["notices"]).joined(separator: " ")
    }

    /// A first argument that names no command is a usage error with a suggestion.
    static func checkCommandName(_ arguments: [String]) throws {
        guard let name = arguments.first, !name.hasPrefix("-") else { return }
        let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        guard !names.contains(name) else { return }
        let suggestion = closestMatch(name, in: names).map { " (did you mean '\($0)'?)" } ?? ""
        throw ValidationError("unknown command '\(name)'\(suggestion)")
    }
}

#if canImport(Glibc)
/// glibc's `mallopt` (malloc.h is not part of the Glibc module).
@_silgen_name("mallopt")
func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32
#endif
