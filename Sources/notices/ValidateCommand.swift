import ArgumentParser
import Foundation
import NoticesKit

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the data files and templates of ROOT and report every problem.",
        discussion: """
        Problems are printed as `path:line:col: error: text`, sorted by file and line, \
        with paths relative to ROOT. Exit status: 0 when clean (warnings allowed), 1 when \
        there are errors, 2 on a usage error.

        Example:
          notices validate examples/carrier
          notices validate --json . | jq '.[] | select(.severity == "error")'
        """
    )

    @OptionGroup var tree: TreeOptions

    @Flag(help: "Print the problems as a JSON array of {file, line, column, severity, message}.")
    var json = false

    func run() throws {
        try tree.enter()
        let result = Validation.validate(root: tree.rootURL)
        if json {
            print(Validation.json(result.diagnostics), terminator: "")
        } else {
            for d in result.diagnostics { printError(d.description) }
            if !result.hasErrors { print(Validation.summary(result.model)) }
        }
        if result.hasErrors { throw ExitCode(1) }
    }
}
