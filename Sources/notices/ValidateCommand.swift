import ArgumentParser
import Foundation
import NoticesKit

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the data files and templates of ROOT and report every problem.",
        discussion: """
        Reports in one run everything `notices render` would refuse and every warning it \
        would give: the data, the templates' syntax, and every message rendered in memory \
        (nothing is written). --data-only skips the rendering, for a quick check of a \
        large tree. Problems are printed as `path:line:col: error: text`, sorted by file \
        and line, with paths relative to ROOT. Exit status: 0 when clean (warnings \
        allowed), 1 when there are errors, 2 on a usage error.

        Example:
          notices validate examples/carrier
          notices validate --json . | jq '.[] | select(.severity == "error")'
        """
    )

    @OptionGroup var tree: TreeOptions
    @OptionGroup var out: OutOption

    @Flag(help: "Check the data and the templates' syntax only; render nothing.")
    var dataOnly = false

    @Option(help: "The render time of new messages, as for render (RFC 3339).")
    var now: String?

    @Flag(help: "Print the problems as a JSON array of {file, line, column, severity, message}.")
    var json = false

    func run() throws {
        try tree.enter()
        var options = Validation.Options()
        options.dataOnly = dataOnly
        options.now = try renderTime(now)
        options.out = out.url
        let result = Validation.validate(root: tree.rootURL, options: options)
        if json {
            print(Validation.json(result.diagnostics), terminator: "")
        } else {
            for d in result.diagnostics { printError(d.description) }
            if !result.hasErrors { print(Validation.summary(result.model)) }
        }
        if result.hasErrors { throw ExitCode(1) }
    }
}
