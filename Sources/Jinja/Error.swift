/// An error from lexing, parsing or rendering a template: it names the template,
/// the line and column and a readable cause, and how the template was reached,
/// like `part.j2:3:4: 'missing' is undefined (included from body.md.j2:2:4)`.
public struct TemplateError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case syntax = "TemplateSyntaxError"
        case undefined = "UndefinedError"
        case type = "TypeError"
        case notFound = "TemplateNotFound"
        case runtime = "TemplateRuntimeError"
        case limit = "LimitExceeded"
        case value = "ValueError"
    }

    /// A place on the way to the error: the tag that included, imported or extended
    /// the template the error is in (or that led to it).
    public struct Site: Sendable, Equatable {
        public enum How: String, Sendable { case included = "included from", imported = "imported from", extended = "extended by" }
        public var how: How
        public var template: String?
        public var line: Int
        public var column: Int

        public var description: String {
            "\(how.rawValue) \(template ?? "<template>"):\(line):\(column)"
        }
    }

    public var kind: Kind
    public var message: String
    /// The template's name (a file name or a slug); nil for a string template.
    public var template: String?
    /// 1-based line in the template source; 0 when unknown.
    public var line: Int
    /// 1-based column (in code points) of the construct that failed; 0 when unknown.
    public var column: Int
    /// The source line `line` refers to, for showing it with a caret.
    public var sourceLine: String?
    /// The tags that led to the template, innermost first.
    public var chain: [Site]

    public init(_ kind: Kind, _ message: String, template: String? = nil, line: Int = 0, column: Int = 0) {
        self.kind = kind
        self.message = message
        self.template = template
        self.line = line
        self.column = column
        self.chain = []
    }

    /// `name:line:column`, as far as known.
    public var place: String {
        var parts = [template ?? "<template>"]
        if line > 0 {
            parts.append(String(line))
            if column > 0 { parts.append(String(column)) }
        }
        return parts.joined(separator: ":")
    }

    /// The chain as text: ` (included from body.j2:2:4)`, or "".
    public var via: String {
        chain.isEmpty ? "" : " (" + chain.map(\.description).joined(separator: ", ") + ")"
    }

    public var description: String { "\(place): \(message)\(via)" }

    /// The failing source line with a caret under the column, as minijinja and rustc
    /// show it; empty when the line is not known.
    public var sourceExcerpt: String {
        guard let sourceLine, line > 0 else { return "" }
        let number = String(line)
        let gutter = String(repeating: " ", count: number.count)
        var out = "\(gutter) |\n\(number) | \(sourceLine)\n"
        if column > 0 {
            // Tabs stay tabs so the caret lines up under them.
            let lead = sourceLine.unicodeScalars.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
            out += "\(gutter) | \(lead)^\n"
        }
        return out
    }
}
