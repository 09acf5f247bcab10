import Foundation
import Jinja

/// `notices validate`: loading plus the checks that need the whole tree, and (unless
/// `dataOnly`) a render in memory, so that everything `render` would refuse and every
/// warning it would give is reported in one run (docs/DECISIONS.md).
public enum Validation {
    public struct Options: Sendable {
        /// Only the data and template syntax: no render (fast on large trees).
        public var dataOnly = false
        /// The time of messages a render would create (`render --now`).
        public var now: Timestamp?
        /// The output folder whose manifest a render would continue (--out).
        public var out: URL?
        public var jobs = ProcessInfo.processInfo.activeProcessorCount
        public init() {}
    }

    public static func validate(root: URL, options: Options = Options()) -> LoadResult {
        var result = Loader.load(root: root, out: options.out)
        guard !result.hasErrors else { return result }
        let syntax = templateSyntax(result.model)
        var found = result.diagnostics + syntax
        if options.dataOnly {
            // What render would refuse while planning (IDs that clash or are too long).
            // Render's warning for a message without recipients (SPEC §2.5), by the ID of
            // its first message (the output folder is not read).
            var unreachable: [Diagnostic] = []
            let planned = Planner.forEachPlan(ModelIndex(result.model)) { plan in
                if let warning = Planner.noRecipientsWarning(plan, id: plan.lineage) { unreachable.append(warning) }
            }
            found += planned.filter { $0.severity == .error } + unreachable
        } else {
            // A template that does not parse fails every message that uses it: said once.
            let reported = Set(syntax.compactMap(\.location))
            found += renderInMemory(result, options).filter { d in d.severity == .warning || d.location.map { !reported.contains($0) } ?? true }
        }
        var seen = Set<Diagnostic>()
        result.diagnostics = found.filter { seen.insert($0).inserted }.sortedByLocation()
        return result
    }

    /// Parses every template, so syntax errors (unknown tags, unclosed blocks, unknown
    /// filters) surface even in templates no message uses.
    static func templateSyntax(_ model: Model) -> [Diagnostic] {
        let renderer = MessageRenderer(index: ModelIndex(model))
        var problems: [Diagnostic] = []
        for t in model.templates {
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
        return problems
    }

    /// Every message rendered as `render` would (the manifest of OUT read, nothing
    /// written): its errors, else its warnings; the warnings found before an error too.
    static func renderInMemory(_ loaded: LoadResult, _ options: Options) -> [Diagnostic] {
        let settings = loaded.model.settings
        do {
            let out = try OutputFolder(root: loaded.model.root, settings: settings, override: options.out)
            let manifest = try out.readManifest() ?? Manifest()
            let pipeline = Pipeline.Options(now: Schedule.runNow(options.now), jobs: options.jobs, fingerprints: [:],
                                            previousMessage: { try PreviousMessage.read($0, out: out, settings: settings) }, progress: nil)
            return try Pipeline.run(loaded, manifest: consume manifest, options: pipeline) { _ -> Bool? in nil }.warnings
        } catch let e as DiagnosticsError {
            return e.diagnostics + e.warnings
        } catch {
            return [.error(nil, ErrorText.describe(error))]
        }
    }

    /// One line with the counts of a clean tree.
    package static func summary(_ m: Model) -> String {
        return "ok: " + [
            counted(m.providers.count, "provider", "providers"),
            counted(m.tenants.count, "tenant", "tenants"),
            counted(m.contacts.count, "contact", "contacts"),
            counted(m.inventory.count, "inventory object", "inventory objects"),
            counted(m.maintenanceCount, "maintenance", "maintenances"),
            counted(m.outageCount, "outage", "outages"),
            counted(m.impactCount, "impact", "impacts"),
            counted(m.templates.count, "template", "templates"),
            counted(m.messages.count, "standalone message", "standalone messages"),
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
