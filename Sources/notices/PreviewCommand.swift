import ArgumentParser
import Foundation
import NoticesKit

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Write a static HTML review site of the rendered messages to OUT/preview.",
        discussion: """
        Reads the output folder as it is (run `notices render` first) and writes \
        OUT/preview/index.html (messages grouped by event, with status, tenant, \
        recipients, subject, sequence and warnings; one page per status and per event) \
        and OUT/preview/messages/ID.html (headers, recipients, the HTML body in a \
        sandboxed frame, the text body, the invite as a summary and raw, the journal, \
        and for a revision the diff of its text against the previous one). The site \
        needs no network and no JavaScript; publish it as a CI artifact or on Pages. \
        `notices check` ignores the preview folder.

        Example:
          notices render examples/carrier
          notices preview examples/carrier
          xdg-open examples/carrier/out/preview/index.html
        """
    )

    @OptionGroup var tree: TreeOptions
    @OptionGroup var out: OutOption

    func run() throws {
        try tree.enter()
        let outURL = try out.checked(root: tree.rootURL)
        let loaded = Loader.load(root: tree.rootURL, out: outURL)
        if loaded.hasErrors {
            report(loaded.diagnostics)
            throw ExitCode(1)
        }
        let (output, pages) = try reportingFailures { () throws -> (OutputFolder, Int) in
            let output = try OutputFolder(root: tree.rootURL, settings: loaded.model.settings, override: outURL)
            return (output, try Preview.write(out: output, model: loaded.model))
        }
        print("\(pages) pages in \(output.previewURL.path)")
    }
}
