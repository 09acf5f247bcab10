import Foundation

/// Free-form data (`custom_fields`, extra inventory fields, `vars`), read with the
/// YAML 1.2 core schema. Mappings keep their order as written.
package indirect enum DataValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([DataValue])
    case map([(String, DataValue)])

    package static func == (a: DataValue, b: DataValue) -> Bool {
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

    package static let emptyMap = DataValue.map([])
}

package struct Provider: Sendable {
    /// Every field as read (template objects and fingerprints derive from these).
    package var values: RecordValues
    package var slug: String
    package var name: String
    package var description: String
    package var customFields: DataValue
    package var location: SourceLocation
}

package struct Tenant: Sendable {
    package var values: RecordValues
    package var slug: String
    package var name: String
    package var group: String
    package var description: String
    package var customFields: DataValue
    package var location: SourceLocation
}

package struct ContactRole: Sendable {
    package var slug: String
    package var name: String
    package var location: SourceLocation
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
package struct InventoryObject: Sendable {
    package var collection: String
    package var ref: TargetRef
    /// Every field as written, in order (the key field included).
    package var fields: [(String, DataValue)]
    package var tenant: String?
    package var site: String?
    package var provider: String?
    /// `str()` of the object (SPEC §1.4).
    package var display: String
    package var location: SourceLocation
    package var fieldLocations: [String: SourceLocation]
}

package struct Contact: Sendable {
    package var values: RecordValues
    package var id: String
    package var name: String
    package var email: String
    package var phone: String
    package var title: String
    package var description: String
    package var customFields: DataValue
    package var location: SourceLocation
}

package struct ContactAssignment: Sendable {
    package var contact: String
    package var tenant: String
    package var role: String?
    package var priority: ContactPriority?
    package var location: SourceLocation
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

package struct Impact: Sendable {
    package var event: EventRef
    package var target: TargetRef
    package var level: ImpactLevel?
    /// false: left out of every message and variable (SPEC §1.7).
    package var notify = true
    package var location: SourceLocation
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
package struct Event: Sendable {
    package var values: RecordValues
    package var kind: EventKind
    package var id: String
    package var name: String
    package var summary: String
    package var provider: String
    package var start: Timestamp?
    package var end: Timestamp?
    package var status: EventStatus
    package var originalTimezone: String
    package var internalTicket: String
    package var acknowledged: Bool
    package var comments: String
    package var impactText: String
    package var replaces: String?
    package var reportedAt: Timestamp?
    package var estimatedTimeToRepair: Timestamp?
    package var customFields: DataValue
    /// Inline impacts first, then those of the `impacts` collection, in file order;
    /// after loading, only those to notify (the others are in `silencedImpacts`).
    package var impacts: [Impact]
    /// false: the event makes no message (SPEC §1.6).
    package var notify = true
    /// Impacts with `notify: false`: checked like the others, used for nothing else.
    package var silencedImpacts: [Impact] = []
    package var location: SourceLocation
    package var fieldLocations: [String: SourceLocation]
    /// Timestamp fields written without an offset (SanityChecks).
    package var naiveTimes: [String] = []

    package var ref: EventRef { EventRef(kind: kind, id: id) }

    /// Moves the impacts with `notify: false` out of `impacts` (once every check that
    /// covers them, references and duplicates, has run).
    mutating func setAsideSilencedImpacts() {
        guard impacts.contains(where: { !$0.notify }) else { return }
        silencedImpacts = impacts.filter { !$0.notify }
        impacts.removeAll { !$0.notify }
    }
    /// The sanity warnings this event silences (`silence`).
    package var silenced: Set<String> { Set(values.texts("silence") ?? []) }
}

package struct Scope: Sendable {
    package var type: ScopeType
    package var object: String?
    package var eventType: EventTypeFilter?
    package var eventStatus: EventStatus?
    package var weight: Int
    package var location: SourceLocation
}

/// A template source: inline text or the contents of a `*_file`.
package struct TemplateSource: Sendable {
    package var text: String
    /// Where the text came from: the YAML field, or the file itself (line 1).
    package var location: SourceLocation
    /// The file name for error messages (the `*_file` path, or "SLUG.field").
    package var name: String

    /// Where an error at `line` of template `template` points: the line itself in a
    /// template file, else the YAML field that holds the template.
    func errorLocation(line: Int, column: Int = 1, in template: String?) -> SourceLocation {
        if location.file == name && (template == nil || template == name) {
            return SourceLocation(file: name, line: max(1, line), column: max(1, column))
        }
        return location
    }
}

package struct MessageTemplate: Sendable {
    package var values: RecordValues
    package var slug: String
    package var name: String
    package var description: String
    /// nil when the template gives no valid event_type (an error).
    package var eventType: EventTypeFilter?
    package var granularity: Granularity?
    package var subject: TemplateSource?
    package var body: TemplateSource?
    package var bodyFormat: BodyFormat?
    package var css: TemplateSource?
    package var headers: [(String, TemplateSource)]
    package var includeICal: Bool
    package var ical: TemplateSource?
    package var contactRoles: [String]
    package var contactPriorities: [ContactPriority]
    package var isBaseTemplate: Bool
    package var extends: String?
    package var weight: Int
    package var scopes: [Scope]
    package var location: SourceLocation
    package var fieldLocations: [String: SourceLocation]
}

package struct StandaloneMessage: Sendable {
    package var id: String
    package var template: String
    package var contacts: [String]
    package var tenant: String?
    package var vars: [(String, DataValue)]
    package var location: SourceLocation
    package var fieldLocations: [String: SourceLocation]
}

package struct JinjaSettings: Sendable, Equatable {
    package var trimBlocks = false
    package var lstripBlocks = false
    package var keepTrailingNewline = false
    package init() {}
}

/// Who sends the notices (SPEC §1.10): the identity templates print and the domain of
/// Message-IDs and invite UIDs. Unset fields are "".
package struct Organization: Sendable, Equatable {
    package var name = ""
    package var email = ""
    package var phone = ""
    package var website = ""
    /// As given, else the domain of `email`, else of `eml.from`; "" when none gives one.
    package var domain = ""
    package init() {}
}

package struct Settings: Sendable {
    package var values = RecordValues(table: Tables.standard.settings)
    package var netboxURL = ""
    package var output = "out"
    package var timezone = "UTC"
    /// Whether notices.yaml names a time zone (else a timestamp without offset warns).
    package var timezoneGiven = false
    /// Sanity warnings silenced everywhere (`silence`).
    package var silenced: Set<String> = []
    package var paths: [String]?
    package var templatePaths: [String]?
    package var strictUndefined = false
    package var jinja = JinjaSettings()
    package var emlFrom: String?
    package var organization = Organization()
    /// Free-form template data (`settings.vars`), YAML 1.2 core schema, in file order.
    package var vars: [(String, DataValue)] = []
    package init() {}
}

/// Everything read from an input tree, in file order.
package struct Model: Sendable {
    package var root: URL
    /// The record tables the model was read with.
    package var tables = Tables.standard
    package var settings = Settings()
    package var providers: [Provider] = []
    package var tenants: [Tenant] = []
    package var contactRoles: [ContactRole] = []
    package var inventory: [InventoryObject] = []
    package var contacts: [Contact] = []
    package var assignments: [ContactAssignment] = []
    package var events: [Event] = []
    package var templates: [MessageTemplate] = []
    package var messages: [StandaloneMessage] = []
    /// Data files read, relative to the root, in reading order.
    package var files: [String] = []

    package init(root: URL) { self.root = root }

    package var impactCount: Int { events.reduce(0) { $0 + $1.impacts.count + $1.silencedImpacts.count } }
    package var maintenanceCount: Int { events.filter { $0.kind == .maintenance }.count }
    package var outageCount: Int { events.filter { $0.kind == .outage }.count }
}
