import Crypto
import Foundation

/// `OUT/.local/units`: what the last render made of each unit (an event or a standalone
/// message), keyed by a digest of everything its planning and its messages' inputs read,
/// so a render after a one-event edit plans, fingerprints and renders only the units
/// whose key changed (issue 17, item 2). The others are replayed: the same messages
/// (their manifest entries stand, their fingerprints and warnings are the cached ones),
/// the same planning warnings, the same lineages for the clash check.
///
/// A unit's key covers the run digest (settings, templates, template folders), every
/// record outside the events (providers, tenants, roles, inventory, contacts,
/// assignments: a change there changes every key), the unit's own record with its
/// impacts and source locations (warnings name them), and for maintenances linked by
/// `replaces` every linked maintenance (their objects reach each other). The messages'
/// other inputs come from OUT: the records hold only while the manifest is byte for byte
/// the one the last render wrote (its SHA-256 is kept) and no message folder is damaged;
/// else every unit is planned again. The time of existing messages is their manifest
/// entry's, so `--now` does not enter a key. Machine-local like the folder record:
/// deleting it only costs time.
struct UnitRecords: Sendable {
    static let header = "notices-units 1"

    struct Message: Sendable, Equatable {
        var id: String
        var lineage: String
        /// What makes the lineage (`Planner.describe`), for the clash check.
        var source: String
    }

    struct Unit: Sendable, Equatable {
        var key: String
        var messages: [Message] = []
        /// The unit's planning warnings, in order.
        var warnings: [Diagnostic] = []
    }

    /// The manifest the records describe: SHA-256 of its bytes, hex.
    var manifestHash = ""
    /// By `Shard.key` of the unit.
    var units: [String: Unit] = [:]

    static func read(_ url: URL) -> UnitRecords? {
        guard let bytes = FileIO.regularBytes(atPath: url.path), let lines = TabSeparatedLines(bytes, header: header) else { return nil }
        var records = UnitRecords()
        var current: (name: String, unit: Unit)?
        for parts in lines {
            switch (parts[0], parts.count) {
            case ("manifest", 2): records.manifestHash = parts[1]
            case ("unit", 3):
                if let c = current { records.units[c.name] = c.unit }
                current = (parts[1], Unit(key: parts[2]))
            case ("message", 4):
                guard current != nil else { return nil }
                current!.unit.messages.append(Message(id: parts[1], lineage: parts[2], source: parts[3]))
            case ("warning", 5):
                guard current != nil else { return nil }
                current!.unit.warnings.append(TabSeparatedLines.warning(parts))
            default: return nil
            }
        }
        if let c = current { records.units[c.name] = c.unit }
        return records.manifestHash.isEmpty ? nil : records
    }

    func serialized() -> Data {
        var out = Self.header + "\nmanifest\t\(manifestHash)\n"
        for name in units.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let unit = units[name]!
            out += TabSeparatedLines.line(["unit", name, unit.key])
            for m in unit.messages { out += TabSeparatedLines.line(["message", m.id, m.lineage, m.source]) }
            for w in unit.warnings { out += TabSeparatedLines.warningLine(w) }
        }
        return Data(out.utf8)
    }
}

/// The keys of a run's units (see UnitRecords).
struct UnitKeys: Sendable {
    /// The run digest, every record outside the events, and the linked maintenances.
    private let base: String
    private let linked: String
    /// Maintenances that `replaces` links (either end).
    private let linkedIDs: Set<String>

    init(_ model: Model, run: String) {
        var h = SHA256()
        h.add("units 1|" + run)
        StableDigest.add(model.providers, &h)
        StableDigest.add(model.tenants, &h)
        StableDigest.add(model.contactRoles, &h)
        StableDigest.add(model.inventory, &h)
        StableDigest.add(model.contacts, &h)
        StableDigest.add(model.assignments, &h)
        h.add("files")
        for f in model.files { h.add(f) }
        base = Hex.string(h.finalize())
        let maintenances = model.events.filter { $0.kind == .maintenance }
        let named = Set(maintenances.compactMap(\.replaces))
        var l = SHA256()
        var ids = Set<String>()
        for e in maintenances where e.replaces != nil || named.contains(e.id) {
            ids.insert(e.id)
            Self.add(e, &l)
        }
        linkedIDs = ids
        linked = Hex.string(l.finalize())
    }

    func key(_ unit: Planner.Unit) -> String {
        var h = SHA256()
        h.add(base)
        switch unit {
        case .event(let e):
            Self.add(e, &h)
            if e.kind == .maintenance && linkedIDs.contains(e.id) { h.add("linked|" + linked) }
        case .standalone(let m):
            h.add("message")
            StableDigest.add(m, &h)
        }
        return Hex.string(h.finalize())
    }

    /// An event as planning and its template objects read it (its derived fields come
    /// from `values`).
    static func add(_ e: Event, _ h: inout SHA256) {
        h.add("event|\(e.kind.rawValue)|\(e.id)|\(e.notify)")
        InputFingerprint.digest(e.values, &h)
        add(e.location, &h)
        for (field, location) in e.fieldLocations.sorted(by: { $0.key < $1.key }) {
            h.add(field)
            add(location, &h)
        }
        h.add("naive|" + e.naiveTimes.joined(separator: "\u{1}"))
        for (label, impacts) in [("impacts", e.impacts), ("silenced", e.silencedImpacts)] {
            h.add("\(label)|\(impacts.count)")
            for i in impacts {
                h.add("\(i.event.kind.rawValue)\u{1}\(i.event.id)\u{1}\(i.target.type)\u{1}\(i.target.key)\u{1}\(i.level?.rawValue ?? "\u{2}")\u{1}\(i.notify)")
                add(i.location, &h)
            }
        }
    }

    static func add(_ l: SourceLocation, _ h: inout SHA256) { h.add("@\(l.file)\u{1}\(l.line)\u{1}\(l.column)") }
}

/// A digest of any record value, field by field through reflection: for the few records
/// outside the events, so a field added to a record is covered without more code.
/// Dictionaries and sets are taken in a sorted order (theirs differs run to run).
enum StableDigest {
    static func add(_ value: Any, _ h: inout SHA256) {
        if let values = value as? RecordValues {
            InputFingerprint.digest(values, &h)
            return
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .dictionary?:
            let pairs = mirror.children.map { pair -> (String, Any) in
                let kv = Array(Mirror(reflecting: pair.value).children)
                return (String(reflecting: kv[0].value), kv[1].value)
            }.sorted { $0.0 < $1.0 }
            h.add("{\(pairs.count)")
            for (k, v) in pairs {
                h.add(k)
                add(v, &h)
            }
        case .set?:
            let items = mirror.children.map { String(reflecting: $0.value) }.sorted()
            h.add("<\(items.count)")
            for item in items { h.add(item) }
        case nil:
            // A leaf (string, number).
            h.add("=" + String(reflecting: value))
        case .enum? where mirror.children.isEmpty:
            h.add("=" + String(reflecting: value))
        default:
            h.add("\(mirror.displayStyle.map { "\($0)" } ?? "")|\(mirror.subjectType)|\(mirror.children.count)")
            for child in mirror.children {
                h.add(child.label ?? "_")
                add(child.value, &h)
            }
        }
    }
}
