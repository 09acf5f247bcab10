import ArgumentParser
import Foundation
import Jinja
import NoticesKit

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Work with single templates.",
        subcommands: [RenderTemplateCommand.self]
    )
}

struct RenderTemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render one Jinja template with a JSON context to standard output.",
        discussion: """
        The output is written exactly as rendered; no newline is added. Names in \
        {% include %}, {% extends %} and {% import %} are looked up under --search-path \
        (default: the folder of FILE). Errors go to standard error with exit status 1.

        Example:
          notices template render body.md.j2 --context '{"name": "World"}'
          notices template render mail.html.j2 --context @context.json --autoescape
        """
    )

    @OptionGroup var directory: DirectoryOption

    @Argument(help: "The template file.", completion: .file())
    var file: String

    @Option(help: "The variables: a JSON object, or @FILE to read it from a file.")
    var context: String = "{}"

    @Option(help: "A folder for included, extended and imported templates (repeatable).", completion: .directory)
    var searchPath: [String] = []

    @Flag(help: "Make any use of an undefined value an error.")
    var strictUndefined = false

    @Flag(help: "Escape HTML in printed values (Jinja2's autoescape).")
    var autoescape = false

    @Flag(help: "Remove the first newline after a block tag.")
    var trimBlocks = false

    @Flag(help: "Strip spaces and tabs before a block tag at the start of a line.")
    var lstripBlocks = false

    @Flag(help: "Keep the template's final newline.")
    var keepTrailingNewline = false

    func run() throws {
        try directory.enter()
        let url = URL(fileURLWithPath: file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ValidationError("cannot read template '\(file)'")
        }
        guard let source = String(data: data, encoding: .utf8) else {
            printError("\(file): error: the template is not UTF-8 text")
            throw ExitCode(1)
        }
        var contextText = context
        if context.hasPrefix("@") {
            guard let d = FileManager.default.contents(atPath: String(context.dropFirst())) else {
                throw ValidationError("cannot read context file '\(context.dropFirst())'")
            }
            contextText = String(decoding: d, as: UTF8.self)
        }
        let vars: [String: Value]
        do {
            vars = try TemplateValues.context(fromJSON: contextText, file: context.hasPrefix("@") ? String(context.dropFirst()) : "--context")
        } catch let e as DiagnosticsError {
            for d in e.diagnostics { printError(d.description) }
            // `--context ctx.json` reads as JSON text; a file needs the @.
            if !context.hasPrefix("@"), FileManager.default.fileExists(atPath: context) {
                printError("note: --context takes JSON text; to read the file '\(context)', write --context @\(context)")
            } else if !context.hasPrefix("@"), !context.drop(while: \.isWhitespace).hasPrefix("{") {
                printError("note: --context takes a JSON object, or @FILE to read one from a file")
            }
            throw ExitCode(1)
        }
        var env = Environment()
        env.options = LexerOptions(trimBlocks: trimBlocks, lstripBlocks: lstripBlocks, keepTrailingNewline: keepTrailingNewline)
        env.autoescape = autoescape
        env.strictUndefined = strictUndefined
        let paths = searchPath.isEmpty ? [url.deletingLastPathComponent()] : searchPath.map { URL(fileURLWithPath: $0) }
        env.loader = FileSystemLoader(searchPaths: paths)
        NoticesFilters.install(into: &env)
        do {
            let template = try env.fromString(source, name: url.lastPathComponent)
            let out = try template.render(vars)
            FileHandle.standardOutput.write(Data(out.utf8))
        } catch let e as TemplateError {
            printError(Self.report(e, root: url.lastPathComponent, rootPath: file, searchPaths: paths))
            throw ExitCode(1)
        }
    }

    /// `file:line:col: error: message`, like the loader's diagnostics, then the tags
    /// that led there and the source line with a caret under the column.
    static func report(_ e: TemplateError, root: String, rootPath: String, searchPaths: [URL]) -> String {
        func path(_ name: String?) -> String {
            guard let name, name != root else { return rootPath }
            for base in searchPaths where FileManager.default.fileExists(atPath: base.appendingPathComponent(name).path) {
                let p = base.appendingPathComponent(name).relativePath
                return p.hasPrefix("./") ? String(p.dropFirst(2)) : p
            }
            return name
        }
        var place = path(e.template)
        if e.line > 0 { place += ":\(e.line)" + (e.column > 0 ? ":\(e.column)" : "") }
        var lines = ["\(place): error: \(e.message)"]
        for site in e.chain {
            lines.append("  \(site.how.rawValue) \(path(site.template)):\(site.line):\(site.column)")
        }
        let excerpt = e.sourceExcerpt
        if !excerpt.isEmpty { lines.append(String(excerpt.dropLast())) }
        return lines.joined(separator: "\n")
    }
}
