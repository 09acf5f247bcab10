import Foundation

/// Free-form data (`custom_fields`, extra inventory fields, `vars`), read with the
/// YAML 1.2 core schema. Mappings keep their order as written.
public indirect enum DataValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([DataValue])
    case map([(String, DataValue)])

    public static func == (a: DataValue, b: DataValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.string(x), .string(y)): return x == y
        case let (.list(x), .list(y)): return x == y
        case let (.map(x), .map(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public static let emptyMap = DataValue.map([])
}

public enum EventKind: String, Sendable, CaseIterable, Comparable {
    case maintenance, outage
    public static func < (a: EventKind, b: EventKind) -> Bool { a.rawValue < b.rawValue }
}

public enum ImpactLevel: String, Sendable, CaseIterable {
    case noImpact = "NO-IMPACT"
    case reducedRedundancy = "REDUCED-REDUNDANCY"
    case degraded = "DEGRADED"
    case outage = "OUTAGE"

    /// Higher is worse: OUTAGE > DEGRADED > REDUCED-REDUNDANCY > NO-IMPACT.
    public var severity: Int {
        switch self {
        case .noImpact: return 0
        case .reducedRedundancy: return 1
        case .degraded: return 2
        case .outage: return 3
        }
    }
}

public enum ContactPriority: String, Sendable, CaseIterable {
    case primary, secondary, tertiary, inactive
    /// Sort rank for recipients: primary, secondary, tertiary, then none.
    public var rank: Int {
        switch self {
        case .primary: return 0
        case .secondary: return 1
        case .tertiary: return 2
        case .inactive: return 4
        }
    }
}

public let maintenanceStatuses = ["TENTATIVE", "CONFIRMED", "CANCELLED", "IN-PROCESS", "COMPLETED", "RE-SCHEDULED", "UNKNOWN"]
public let outageStatuses = ["REPORTED", "INVESTIGATING", "IDENTIFIED", "MONITORING", "RESOLVED"]

public struct Provider: Sendable {
    public var slug: String
    public var name: String
    public var description: String
    public var customFields: DataValue
    public var location: SourceLocation
}

public struct Tenant: Sendable {
    public var slug: String
    public var name: String
    public var group: String
    public var description: String
    public var customFields: DataValue
    public var location: SourceLocation
}

public struct ContactRole: Sendable {
    public var slug: String
    public var name: String
    public var location: SourceLocation
}

/// Identifies an impacted object: its type name (`circuit`, `device`, … or an
/// `objects` type) and its key.
public struct TargetRef: Hashable, Sendable, CustomStringConvertible {
    public var type: String
    public var key: String
    public init(type: String, key: String) {
        self.type = type
        self.key = key
    }
    public var description: String { "\(type) '\(key)'" }
}

/// A circuit, device, site, virtual machine, power feed or generic object.
public struct InventoryObject: Sendable {
    public var collection: String
    public var ref: TargetRef
    /// Every field as written, in order (the key field included).
    public var fields: [(String, DataValue)]
    public var tenant: String?
    public var site: String?
    public var provider: String?
    /// `str()` of the object (SPEC §1.4).
    public var display: String
    public var location: SourceLocation
    public var fieldLocations: [String: SourceLocation]
}

public struct Contact: Sendable {
    public var id: String
    public var name: String
    public var email: String
    public var phone: String
    public var title: String
    public var description: String
    public var customFields: DataValue
    public var location: SourceLocation
}

public struct ContactAssignment: Sendable {
    public var contact: String
    public var tenant: String
    public var role: String?
    public var priority: ContactPriority?
    public var location: SourceLocation
}

public struct Timestamp: Hashable, Comparable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64
    public var microsecond: Int

    public init(seconds: Int64, microsecond: Int = 0) {
        self.seconds = seconds
        self.microsecond = microsecond
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.seconds, a.microsecond) < (b.seconds, b.microsecond)
    }
}

public struct Impact: Sendable {
    public var event: EventRef
    public var target: TargetRef
    public var level: ImpactLevel?
    public var location: SourceLocation
}

public struct EventRef: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var kind: EventKind
    public var id: String
    public init(kind: EventKind, id: String) {
        self.kind = kind
        self.id = id
    }
    public var description: String { "\(kind.rawValue) '\(id)'" }
    public static func < (a: EventRef, b: EventRef) -> Bool { (a.kind, a.id) < (b.kind, b.id) }
}

/// A maintenance or an outage.
public struct Event: Sendable {
    public var kind: EventKind
    public var id: String
    public var name: String
    public var summary: String
    public var provider: String
    public var start: Timestamp?
    public var end: Timestamp?
    public var status: String
    public var originalTimezone: String
    public var internalTicket: String
    public var acknowledged: Bool
    public var comments: String
    public var impactText: String
    public var replaces: String?
    public var reportedAt: Timestamp?
    public var estimatedTimeToRepair: Timestamp?
    public var customFields: DataValue
    /// Inline impacts first, then those of the `impacts` collection, in file order.
    public var impacts: [Impact]
    public var location: SourceLocation
    public var fieldLocations: [String: SourceLocation]

    public var ref: EventRef { EventRef(kind: kind, id: id) }
}

public struct Scope: Sendable {
    public var type: String
    public var object: String?
    public var eventType: String?
    public var eventStatus: String?
    public var weight: Int
    public var location: SourceLocation
}

public enum Granularity: String, Sendable, CaseIterable {
    case perEvent = "per_event", perTenant = "per_tenant", perImpact = "per_impact"
}

public enum BodyFormat: String, Sendable, CaseIterable {
    case markdown, html, text
}

/// A template source: inline text or the contents of a `*_file`.
public struct TemplateSource: Sendable {
    public var text: String
    /// Where the text came from: the YAML field, or the file itself (line 1).
    public var location: SourceLocation
    /// The file name for error messages (the `*_file` path, or "SLUG.field").
    public var name: String

    /// Where an error at `line` of template `template` points: the line itself in a
    /// template file, else the YAML field that holds the template.
    func errorLocation(line: Int, column: Int = 1, in template: String?) -> SourceLocation {
        if location.file == name && (template == nil || template == name) {
            return SourceLocation(file: name, line: max(1, line), column: max(1, column))
        }
        return location
    }
}

public struct MessageTemplate: Sendable {
    public var slug: String
    public var name: String
    public var description: String
    public var eventType: String
    public var granularity: Granularity?
    public var subject: TemplateSource?
    public var body: TemplateSource?
    public var bodyFormat: BodyFormat?
    public var css: TemplateSource?
    public var headers: [(String, TemplateSource)]
    public var includeICal: Bool
    public var ical: TemplateSource?
    public var contactRoles: [String]
    public var contactPriorities: [ContactPriority]
    public var isBaseTemplate: Bool
    public var extends: String?
    public var weight: Int
    public var scopes: [Scope]
    public var location: SourceLocation
    public var fieldLocations: [String: SourceLocation]
}

public struct StandaloneMessage: Sendable {
    public var id: String
    public var template: String
    public var contacts: [String]
    public var tenant: String?
    public var vars: [(String, DataValue)]
    public var location: SourceLocation
    public var fieldLocations: [String: SourceLocation]
}

public struct JinjaSettings: Sendable, Equatable {
    public var trimBlocks = false
    public var lstripBlocks = false
    public var keepTrailingNewline = false
    public init() {}
}

/// Who sends the notices (SPEC §1.10): the identity templates print and the domain of
/// Message-IDs and invite UIDs. Unset fields are "".
public struct Organization: Sendable, Equatable {
    public var name = ""
    public var email = ""
    public var phone = ""
    public var website = ""
    /// As given, else the domain of `email`, else of `eml.from`; "" when none gives one.
    public var domain = ""
    public init() {}
}

public struct Settings: Sendable {
    public var netboxURL = ""
    public var output = "out"
    public var timezone = "UTC"
    public var paths: [String]?
    public var templatePaths: [String]?
    public var strictUndefined = false
    public var jinja = JinjaSettings()
    public var emlFrom: String?
    public var organization = Organization()
    /// Free-form template data (`settings.vars`), YAML 1.2 core schema, in file order.
    public var vars: [(String, DataValue)] = []
    public init() {}
}

/// Everything read from an input tree, in file order.
public struct Model: Sendable {
    public var root: URL
    public var settings = Settings()
    public var providers: [Provider] = []
    public var tenants: [Tenant] = []
    public var contactRoles: [ContactRole] = []
    public var inventory: [InventoryObject] = []
    public var contacts: [Contact] = []
    public var assignments: [ContactAssignment] = []
    public var events: [Event] = []
    public var templates: [MessageTemplate] = []
    public var messages: [StandaloneMessage] = []
    /// Data files read, relative to the root, in reading order.
    public var files: [String] = []

    public init(root: URL) { self.root = root }

    public var impactCount: Int { events.reduce(0) { $0 + $1.impacts.count } }
    public var maintenanceCount: Int { events.filter { $0.kind == .maintenance }.count }
    public var outageCount: Int { events.filter { $0.kind == .outage }.count }
}
