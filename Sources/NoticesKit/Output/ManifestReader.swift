import Foundation

/// Reading `manifest.json` exactly as SPEC §3.4 has it. The manifest is committed, so a
/// pull request can put anything in it, and its IDs name folders inside OUT: the top
/// level is `{"format": 1, "messages": [...]}`, each message has exactly the keys
/// notices writes (`ManifestEntry.keys`), each value is of its type, and every ID has
/// the form `render` gives. Anything else is damage: the command stops with the file,
/// line and column, the message's id and what is wrong, and the manifest is never
/// overwritten.
extension Manifest {
    /// A manifest from its bytes; `file` names it in errors. Entries are decoded one at
    /// a time as the file is scanned, so only the bytes and the entries are held.
    package static func parse(_ bytes: [UInt8], file: String) throws -> Manifest {
        var entries: [ManifestEntry] = []
        // Sized up front: grown by doubling, a manifest of 100,000 entries would hold its
        // old and new storage at once and keep up to half of it unused.
        entries.reserveCapacity(estimatedCount(bytes))
        var ids = Set<String>()
        ids.reserveCapacity(entries.capacity)
        var damage: Error?
        let parsed = DocumentParser.parseJSON(bytes: bytes, file: file, streaming: "messages") { item in
            guard damage == nil else { return }
            do {
                let e = try ManifestFields.entry(item)
                guard ids.insert(e.id).inserted else { throw ManifestFields.damage("message id '\(e.id)' appears twice", item.location) }
                entries.append(e)
            } catch {
                damage = error
            }
        }
        let node: DataNode
        switch parsed {
        case .success(let n): node = n
        case .failure(let d): throw ManifestFields.damage(d.message, d.location ?? SourceLocation(file: file, line: 1, column: 1))
        }
        if let damage { throw damage }
        let top = try ManifestFields(node, "the manifest", keys: ["format", "messages"], at: SourceLocation(file: file, line: 1, column: 1))
        guard case .scalar("1", false, _) = top.values["format"]! else {
            throw ManifestFields.damage("\"format\" must be 1 (the only format there is)", top.values["format"]!.location)
        }
        _ = try top.list("messages")
        return Manifest(entries: entries)
    }

    /// How many entries a manifest in the canonical form holds: the lines that open one
    /// (`    {`, four spaces deep). Only a size hint: any other form gets a hint that is
    /// merely wrong, and never more than a canonical entry's size allows (its keys alone
    /// take over 256 bytes), so a hand-made file of empty lines cannot make it large.
    static func estimatedCount(_ bytes: [UInt8]) -> Int {
        let opening: [UInt8] = Array("\n    {\n".utf8)
        var count = 0
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            let last = b.count - opening.count
            while i <= last {
                if b[i] == 0x0A, b[i + 5] == UInt8(ascii: "{"), b[i + 1] == 0x20, b[i + 4] == 0x20, b[i + 6] == 0x0A,
                   b[i + 2] == 0x20, b[i + 3] == 0x20 {
                    count += 1
                    i += opening.count
                } else {
                    i += 1
                }
            }
        }
        return min(count, bytes.count / 256)
    }

    /// One entry from its bytes (an object as the "messages" list holds it), checked as
    /// `parse` checks each; `file` names the manifest in errors.
    package static func entry(_ bytes: [UInt8], file: String) throws -> ManifestEntry {
        switch DocumentParser.parseJSON(bytes: bytes, file: file) {
        case .success(let node): return try ManifestFields.entry(node)
        case .failure(let d): throw ManifestFields.damage(d.message, d.location ?? SourceLocation(file: file, line: 1, column: 1))
        }
    }
}

/// The fields of one object of the manifest (the top level, a message, a recipient, a
/// journal entry, an event or target), with typed accessors that name what is wrong.
struct ManifestFields {
    /// "message 'ID'", "message 'ID', journal entry 2"…: what the errors are about.
    let what: String
    let values: [String: DataNode]
    let location: SourceLocation

    /// The fields of `node`, which must be an object with exactly `keys`.
    init(_ node: DataNode, _ what: String, keys: [String], at: SourceLocation? = nil) throws {
        self.what = what
        guard case .mapping(let pairs, let loc) = node else {
            throw Self.damage("\(what) must be an object, not \(Self.kind(node))", at ?? node.location)
        }
        location = loc
        var values: [String: DataNode] = [:]
        for (key, value) in pairs {
            let name = key.scalarText ?? ""
            guard keys.contains(name) else {
                throw Self.damage("\(what) has an unknown key '\(Self.shown(name))'\(didYouMean(name, in: keys))", key.location)
            }
            values[name] = value
        }
        if let missing = keys.first(where: { values[$0] == nil }) {
            throw Self.damage("\(what) has no '\(missing)'", loc)
        }
        self.values = values
    }

    /// A value of the file as an error shows it: control and invisible characters escaped
    /// (an error goes to a CI log, where a line break could forge a line), at most 60
    /// characters.
    static func shown(_ value: String) -> String {
        var out = ""
        for (n, u) in value.unicodeScalars.enumerated() {
            if n == 60 { return out + "…" }
            switch u.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                out += u.escaped(asASCII: true)
            default:
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func damage(_ why: String, _ loc: SourceLocation) -> DiagnosticsError {
        DiagnosticsError([.error(loc, "damaged manifest: \(why); fix or restore it (it was not changed)")])
    }

    /// How a JSON value reads in an error.
    static func kind(_ node: DataNode) -> String {
        switch node {
        case .scalar(_, true, _): return "a string"
        case .scalar("null", false, _): return "null"
        case .scalar("true", false, _), .scalar("false", false, _): return "true/false"
        case .scalar: return "a number"
        case .mapping: return "an object"
        case .sequence: return "a list"
        }
    }

    private func wrong(_ key: String, _ expected: String) -> DiagnosticsError {
        let v = values[key]!
        return Self.damage("\(what): '\(key)' must be \(expected), not \(Self.kind(v))", v.location)
    }

    func isNull(_ key: String) -> Bool { values[key]!.isNull }

    func string(_ key: String) throws -> String {
        guard case .scalar(let s, true, _) = values[key]! else { throw wrong(key, "a string") }
        return s
    }

    func optionalString(_ key: String) throws -> String? {
        if isNull(key) { return nil }
        guard case .scalar(let s, true, _) = values[key]! else { throw wrong(key, "a string or null") }
        return s
    }

    func int(_ key: String, atLeast minimum: Int) throws -> Int {
        guard case .scalar(let s, false, _) = values[key]!, let n = Int(s) else { throw wrong(key, "a whole number") }
        guard n >= minimum else { throw Self.damage("\(what): '\(key)' must be at least \(minimum), not \(n)", values[key]!.location) }
        return n
    }

    func bool(_ key: String) throws -> Bool {
        guard case .scalar(let s, false, _) = values[key]!, s == "true" || s == "false" else { throw wrong(key, "true or false") }
        return s == "true"
    }

    func list(_ key: String) throws -> [DataNode] {
        guard case .sequence(let items, _) = values[key]! else { throw wrong(key, "a list") }
        return items
    }

    func optionalList(_ key: String) throws -> [DataNode]? {
        if isNull(key) { return nil }
        guard case .sequence(let items, _) = values[key]! else { throw wrong(key, "a list or null") }
        return items
    }

    /// One of `allowed` (a status, a journal kind, an event type).
    func oneOf<T: RawRepresentable>(_ key: String, _ type: T.Type, _ allowed: [T]) throws -> T where T.RawValue == String {
        let s = try string(key)
        guard let value = T(rawValue: s) else {
            throw Self.damage("\(what): '\(key)' '\(Self.shown(s))' is not one of \(allowed.map(\.rawValue).joined(separator: ", "))", values[key]!.location)
        }
        return value
    }

    /// An RFC 3339 UTC timestamp as notices writes it (`2026-01-22T10:30:00Z`).
    func optionalTimestamp(_ key: String) throws -> Timestamp? {
        if isNull(key) { return nil }
        guard case .scalar(let s, true, _) = values[key]! else { throw wrong(key, "an RFC 3339 UTC timestamp or null") }
        let bytes = Array(s.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), bytes.last == UInt8(ascii: "Z"),
              case .success(let t) = TimestampParser.parse(s, defaultZone: TimeZone(identifier: "UTC")!) else {
            throw Self.damage("\(what): '\(key)' must be an RFC 3339 UTC timestamp such as 2026-01-22T10:30:00Z, not '\(Self.shown(s))'",
                              values[key]!.location)
        }
        return t
    }

    func timestamp(_ key: String) throws -> Timestamp {
        guard let t = try optionalTimestamp(key) else { throw wrong(key, "an RFC 3339 UTC timestamp") }
        return t
    }

    /// A `{type, id}` object or null (an entry's event and target).
    func optionalReference(_ key: String) throws -> (type: String, id: String)? {
        if isNull(key) { return nil }
        let r = try ManifestFields(values[key]!, "\(what), '\(key)'", keys: ["type", "id"])
        return (try r.string("type"), try r.string("id"))
    }
}

extension ManifestFields {
    /// One entry of the "messages" list.
    static func entry(_ item: DataNode) throws -> ManifestEntry {
        // The id first, so that every later error can name the message.
        guard case .mapping(let pairs, _) = item else { throw damage("a message must be an object, not \(kind(item))", item.location) }
        guard let idNode = pairs.first(where: { $0.key.scalarText == "id" })?.value else {
            throw damage("a message has no 'id'", item.location)
        }
        guard case .scalar(let id, true, _) = idNode else { throw damage("a message's 'id' must be a string, not \(kind(idNode))", idNode.location) }
        guard OutputFolder.isMessageID(id) else { throw damage(notAnID("message id", id), idNode.location) }
        let f = try ManifestFields(item, "message '\(id)'", keys: ManifestEntry.keys)

        let lineage = try f.string("lineage")
        guard OutputFolder.isMessageID(lineage) else { throw damage("message '\(id)': " + notAnID("lineage", lineage), f.values["lineage"]!.location) }
        let sequence = try f.int("sequence", atLeast: 1)
        let expected = MessageThread.id(lineage: lineage, sequence: sequence)
        guard id == expected else {
            throw damage("message '\(id)': its id must be '\(expected)' (lineage '\(lineage)', sequence \(sequence))", idNode.location)
        }
        let event = try f.optionalReference("event").map { r -> EventRef in
            guard let kind = EventKind(rawValue: r.type) else {
                throw damage("message '\(id)': the event's 'type' '\(shown(r.type))' is not maintenance or outage", f.values["event"]!.location)
            }
            return EventRef(kind: kind, id: r.id)
        }
        let recipients = try f.optionalList("recipients")?.enumerated().map { n, node in
            let r = try ManifestFields(node, "message '\(id)', recipient \(n + 1)", keys: Recipient.keys)
            return Recipient(contactID: try r.string("contact_id"), name: try r.string("name"), email: try r.string("email"),
                             role: try r.optionalString("role"), priority: try r.optionalString("priority"), tenant: try r.optionalString("tenant"))
        }
        let journal = try f.list("journal").enumerated().map { n, node in
            let j = try ManifestFields(node, "message '\(id)', journal entry \(n + 1)", keys: JournalEntry.keys)
            return JournalEntry(at: try j.timestamp("at"),
                                from: j.isNull("from") ? nil : try j.oneOf("from", MessageStatus.self, MessageStatus.allCases),
                                to: try j.oneOf("to", MessageStatus.self, MessageStatus.allCases),
                                kind: try j.oneOf("kind", JournalKind.self, JournalKind.allCases),
                                by: try j.optionalString("by"), message: try j.optionalString("message"))
        }
        return ManifestEntry(
            id: id, lineage: lineage, sequence: sequence, status: try f.oneOf("status", MessageStatus.self, MessageStatus.allCases),
            template: try f.string("template"), event: event, tenant: try f.optionalString("tenant"),
            target: try f.optionalReference("target").map { TargetRef(type: $0.type, key: $0.id) },
            contentHash: try f.contentHash(), renderedAt: try f.timestamp("rendered_at"),
            approvedBy: try f.optionalString("approved_by"), approvedAt: try f.optionalTimestamp("approved_at"),
            sentAt: try f.optionalTimestamp("sent_at"), deliveredAt: try f.optionalTimestamp("delivered_at"),
            viewedAt: try f.optionalTimestamp("viewed_at"), withdrawnAt: try f.optionalTimestamp("withdrawn_at"), orphaned: try f.bool("orphaned"),
            recipients: recipients, journal: journal)
    }

    static func notAnID(_ what: String, _ id: String) -> String {
        "\(what) '\(shown(id))' is not one notices writes (maintenance-, outage- or message- and then only a-z, 0-9, '.', '_' "
            + "and '-'; IDs name folders in the output folder)"
    }

    /// The SHA-256 `Manifest.contentHash` writes: 64 lowercase hex digits.
    func contentHash() throws -> String {
        let s = try string("content_hash")
        guard s.utf8.count == 64, s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw Self.damage("\(what): 'content_hash' must be a SHA-256 in lowercase hex (64 digits), not '\(Self.shown(s))'", values["content_hash"]!.location)
        }
        return s
    }
}
