import Crypto
import Foundation

public enum MessageStatus: String, Sendable, CaseIterable {
    case draft, ready, sent, delivered, failed
    /// Approved but never to be sent: superseded by a newer revision, or withdrawn by
    /// hand (SPEC §3.5). Terminal.
    case withdrawn

    /// Approved and not yet out: what a newer revision withdraws.
    package var isPending: Bool { self == .ready || self == .failed }
}

/// How a transition reads in the journal (SPEC §3.5).
public enum JournalKind: String, Sendable, CaseIterable {
    case info, success, warning
}

public struct JournalEntry: Sendable, Equatable {
    public package(set) var at: Timestamp
    public package(set) var from: MessageStatus?
    public package(set) var to: MessageStatus
    public package(set) var kind: JournalKind
    public package(set) var by: String?
    public package(set) var message: String?

    var json: JSONValue {
        .object([("at", .string(at.rfc3339)), ("from", from.map { .string($0.rawValue) } ?? .null), ("to", .string(to.rawValue)),
                 ("kind", .string(kind.rawValue)), ("by", by.map { .string($0) } ?? .null), ("message", message.map { .string($0) } ?? .null)])
    }
}

/// One message in `manifest.json` (SPEC §3.4).
public struct ManifestEntry: Sendable {
    public package(set) var id: String
    public package(set) var lineage: String
    public package(set) var sequence: Int
    public package(set) var status: MessageStatus
    public package(set) var template: String
    public package(set) var event: EventRef?
    public package(set) var tenant: String?
    public package(set) var target: TargetRef?
    public package(set) var contentHash: String
    public package(set) var renderedAt: Timestamp
    public package(set) var approvedBy: String?
    public package(set) var approvedAt: Timestamp?
    public package(set) var sentAt: Timestamp?
    public package(set) var deliveredAt: Timestamp?
    public package(set) var viewedAt: Timestamp?
    public package(set) var withdrawnAt: Timestamp?
    public package(set) var orphaned = false
    public package(set) var recipients: [Recipient]?
    public package(set) var journal: [JournalEntry] = []

    var json: JSONValue {
        func ts(_ t: Timestamp?) -> JSONValue { t.map { .string($0.rfc3339) } ?? .null }
        return .object([
            ("id", .string(id)), ("lineage", .string(lineage)), ("sequence", .int(sequence)), ("status", .string(status.rawValue)),
            ("template", .string(template)),
            ("event", event.map { .object([("type", .string($0.kind.rawValue)), ("id", .string($0.id))]) } ?? .null),
            ("tenant", tenant.map { .string($0) } ?? .null),
            ("target", target.map { .object([("type", .string($0.type)), ("id", .string($0.key))]) } ?? .null),
            ("content_hash", .string(contentHash)), ("rendered_at", ts(renderedAt)),
            ("approved_by", approvedBy.map { .string($0) } ?? .null), ("approved_at", ts(approvedAt)),
            ("sent_at", ts(sentAt)), ("delivered_at", ts(deliveredAt)), ("viewed_at", ts(viewedAt)),
            ("withdrawn_at", ts(withdrawnAt)),
            ("orphaned", .bool(orphaned)), ("recipients", recipients.map { .array($0.map(\.json)) } ?? .null),
            ("journal", .array(journal.map(\.json))),
        ])
    }
}

package struct Manifest: Sendable {
    package var entries: [ManifestEntry] = []

    package init(entries: [ManifestEntry] = []) { self.entries = entries }

    /// The exact bytes of `manifest.json`.
    package func serialized() -> Data {
        var data = Data()
        write { data.append($0) }
        return data
    }

    /// The bytes of `manifest.json` in pieces of about 64 KiB, entries in id order, so
    /// a large manifest is never held whole (the same bytes as dumping one JSONValue
    /// of the whole manifest).
    package func write(_ emit: (Data) throws -> Void) rethrows {
        let order = entries.indices.sorted { entries[$0].id.utf8.lexicographicallyPrecedes(entries[$1].id.utf8) }
        var out = "{\n  \"format\": 1,\n  \"messages\": "
        if order.isEmpty {
            out += "[]"
        } else {
            out += "[\n"
            for (n, i) in order.enumerated() {
                out += "    "
                entries[i].json.write(into: &out, indent: 4)
                out += n == order.count - 1 ? "\n" : ",\n"
                if out.utf8.count >= 1 << 16 {
                    try emit(Data(out.utf8))
                    out = ""
                }
            }
            out += "  ]"
        }
        out += "\n}\n"
        try emit(Data(out.utf8))
    }

    /// Writes the manifest to `url` in pieces, atomically, leaving an unchanged file
    /// untouched. Returns the SHA-256 of its bytes.
    @discardableResult
    package func replace(_ url: URL) throws -> [UInt8] {
        let writer = FileIO.ReplacingWriter(url)
        var hash = SHA256()
        try write { piece in
            hash.update(data: piece)
            try writer.append(piece)
        }
        try writer.finish()
        return Array(hash.finalize())
    }

    /// Reads a manifest; nil when there is none. A damaged one is an error that says
    /// what is wrong (and is never overwritten). Entries are decoded one at a time as
    /// the file is scanned, so only the bytes and the entries are held.
    package static func read(_ url: URL) throws -> Manifest? {
        guard let bytes = FileIO.readBytes(url) else { return nil }
        return try parse(bytes, file: url.lastPathComponent)
    }

    /// A manifest from its bytes; `file` names it in errors.
    package static func parse(_ bytes: [UInt8], file: String) throws -> Manifest {
        func bad(_ why: String, _ loc: SourceLocation? = nil) -> DiagnosticsError {
            DiagnosticsError([.error(loc ?? SourceLocation(file: file, line: 1, column: 1), "damaged manifest: \(why); fix or restore it (it was not changed)")])
        }
        var entries: [ManifestEntry] = []
        var ids = Set<String>()
        var damage: DiagnosticsError?
        let parsed = DocumentParser.parseJSON(bytes: bytes, file: file, streaming: "messages") { item in
            guard damage == nil else { return }
            do {
                let e = try entry(item, bad: bad)
                guard ids.insert(e.id).inserted else { throw bad("message id '\(e.id)' appears twice", item.location) }
                entries.append(e)
            } catch {
                damage = error as? DiagnosticsError ?? bad("\(error)", item.location)
            }
        }
        let node: DataNode
        switch parsed {
        case .success(let n): node = n
        case .failure(let d): throw bad(d.message, d.location)
        }
        if let damage { throw damage }
        guard case .mapping(let top, _) = node else { throw bad("the top level is not an object") }
        guard let format = field(top, "format")?.scalarText, format == "1" else { throw bad("missing or unknown \"format\" (expected 1)") }
        guard case .sequence? = field(top, "messages") else { throw bad("\"messages\" is not a list") }
        return Manifest(entries: entries)
    }

    private static func field(_ pairs: [(key: DataNode, value: DataNode)], _ name: String) -> DataNode? {
        pairs.first { $0.key.scalarText == name }?.value
    }

    /// One entry of the "messages" list.
    private static func entry(_ item: DataNode, bad: (String, SourceLocation?) -> DiagnosticsError) throws -> ManifestEntry {
        let utc = TimeZone(identifier: "UTC")!
        guard case .mapping(let p, let loc) = item else { throw bad("a message is not an object", item.location) }
        func text(_ k: String) -> String? {
            guard let n = field(p, k), !n.isNull, case .scalar(let s, true, _) = n else { return nil }
            return s
        }
        func ts(_ k: String) throws -> Timestamp? {
            guard let s = text(k) else { return nil }
            guard case .success(let t) = TimestampParser.parse(s, defaultZone: utc) else { throw bad("\(k) '\(s)' is not a timestamp", loc) }
            return t
        }
        guard let id = text("id"), !id.isEmpty else { throw bad("a message has no id", loc) }
        guard let statusText = text("status"), let status = MessageStatus(rawValue: statusText) else {
            throw bad("message '\(id)' has an unknown status '\(text("status") ?? "")'", loc)
        }
        guard let seqText = field(p, "sequence")?.scalarText, let seq = Int(seqText), seq >= 1 else {
            throw bad("message '\(id)' has no valid sequence", loc)
        }
        guard let rendered = try ts("rendered_at") else { throw bad("message '\(id)' has no rendered_at", loc) }
        func ref(_ k: String) -> (String, String)? {
            guard case .mapping(let r, _)? = field(p, k) else { return nil }
            guard let t = field(r, "type")?.scalarText, let i = field(r, "id")?.scalarText else { return nil }
            return (t, i)
        }
        var recipients: [Recipient]?
        if case .sequence(let rs, _)? = field(p, "recipients") {
            recipients = rs.compactMap(Recipient.init(node:))
        }
        var journal: [JournalEntry] = []
        if case .sequence(let js, _)? = field(p, "journal") {
            for j in js {
                guard case .mapping(let q, let jl) = j else { throw bad("a journal entry is not an object", j.location) }
                func s(_ k: String) -> String? { field(q, k).flatMap { $0.isNull ? nil : $0.scalarText } }
                guard let atText = s("at"), case .success(let at) = TimestampParser.parse(atText, defaultZone: utc),
                      let toText = s("to"), let kindText = s("kind") else { throw bad("a journal entry of '\(id)' is incomplete", jl) }
                guard let to = MessageStatus(rawValue: toText), let kind = JournalKind(rawValue: kindText) else {
                    throw bad("a journal entry of '\(id)' has an unknown status or kind", jl)
                }
                var from: MessageStatus?
                if let text = s("from") {
                    guard let status = MessageStatus(rawValue: text) else { throw bad("a journal entry of '\(id)' has an unknown status '\(text)'", jl) }
                    from = status
                }
                journal.append(JournalEntry(at: at, from: from, to: to, kind: kind, by: s("by"), message: s("message")))
            }
        }
        let event = ref("event").flatMap { r in EventKind(rawValue: r.0).map { EventRef(kind: $0, id: r.1) } }
        let target = ref("target").map { TargetRef(type: $0.0, key: $0.1) }
        return ManifestEntry(
            id: id, lineage: text("lineage") ?? id, sequence: seq, status: status, template: text("template") ?? "",
            event: event, tenant: text("tenant"), target: target, contentHash: text("content_hash") ?? "",
            renderedAt: rendered, approvedBy: text("approved_by"), approvedAt: try ts("approved_at"),
            sentAt: try ts("sent_at"), deliveredAt: try ts("delivered_at"), viewedAt: try ts("viewed_at"),
            withdrawnAt: try ts("withdrawn_at"),
            orphaned: field(p, "orphaned")?.scalarText == "true", recipients: recipients, journal: journal)
    }

    /// SHA-256 over the folder's files in name order (name, length, bytes each);
    /// recipients.json counts only while the message is a draft (SPEC §3.2).
    package static func contentHash(_ files: [String: Data], includeRecipients: Bool) -> String {
        var h = SHA256()
        for name in files.keys.sorted() where includeRecipients || name != "recipients.json" {
            let data = files[name]!
            h.add(name)
            h.add(String(data.count))
            h.update(data: data)
        }
        return Hex.string(h.finalize())
    }
}

extension Recipient {
    /// A recipient from its JSON form (recipients.json, the manifest snapshot).
    init?(node: DataNode) {
        guard case .mapping(let q, _) = node else { return nil }
        func s(_ k: String) -> String? {
            guard let v = q.first(where: { $0.key.scalarText == k })?.value, !v.isNull else { return nil }
            return v.scalarText
        }
        self.init(contactID: s("contact_id") ?? "", name: s("name") ?? "", email: s("email") ?? "",
                  role: s("role"), priority: s("priority"), tenant: s("tenant"))
    }
}
