import Foundation
import Jinja

/// `notices validate`: loading plus the checks that need the whole tree.
public enum Validation {
    /// Loads the tree and, when the data is sound, parses every template so syntax
    /// errors (unknown tags, unclosed blocks, unknown filters) surface here too.
    public static func validate(root: URL) -> LoadResult {
        var result = Loader.load(root: root)
        guard !result.hasErrors else { return result }
        let index = ModelIndex(result.model)
        let renderer = MessageRenderer(index: index)
        var problems: [Diagnostic] = []
        for t in result.model.templates {
            var sources: [(String, TemplateSource)] = [("subject_template", t.subject), ("body_template", t.body),
                                                        ("css_template", t.css), ("ical_template", t.ical)]
                .compactMap { f, s in s.map { (f, $0) } }
            sources += t.headers.map { ("headers_template.\($0.0)", $0.1) }
            for (field, source) in sources {
                do {
                    _ = try renderer.template(source)
                } catch let e as TemplateError {
                    let loc = source.errorLocation(line: e.line, column: e.column, in: e.template)
                    problems.append(.error(loc, "\(field) of template '\(t.slug)': line \(e.line): \(e.message)\(e.via)"))
                } catch {
                    problems.append(.error(source.location, "\(field) of template '\(t.slug)': \(ErrorText.describe(error))"))
                }
            }
        }
        // What render would refuse while planning (IDs that clash or are too long).
        let (plans, planned) = Planner.plan(index)
        problems += planned.filter { $0.severity == .error }
        // Render's warning for a message without recipients (SPEC §2.5), by the ID of
        // its first message (validate does not read the output folder).
        problems += plans.compactMap { Planner.noRecipientsWarning($0, id: $0.lineage) }
        result.diagnostics = (result.diagnostics + problems).sortedByLocation()
        return result
    }

    /// One line with the counts of a clean tree.
    package static func summary(_ m: Model) -> String {
        func n(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }
        return "ok: " + [
            n(m.providers.count, "provider", "providers"),
            n(m.tenants.count, "tenant", "tenants"),
            n(m.contacts.count, "contact", "contacts"),
            n(m.inventory.count, "inventory object", "inventory objects"),
            n(m.maintenanceCount, "maintenance", "maintenances"),
            n(m.outageCount, "outage", "outages"),
            n(m.impactCount, "impact", "impacts"),
            n(m.templates.count, "template", "templates"),
            n(m.messages.count, "standalone message", "standalone messages"),
        ].joined(separator: ", ")
    }

    /// The problems as a JSON array (Python-style bytes, like every JSON we write).
    package static func json(_ diagnostics: [Diagnostic]) -> String {
        let items: [JSONValue] = diagnostics.map { d in
            .object([
                ("file", d.location.map { .string($0.file) } ?? .null),
                ("line", d.location.map { .int($0.line) } ?? .null),
                ("column", d.location.map { .int($0.column) } ?? .null),
                ("severity", .string(d.severity.rawValue)),
                ("message", .string(d.message)),
            ])
        }
        return JSONValue.array(items).pythonDumps() + "\n"
    }
}
