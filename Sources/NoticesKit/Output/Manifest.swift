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

    /// The keys `json` writes, all of which a manifest must have (ManifestReader).
    static let keys = ["at", "from", "to", "kind", "by", "message"]

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

    /// The keys `json` writes (SPEC §3.4), all of which a manifest must have and no
    /// other (ManifestReader).
    static let keys = ["id", "lineage", "sequence", "status", "template", "event", "tenant", "target", "content_hash",
                       "rendered_at", "approved_by", "approved_at", "sent_at", "delivered_at", "viewed_at", "withdrawn_at", "orphaned",
                       "recipients", "journal"]

    var json: JSONValue {
        func ts(_ t: Timestamp?) -> JSONValue { t.map { .string($0.rfc3339) } ?? .null }
        // Listed in the order the file has them (sorted keys), so writing a manifest of
        // many thousand entries does not sort each one.
        return .object([
            ("approved_at", ts(approvedAt)), ("approved_by", approvedBy.map { .string($0) } ?? .null),
            ("content_hash", .string(contentHash)), ("delivered_at", ts(deliveredAt)),
            ("event", event.map { .object([("id", .string($0.id)), ("type", .string($0.kind.rawValue))]) } ?? .null),
            ("id", .string(id)), ("journal", .array(journal.map(\.json))), ("lineage", .string(lineage)),
            ("orphaned", .bool(orphaned)), ("recipients", recipients.map { .array($0.map(\.json)) } ?? .null),
            ("rendered_at", ts(renderedAt)), ("sent_at", ts(sentAt)), ("sequence", .int(sequence)),
            ("status", .string(status.rawValue)),
            ("target", target.map { .object([("id", .string($0.key)), ("type", .string($0.type))]) } ?? .null),
            ("template", .string(template)), ("tenant", tenant.map { .string($0) } ?? .null),
            ("viewed_at", ts(viewedAt)), ("withdrawn_at", ts(withdrawnAt)),
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

    /// The canonical framing around the entries (json.dumps, indent 2): what comes
    /// before the first entry, between two, after the last, and the empty manifest.
    static let head = "{\n  \"format\": 1,\n  \"messages\": [\n"
    static let separator = ",\n"
    static let tail = "\n  ]\n}\n"
    static let empty = "{\n  \"format\": 1,\n  \"messages\": []\n}\n"

    /// One entry as it stands in the list: four spaces in, no separator.
    static func append(_ entry: ManifestEntry, to out: inout String) {
        out += "    "
        entry.json.write(into: &out, indent: 4)
    }

    /// The same as UTF-8 bytes.
    static func append(_ entry: ManifestEntry, to out: inout [UInt8]) {
        out += "    ".utf8
        entry.json.write(into: &out, indent: 4)
    }

    /// The bytes of `manifest.json` in pieces of about 64 KiB, entries in id order, so
    /// a large manifest is never held whole (the same bytes as dumping one JSONValue
    /// of the whole manifest).
    package func write(_ emit: (Data) throws -> Void) rethrows {
        let order = entries.indices.sorted { entries[$0].id.precedesByCodePoint(entries[$1].id) }
        guard !order.isEmpty else { return try emit(Data(Self.empty.utf8)) }
        // As bytes: appending strings costs several times more.
        var out: [UInt8] = []
        out.reserveCapacity(1 << 17)
        out += Self.head.utf8
        for (n, i) in order.enumerated() {
            if n > 0 { out += Self.separator.utf8 }
            Self.append(entries[i], to: &out)
            if out.count >= 1 << 16 {
                try emit(Data(out))
                out.removeAll(keepingCapacity: true)
            }
        }
        out += Self.tail.utf8
        try emit(Data(out))
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
    /// The keys `json` writes, all of which a manifest's snapshot must have (ManifestReader).
    static let keys = ["contact_id", "name", "email", "role", "priority", "tenant"]

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
