import Foundation
import Jinja

/// One message's template context exactly as `render` builds it (`notices template
/// render --message ID`, `notices context ID`): the tree loaded, the message planned
/// and given its ID, sequence and time from OUT's manifest, its previous revision read
/// from OUT.
package struct MessageContext {
    package let renderer: MessageRenderer
    /// The message's ID; nil for the tree alone (`tree(root:)`).
    package let id: String?
    package var variables: [String: Value]

    /// The tree's environment and templates, with no message (variables given by the caller).
    package static func tree(root: URL) throws -> MessageContext {
        let loaded = Loader.load(root: root)
        if loaded.hasErrors { throw DiagnosticsError(loaded.diagnostics.filter { $0.severity == .error }) }
        return MessageContext(renderer: MessageRenderer(index: ModelIndex(loaded.model)), id: nil, variables: [:])
    }

    /// The template folders as notices.yaml names them (for error reports).
    package var templateFolders: [String] { renderer.index.model.settings.templatePaths ?? ["templates"] }

    /// The body_template of the template with this slug.
    package func body(of slug: String) throws -> String {
        let templates = renderer.index.model.templates
        guard let t = templates.first(where: { $0.slug == slug }) else {
            let hint = closestMatch(slug, in: templates.map(\.slug)).map { " (did you mean '\($0)'?)" } ?? ""
            throw DiagnosticsError([.error(nil, "no template '\(slug)'\(hint)")])
        }
        guard let body = t.body else { throw DiagnosticsError([.error(t.location, "template '\(slug)' has no body_template")]) }
        return body.text
    }

    /// Finds message `id` among the messages a render of `root` would make now.
    package static func find(root: URL, id: String, out override: URL? = nil, now: Timestamp? = nil) throws -> MessageContext {
        let loaded = Loader.load(root: root, out: override)
        if loaded.hasErrors { throw DiagnosticsError(loaded.diagnostics.filter { $0.severity == .error }) }
        let settings = loaded.model.settings
        let out = try OutputFolder(root: loaded.model.root, settings: settings, override: override)
        let manifest = try out.readManifest() ?? Manifest()
        let index = ModelIndex(loaded.model)
        let schedule = Schedule(manifest, now: Schedule.runNow(now))
        let (plans, diagnostics) = Planner.plan(index)
        if diagnostics.hasErrors { throw DiagnosticsError(diagnostics.filter { $0.severity == .error }) }
        let jobs = plans.map { schedule.job(for: $0, in: manifest) }
        guard let job = jobs.first(where: { $0.id == id }) else {
            let ids = jobs.map(\.id)
            let hint = closestMatch(id, in: ids).map { " (did you mean '\($0)'?)" } ?? ""
            throw DiagnosticsError([.error(nil, "no message '\(id)' in what a render would make now\(hint)")])
        }
        let renderer = MessageRenderer(index: index)
        let previous = try job.before.flatMap { try PreviousMessage.read($0, out: out, settings: settings) }
        let plan = job.renderedPlan
        let variables = renderer.objects.context(for: plan, now: job.now, sequence: job.sequence, netboxURL: settings.netboxURL,
                                                 id: job.id, previous: previous)
        return MessageContext(renderer: renderer, id: job.id, variables: variables)
    }

    /// Renders a template text in the tree's environment (its loader, filters and
    /// settings.jinja) with this context.
    package func render(_ text: String, name: String) throws -> String {
        try renderer.environment.fromString(text, name: name).render(variables)
    }

    /// The context as JSON: datetimes as ISO 8601 text, model objects as their fields
    /// (links included); an object already being printed further up, or one deeper than
    /// `maxDepth` objects, as its `str()` (links such as replaces/replaced_by go both ways).
    package var json: JSONValue {
        var path: Set<String> = []
        return .object(variables.keys.sorted().map { ($0, Self.json(variables[$0]!, &path)) })
    }

    static let maxDepth = 6

    static func json(_ v: Value, _ path: inout Set<String>) -> JSONValue {
        switch v {
        case .undefined, .none, .function: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .bigint(let b): return .string(String(describing: b))
        case .double(let d): return .double(d)
        case .string(let s), .markup(let s): return .string(s)
        case .list(let items), .tuple(let items): return .array(items.map { json($0, &path) })
        case .dict(let d): return .object(d.pairs.map { (k, v) in ((try? k.str()) ?? "", json(v, &path)) })
        case .object(let o):
            if let dt = o as? DateTimeValue { return .string(dt.isoformat()) }
            guard let record = o as? RecordObject else { return .string(o.stringValue) }
            let key = record.identity ?? "\(record.typeName):\(record.display)"
            guard !path.contains(key), path.count < maxDepth else { return .string(o.stringValue) }
            path.insert(key)
            defer { path.remove(key) }
            let names = record.order + record.links.keys.sorted().filter { record.fields[$0] == nil }
            return .object(names.map { ($0, json(record.attribute($0) ?? .none, &path)) })
        }
    }
}
