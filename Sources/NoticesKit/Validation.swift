import Foundation

/// `notices validate`: loading plus the checks that need the whole tree.
public enum Validation {
    public static func validate(root: URL) -> LoadResult {
        Loader.load(root: root)
    }

    /// One line with the counts of a clean tree.
    public static func summary(_ m: Model) -> String {
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
    public static func json(_ diagnostics: [Diagnostic]) -> String {
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
