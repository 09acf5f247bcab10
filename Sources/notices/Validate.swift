import ArgumentParser
import Foundation
import NoticesKit

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
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

    @Argument(help: "The input tree to check.", completion: .directory)
    var root: String = "."

    @Flag(help: "Print the problems as a JSON array of {file, line, column, severity, message}.")
    var json = false

    func run() throws {
        let rootURL = URL(fileURLWithPath: root)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootURL.path, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("'\(root)' is not a folder")
        }
        let result = Validation.validate(root: rootURL)
        if json {
            print(Validation.json(result.diagnostics), terminator: "")
        } else {
            for d in result.diagnostics { printError(d.description) }
            if !result.hasErrors { print(Validation.summary(result.model)) }
        }
        if result.hasErrors { throw ExitCode(1) }
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
