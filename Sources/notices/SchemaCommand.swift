import ArgumentParser
import NoticesKit

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a JSON Schema (draft 2020-12) of the data files, or of notices.yaml.",
        discussion: """
        Editors that speak yaml-language-server (VS Code's YAML extension, Neovim, \
        Helix…) complete and check data files with it; CI can check files with any \
        JSON Schema validator.

        Example:
          notices schema > notices.schema.json
          # then, as the first line of each data file:
          # yaml-language-server: $schema=notices.schema.json
          notices schema --settings > notices-settings.schema.json   # for notices.yaml
        """
    )

    @OptionGroup var directory: DirectoryOption

    @Flag(help: "The schema of notices.yaml (the settings) instead of the data files.")
    var settings = false

    func run() throws {
        try directory.enter()
        print((settings ? Schema.settingsDocument() : Schema.document()).pythonDumps())
    }
}
