import Foundation
import Jinja

/// The files of one rendered message folder, name → bytes, plus what the manifest
/// and the summary need.
package struct RenderedMessage: Sendable {
    package var id: String
    package var files: [String: Data]
    package var subject: String
    package var warnings: [Diagnostic]
}

/// Renders message plans into files. One renderer serves many threads: templates are
/// compiled once and shared.
package final class MessageRenderer: @unchecked Sendable {
    let index: ModelIndex
    let objects: ModelObjects
    let environment: Environment
    /// The same, for iCal templates: a printed value may not hold a line break.
    let icalEnvironment: Environment
    private var compiled: [String: Template] = [:]
    private let lock = NSLock()

    package init(index: ModelIndex) {
        self.index = index
        self.objects = ModelObjects(index)
        let settings = index.model.settings
        var bodies: [String: String] = [:]
        for t in index.model.templates { if let b = t.body { bodies[t.slug] = b.text } }
        let loader = NoticesLoader(bodies: bodies, root: index.model.root, settings: settings)
        func makeEnvironment() -> Environment {
            var env = Environment()
            env.options = LexerOptions(trimBlocks: settings.jinja.trimBlocks, lstripBlocks: settings.jinja.lstripBlocks,
                                       keepTrailingNewline: settings.jinja.keepTrailingNewline)
            env.strictUndefined = settings.strictUndefined
            env.loader = loader
            NoticesFilters.install(into: &env)
            return env
        }
        environment = makeEnvironment()
        var ical = makeEnvironment()
        ical.finalize = ICalLineGuard.finalize
        icalEnvironment = ical
    }

    /// A compiled template for a source, parsed once.
    func template(_ source: TemplateSource, extends parent: String? = nil, ical: Bool = false) throws -> Template {
        let key = source.name + "\u{0}" + (parent ?? "") + (ical ? "\u{0}ical" : "")
        lock.lock()
        if let t = compiled[key] { lock.unlock(); return t }
        lock.unlock()
        var text = source.text
        if let parent, !Self.hasExtends(text) {
            // Rendered as a child of the parent's body; on the same line, so line numbers hold.
            text = "{% extends \(pyStringRepr(parent)) %}" + text
        }
        let t = try (ical ? icalEnvironment : environment).fromString(text, name: source.name)
        lock.lock()
        compiled[key] = t
        lock.unlock()
        return t
    }

    static func hasExtends(_ text: String) -> Bool {
        text.range(of: #"\{%[-+]?\s*extends\b"#, options: .regularExpression) != nil
    }

    /// Renders one template source, turning engine errors into diagnostics at the
    /// template's place.
    func render(_ source: TemplateSource, _ ctx: [String: Value], plan: MessagePlan, field: String, extends parent: String? = nil) throws -> String {
        do {
            return try template(source, extends: parent, ical: field == "ical_template").render(ctx)
        } catch let e as TemplateError {
            let where_ = e.template.map { $0 == source.name ? "" : " in '\($0)'" } ?? ""
            let loc = source.errorLocation(line: e.line, column: e.column, in: e.template)
            throw DiagnosticsError([.error(loc, "\(field) of template '\(plan.merged.suppliedBy[field] ?? plan.merged.top.slug)' (message \(plan.lineage)), line \(e.line)\(where_): \(e.message)\(e.via)")])
        }
    }

    /// `context`: the plan's template context when the caller already built it (for
    /// the message's fingerprint).
    package func render(_ plan: MessagePlan, id: String, sequence: Int, now: Timestamp, previous: PreviousMessage? = nil,
                        context: [String: Value]? = nil) throws -> RenderedMessage {
        // One Markdown budget for everything this message renders (MarkdownLimits).
        try MarkdownBudget.perMessage { try renderMessage(plan, id: id, sequence: sequence, now: now, previous: previous, context: context) }
    }

    private func renderMessage(_ plan: MessagePlan, id: String, sequence: Int, now: Timestamp, previous: PreviousMessage?,
                               context: [String: Value]?) throws -> RenderedMessage {
        let settings = index.model.settings
        let ctx = context ?? objects.context(for: plan, now: now, sequence: sequence, netboxURL: settings.netboxURL, id: id, previous: previous)
        let merged = plan.merged
        var warnings: [Diagnostic] = []
        let at = Planner.location(of: plan)
        func fail(_ message: String) -> DiagnosticsError { DiagnosticsError([.error(at, "message \(id): \(message)")]) }

        guard let subjectSource = merged.subject else { throw fail("the merged templates have no subject_template") }
        guard let bodySource = merged.body else { throw fail("the merged templates have no body_template") }
        let subject = Self.collapse(try render(subjectSource, ctx, plan: plan, field: "subject_template"))
        if subject.isEmpty { throw fail("the subject is empty after rendering (template '\(merged.suppliedBy["subject_template"] ?? "")')") }
        if subject.count > 255 { warnings.append(.warning(at, "message \(id): the subject is \(subject.count) characters long (over 255)")) }
        if let none = Planner.noRecipientsWarning(plan, id: id) { warnings.append(none) }

        let body = try render(bodySource, ctx, plan: plan, field: "body_template", extends: merged.extends)
        let css = try merged.css.map { try render($0, ctx, plan: plan, field: "css_template") } ?? ""

        var headers: [(String, String)] = []
        for (name, source) in merged.headers {
            if let refusal = HeaderPolicy.refusal(name) { throw fail("header '\(name)' \(refusal)") }
            let value = try render(source, ctx, plan: plan, field: "headers_template.\(name)")
            if let problem = HeaderPolicy.valueProblem(name, value) {
                throw DiagnosticsError([.error(source.location, "message \(id): header '\(name)' of template '\(merged.suppliedBy["headers_template.\(name)"] ?? merged.top.slug)' \(problem)")])
            }
            headers.append((name, value))
        }

        // Names and addresses go into the To header: a line break there would add headers.
        for r in plan.recipients where (r.name + r.email).contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
            throw fail("contact '\(r.contactID)' has a line break (CR or LF) in its name or email, which could inject headers")
        }

        var files: [String: Data] = [:]
        var text = body
        var html: String?
        switch merged.bodyFormat {
        case .markdown:
            do {
                html = Self.document(try Markdown.html(body), css: css, title: subject)
            } catch let e as MarkdownLimits.Exceeded {
                throw DiagnosticsError([.error(bodySource.location, "message \(id), body of template '\(merged.suppliedBy["body_template"] ?? merged.top.slug)': \(e.description)")])
            }
        case .html:
            html = body.range(of: "<html", options: .caseInsensitive) != nil ? body : Self.document(body, css: css, title: subject)
            text = HTMLToText.convert(body)
        case .text:
            break
        }
        files["subject"] = Data(subject.utf8)
        files["body.txt"] = Data(text.utf8)
        if let html { files["body.html"] = Data(html.utf8) }
        files["headers.json"] = JSONValue.object(headers.map { ($0.0, .string($0.1)) }).fileData()

        var ical: String?
        if let event = plan.event, event.kind == .maintenance, merged.includeICal, let source = merged.ical {
            let normalized = ICal.normalize(try render(source, ctx, plan: plan, field: "ical_template"))
            // Parsed once for both checks.
            let parsed = ICal.Parsed(normalized)
            let problems = ICal.validate(parsed)
            if !problems.isEmpty {
                throw DiagnosticsError(problems.map {
                    .error(source.location, "message \(id), template '\(merged.suppliedBy["ical_template"] ?? "")': invalid iCal: \($0)")
                })
            }
            ical = normalized
            files["invite.ics"] = Data(normalized.utf8)
            if let problem = ICal.itipProblem(parsed) {
                warnings.append(.warning(source.location, "message \(id), template '\(merged.suppliedBy["ical_template"] ?? "")': \(problem)"))
            }
        }
        files["recipients.json"] = Recipient.fileData(plan.recipients)
        if let from = settings.emlFrom {
            files["message.eml"] = Data(Mail.build(Mail.Parts(
                from: from, to: plan.recipients, subject: subject, headers: headers, text: text, html: html, ical: ical,
                messageID: MessageThread.messageID(id, settings: settings),
                references: MessageThread.references(lineage: plan.lineage, sequence: sequence, settings: settings),
                date: now)).utf8)
        }
        let names = (files.keys + ["message.json"]).sorted().filter { $0 != "message.json" }
        files["message.json"] = Self.messageJSON(plan, id: id, sequence: sequence, files: names).fileData()
        return RenderedMessage(id: id, files: files, subject: subject, warnings: warnings)
    }

    static func messageJSON(_ plan: MessagePlan, id: String, sequence: Int, files: [String]) -> JSONValue {
        .object([
            ("id", .string(id)), ("template", .string(plan.merged.top.slug)),
            ("event", plan.event.map { .object([("type", .string($0.kind.rawValue)), ("id", .string($0.id))]) } ?? .null),
            ("tenant", plan.tenant.map { .string($0.slug) } ?? .null),
            ("target", plan.target.map { .object([("type", .string($0.type)), ("id", .string($0.key))]) } ?? .null),
            ("impacts", .array(plan.impacts.map {
                .object([("type", .string($0.target.type)), ("id", .string($0.target.key)),
                         ("impact", $0.level.map { .string($0.rawValue) } ?? .null)])
            })),
            ("sequence", .int(sequence)), ("body_format", .string(plan.merged.bodyFormat.rawValue)),
            ("files", .array(files.map { .string($0) })),
            // What the next revision's `previous.event` shows (SPEC §2.6).
            ("event_snapshot", plan.event.map { EventSnapshot($0).json } ?? .null),
        ])
    }

    /// Runs of Unicode whitespace (newlines included) become one space; trimmed.
    static func collapse(_ s: String) -> String {
        // ASCII by byte: its whitespace characters are \t \n \v \f \r, space, and
        // "\r\n" (one character of two whitespace bytes).
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [UInt8] = []
            out.reserveCapacity(s.utf8.count)
            var space = false
            for b in s.utf8 {
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) { space = true; continue }
                if space && !out.isEmpty { out.append(0x20) }
                space = false
                out.append(b)
            }
            return String(decoding: out, as: UTF8.self)
        }
        var out = ""
        var space = false
        for c in s {
            if c.isWhitespace { space = true; continue }
            if space && !out.isEmpty { out.append(" ") }
            space = false
            out.append(c)
        }
        return out
    }

    /// A complete HTML document around a body fragment, with the CSS in <style>.
    static func document(_ body: String, css: String, title: String) -> String {
        var out = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(htmlEscape(title))</title>\n"
        if !css.isBlank(newlines: true) {
            out += "<style>\n\(css)\(css.hasSuffix("\n") ? "" : "\n")</style>\n"
        }
        out += "</head>\n<body>\n\(body)\(body.hasSuffix("\n") ? "" : "\n")</body>\n</html>\n"
        return out
    }
}
