import Foundation
import Jinja

/// The pages of the review site, rendered from Resources/preview.html.j2 by the
/// project's own Jinja engine with autoescape on: every value from the output folder
/// (subjects, names, bodies, journal notes) is escaped by the engine, never by hand.
/// This file only turns the site's data into template values.
struct PreviewPages {
    let environment: Environment
    private let listTopTemplate, groupTemplate, listBottomTemplate, messageTemplate, factsTemplate: Template

    init() throws {
        var env = Environment()
        env.autoescape = true
        env.options = LexerOptions(trimBlocks: true, lstripBlocks: true, keepTrailingNewline: true)
        env.loader = DictionaryLoader([
            "preview.html.j2": String(decoding: PackageResources.preview_html_j2, as: UTF8.self),
            "preview-message.html.j2": String(decoding: PackageResources.preview_message_html_j2, as: UTF8.self),
            "preview.css": String(decoding: PackageResources.preview_css, as: UTF8.self),
        ])
        environment = env
        func call(_ macro: String, _ arguments: String) throws -> Template {
            try env.fromString("{% from \"preview.html.j2\" import \(macro) %}{{ \(macro)(\(arguments)) }}", name: "preview.\(macro)")
        }
        listTopTemplate = try call("list_top", "heading, links")
        groupTemplate = try call("group", "g, items")
        listBottomTemplate = try call("list_bottom", "empty, events")
        // A message's page is a template of its own: written straight to its output.
        messageTemplate = try env.template(named: "preview-message.html.j2")
        factsTemplate = try call("facts", "rows")
    }

    // MARK: - Pieces of pages

    func listTop(heading: String, links: Value) throws -> String {
        try listTopTemplate.render(["heading": .string(heading), "links": links])
    }

    func group(_ g: Preview.Group, _ items: [Preview.Item]) throws -> String {
        try groupTemplate.render(["g": Self.groupValue(g), "items": .list(items.map(Self.itemValue))])
    }

    func listBottom(empty: Bool, events: Value?) throws -> String {
        try listBottomTemplate.render(["empty": .bool(empty), "events": events ?? .none])
    }

    func message(_ item: Preview.Item, _ detail: Preview.Detail, group: Preview.Group,
                 previous: (id: String, bodyText: String)?) throws -> String {
        let e = item.entry
        var facts: [(String, String)] = [
            ("Template", e.template), ("Event", e.event.map { "\($0.kind.rawValue) \($0.id)" } ?? "none"),
            ("Tenant", e.tenant ?? "none"), ("Sequence", "\(e.sequence)\(e.sequence > 1 ? " (revision of \(e.lineage))" : "")"),
            ("Body format", detail.bodyFormat), ("Rendered", Self.stamp(e.renderedAt)),
        ]
        if let t = e.target { facts.append(("Target", "\(t.type) \(t.key)")) }
        if let by = e.approvedBy { facts.append(("Approved by", by)) }
        if let t = e.approvedAt { facts.append(("Approved", Self.stamp(t))) }
        if let t = e.sentAt { facts.append(("Sent", Self.stamp(t))) }
        if let t = e.deliveredAt { facts.append(("Delivered", Self.stamp(t))) }
        if let t = e.viewedAt { facts.append(("Viewed", Self.stamp(t))) }
        if let t = e.withdrawnAt { facts.append(("Withdrawn", Self.stamp(t))) }
        var m: [(String, Value)] = [
            ("id", .string(e.id)), ("status", .string(e.status.rawValue)), ("title", .string(item.subject.isEmpty ? e.id : item.subject)),
            ("group", Self.groupValue(group)), ("warnings", .list(item.warnings.map(Value.string))),
            ("facts", Self.factsValue(facts)), ("headers", Self.factsValue(detail.headers)),
            ("recipients", .list(item.recipients.map { r in
                Self.dict([("name", .string(r.name)), ("email", .string(r.email)), ("role", Self.optional(r.role)),
                           ("priority", Self.optional(r.priority)), ("tenant", Self.optional(r.tenant))])
            })),
            ("html", Self.optional(detail.bodyHTML)), ("text", .string(detail.bodyText)),
            ("invite", Self.optional(detail.invite)), ("invite_facts", Self.factsValue(detail.invite.map(Self.inviteFacts) ?? [])),
            ("journal", .list(e.journal.map { j in
                Self.dict([("at", .string(Self.stamp(j.at))), ("from", Self.optional(j.from?.rawValue)), ("to", .string(j.to.rawValue)),
                           ("kind", .string(j.kind.rawValue)), ("by", Self.optional(j.by)), ("message", Self.optional(j.message))])
            })),
            ("previous", Self.optional(previous?.id)),
        ]
        if let previous {
            let diff = UnifiedDiff.diff(old: previous.bodyText, new: detail.bodyText, path: "body.txt")
            m.append(("diff", .list(diff.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                let kind = line.hasPrefix("+++") || line.hasPrefix("---") ? "meta" : line.hasPrefix("+") ? "add"
                    : line.hasPrefix("-") ? "del" : line.hasPrefix("@@") ? "meta" : "ctx"
                return Self.dict([("kind", .string(kind)), ("text", .string(String(line)))])
            })))
        }
        return try messageTemplate.render(["m": Self.dict(m)])
    }

    /// The facts table of an invite (the message page's calendar section).
    func inviteSummary(_ ics: String) throws -> String {
        try factsTemplate.render(["rows": Self.factsValue(Self.inviteFacts(ics))])
    }

    // MARK: - Values

    static func dict(_ pairs: [(String, Value)]) -> Value { .dict(Dict(pairs)) }

    static func optional(_ s: String?) -> Value { s.map(Value.string) ?? .none }

    static func link(_ href: String, _ text: String, current: Bool) -> Value {
        dict([("href", .string(href)), ("text", .string(text)), ("current", .bool(current))])
    }

    static func groupValue(_ g: Preview.Group) -> Value {
        dict([("anchor", .string(g.anchor)), ("title", .string(g.title)), ("details", .list(g.details.map(Value.string))),
              ("warnings", .list(g.warnings.map(Value.string))), ("count", .int(g.items.count))])
    }

    static func itemValue(_ item: Preview.Item) -> Value {
        let e = item.entry
        return dict([("id", .string(e.id)), ("status", .string(e.status.rawValue)), ("tenant", optional(e.tenant)),
                     ("recipients", .int(item.recipients.count)), ("page", .string(item.page)), ("subject", .string(item.subject)),
                     ("sequence", .int(e.sequence)), ("warnings", .list(item.warnings.map(Value.string)))])
    }

    /// Rows of a facts table; a value's lines are shown one below the other.
    static func factsValue(_ rows: [(String, String)]) -> Value {
        .list(rows.map { row in
            // By scalar, as Foundation splits: "\r\n" is one Character but holds a "\n".
            let lines = row.1.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { Value.string(String($0)) }
            return dict([("label", .string(row.0)), ("lines", .list(lines))])
        })
    }

    /// When, what and the BCOP properties of an invite.
    static func inviteFacts(_ ics: String) -> [(String, String)] {
        let properties = ICal.properties(ics)
        var facts: [(String, String)] = []
        let wanted: [(String, String)] = [("SUMMARY", "Summary"), ("DTSTART", "Start"), ("DTEND", "End"), ("X-MAINTNOTE-STATUS", "Status"),
                                          ("X-MAINTNOTE-IMPACT", "Impact"), ("X-MAINTNOTE-PROVIDER", "Provider"),
                                          ("X-MAINTNOTE-ACCOUNT", "Account"), ("X-MAINTNOTE-MAINTENANCE-ID", "Maintenance ID"),
                                          ("X-MAINTNOTE-OBJECT-ID", "Object"), ("ORGANIZER", "Organizer"), ("UID", "UID"),
                                          ("SEQUENCE", "Sequence"), ("METHOD", "Method")]
        for (name, label) in wanted {
            for p in properties where p.name == name {
                var shown = ICal.unescapeText(p.value)
                if name.hasPrefix("DT") { shown = icalTime(p.value) }
                if name == "X-MAINTNOTE-OBJECT-ID", let impact = p.parameter("X-MAINTNOTE-OBJECT-IMPACT") { shown += " (\(impact))" }
                if name == "ORGANIZER", let cn = p.parameter("CN") { shown = "\(cn) <\(shown)>" }
                facts.append((label, shown))
            }
        }
        return facts
    }

    /// `20261208T010000Z` → `2026-12-08 01:00:00 UTC`; anything else as written.
    static func icalTime(_ v: String) -> String {
        let c = Array(v)
        guard c.count == 16, c[8] == "T", c[15] == "Z" else { return v }
        return "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8])) \(String(c[9..<11])):\(String(c[11..<13])):\(String(c[13..<15])) UTC"
    }

    static func stamp(_ t: Timestamp) -> String { t.rfc3339.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC") }
}
