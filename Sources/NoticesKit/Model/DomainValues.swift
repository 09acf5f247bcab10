/// The fixed vocabularies of the input (SPEC §1): every field whose value comes from a
/// set is one of these, never a bare string.

public enum EventKind: String, Sendable, CaseIterable, Comparable {
    case maintenance, outage
    public static func < (a: EventKind, b: EventKind) -> Bool { a.rawValue < b.rawValue }
}

/// An event's status (SPEC §1.6); each kind has its own set.
package enum EventStatus: String, Sendable, CaseIterable {
    case tentative = "TENTATIVE", confirmed = "CONFIRMED", cancelled = "CANCELLED", inProcess = "IN-PROCESS",
         completed = "COMPLETED", rescheduled = "RE-SCHEDULED", unknown = "UNKNOWN"
    case reported = "REPORTED", investigating = "INVESTIGATING", identified = "IDENTIFIED", monitoring = "MONITORING",
         resolved = "RESOLVED"

    package static let maintenance: [EventStatus] = [.tentative, .confirmed, .cancelled, .inProcess, .completed, .rescheduled, .unknown]
    package static let outage: [EventStatus] = [.reported, .investigating, .identified, .monitoring, .resolved]

    package static func allowed(for kind: EventKind) -> [EventStatus] { kind == .maintenance ? maintenance : outage }
}

/// Which events a template (`event_type`) or a scope serves (SPEC §1.8).
package enum EventTypeFilter: String, Sendable, CaseIterable {
    case maintenance, outage, both
    /// Standalone messages only (templates, not scopes).
    case none

    /// The values a scope's `event_type` takes.
    package static let scopeValues: [EventTypeFilter] = [.maintenance, .outage, .both]

    /// True when it serves events of `kind` (nil: a standalone message).
    package func admits(_ kind: EventKind?) -> Bool {
        switch (self, kind) {
        case (.both, _?), (.none, nil): return true
        case (.maintenance, .maintenance?), (.outage, .outage?): return true
        default: return false
        }
    }
}

/// What a scope names (SPEC §1.8): the tenant, the provider, the event, or an impacted
/// object by its type name (`circuit`, `device`, … or an `objects` type).
package enum ScopeType: Sendable, Hashable, CustomStringConvertible {
    case tenant, provider
    case event(EventKind)
    case target(String)

    package init(_ name: String) {
        switch name {
        case "tenant": self = .tenant
        case "provider": self = .provider
        default: self = EventKind(rawValue: name).map(ScopeType.event) ?? .target(name)
        }
    }

    package var name: String {
        switch self {
        case .tenant: return "tenant"
        case .provider: return "provider"
        case .event(let kind): return kind.rawValue
        case .target(let type): return type
        }
    }

    package var description: String { name }
}

package enum ImpactLevel: String, Sendable, CaseIterable {
    case noImpact = "NO-IMPACT"
    case reducedRedundancy = "REDUCED-REDUNDANCY"
    case degraded = "DEGRADED"
    case outage = "OUTAGE"

    /// Higher is worse: OUTAGE > DEGRADED > REDUCED-REDUNDANCY > NO-IMPACT.
    package var severity: Int {
        switch self {
        case .noImpact: return 0
        case .reducedRedundancy: return 1
        case .degraded: return 2
        case .outage: return 3
        }
    }
}

package enum ContactPriority: String, Sendable, CaseIterable {
    case primary, secondary, tertiary, inactive
    /// Sort rank for recipients: primary, secondary, tertiary, then none.
    package var rank: Int {
        switch self {
        case .primary: return 0
        case .secondary: return 1
        case .tertiary: return 2
        case .inactive: return 4
        }
    }

    /// The priorities a template may ask for (`contact_priorities`).
    package static let selectable: [ContactPriority] = [.primary, .secondary, .tertiary]
}

package enum Granularity: String, Sendable, CaseIterable {
    case perEvent = "per_event", perTenant = "per_tenant", perImpact = "per_impact"
}

package enum BodyFormat: String, Sendable, CaseIterable {
    case markdown, html, text
}
