import ArgumentParser
import Foundation
import NoticesKit

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a repository in DIR that renders a first message right away.",
        discussion: """
        Writes notices.yaml (organization, time zone, strict_undefined), the JSON \
        Schemas for editors, the starter templates in templates/, one provider, tenant, \
        circuit, contact and maintenance, a .gitignore and a GitHub Actions workflow. \
        DIR (default .) is made if missing; a folder with files in it (other than \
        .git) is refused unless --force, which replaces only files of the same names.

        Example:
          notices init noc-notices && cd noc-notices && notices render
        """
    )

    @OptionGroup var directory: DirectoryOption

    @Argument(help: "The folder to start the repository in.")
    var dir: String = "."

    @Flag(help: "Write into a folder that is not empty.")
    var force = false

    func run() throws {
        try directory.enter()
        let url = URL(fileURLWithPath: dir).standardizedFileURL
        let written = try reportingFailures {
            try StarterRepository.write(to: url, now: Schedule.runNow(nil), force: force)
        }
        print("wrote \(written.count) files in \(dir):")
        for path in written { print("  \(path)") }
        let cd = dir == "." ? "" : "cd \(dir) && "
        print("next: \(cd)notices render && notices list")
    }
}
