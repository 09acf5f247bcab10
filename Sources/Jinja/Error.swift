/// An error from lexing, parsing or rendering a template: it names the template,
/// the line and a readable cause, like `body.md.j2:12: unexpected 'endfor'`.
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

    public var kind: Kind
    public var message: String
    /// The template's name (a file name or a slug); nil for a string template.
    public var template: String?
    /// 1-based line in the template source; 0 when unknown.
    public var line: Int

    public init(_ kind: Kind, _ message: String, template: String? = nil, line: Int = 0) {
        self.kind = kind
        self.message = message
        self.template = template
        self.line = line
    }

    public var description: String {
        let place = [template ?? "<template>", line > 0 ? String(line) : nil].compactMap { $0 }.joined(separator: ":")
        return "\(place): \(message)"
    }
}
