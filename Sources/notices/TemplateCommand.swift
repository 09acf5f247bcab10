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

        With --message ID, FILE (or the body_template of --slug SLUG) is rendered in the \
        repository at --root with exactly the variables `notices render` gives that \
        message (datetimes included; `notices context ID` prints them as JSON), with \
        the repository's template folders, filters and jinja settings. --slug without \
        --message takes the variables from --context.

        Example:
          notices template render body.md.j2 --context '{"name": "World"}'
          notices template render mail.html.j2 --context @context.json --autoescape
          notices template render --slug maintenance-email --message ID
        """
    )

    @OptionGroup var directory: DirectoryOption

    @Argument(help: "The template file (or --slug).", completion: .file())
    var file: String?

    @Option(help: "Render the body_template of this template of the repository.")
    var slug: String?

    @Option(help: "Render with the variables of this message of the repository (as render makes them).")
    var message: String?

    @Option(help: "The repository for --slug and --message.", completion: .directory)
    var root: String = "."

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

    func validate() throws {
        if (file == nil) == (slug == nil) { throw ValidationError("give a template FILE or --slug SLUG (one of them)") }
        if message != nil && context != "{}" { throw ValidationError("--message gives the variables; leave out --context") }
    }

    func run() throws {
        try directory.enter()
        if slug != nil || message != nil { return try renderInTree() }
        guard let file else { return }
        let url = URL(fileURLWithPath: file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ValidationError("cannot read template '\(file)'")
        }
        guard let source = String(data: data, encoding: .utf8) else {
            printError("\(file): error: the template is not UTF-8 text")
            throw ExitCode(1)
        }
        let vars = try contextVariables()
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

    /// --slug or --message: the repository's environment, and a message's variables.
    func renderInTree() throws {
        let rootURL = URL(fileURLWithPath: root).standardizedFileURL
        var tree = try reportingFailures {
            try message.map { try MessageContext.find(root: rootURL, id: $0) } ?? MessageContext.tree(root: rootURL)
        }
        if message == nil { tree.variables = try contextVariables() }
        let name = slug ?? file ?? ""
        let source: String
        if let slug {
            source = try reportingFailures { try tree.body(of: slug) }
        } else {
            guard let data = FileManager.default.contents(atPath: name), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("cannot read template '\(name)' as UTF-8 text")
            }
            source = text
        }
        do {
            FileHandle.standardOutput.write(Data(try tree.render(source, name: name).utf8))
        } catch let e as TemplateError {
            printError(Self.report(e, root: name, rootPath: name, searchPaths: tree.templateFolders.map { rootURL.appendingPathComponent($0) }))
            throw ExitCode(1)
        }
    }

    /// The variables of --context: JSON text, or @FILE.
    func contextVariables() throws -> [String: Value] {
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
        return vars
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
