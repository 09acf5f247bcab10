import Foundation

/// One message of a shard's pass as a merge needs it: its settlement (manifest entry,
/// what happens to its folder, fingerprint, warnings) and where in the whole plan it
/// came from.
package struct SettledMessage: Sendable {
    package struct Origin: Sendable {
        /// The index of its event or standalone message among all units (plan order).
        package var unit: Int
        /// The plan as lineage clashes name it (Planner.describe) and its place.
        package var source: String
        package var location: SourceLocation
    }

    package var settlement: Reconciliation.Settlement
    package var origin: Origin
    /// Warnings about the message's render time (SanityChecks): given by every render,
    /// so kept apart from the settlement's, which its fingerprint caches.
    package var timing: [Diagnostic] = []
}

/// What `render --shard I/N` leaves for `merge` (SPEC §3.6): the shard's settled
/// messages against the base manifest, and what proves that parts belong together.
/// The message files themselves live beside it (PartFolder).
package struct Part: Sendable {
    static let format = 1

    package var shard: Shard
    /// InputDigest of the tree the part was rendered from.
    package var tree: InputDigest.Tree
    /// The run's `now`.
    package var now: Timestamp
    /// SHA-256 (hex) of the base manifest's bytes; nil when OUT had none.
    package var base: String?
    /// Loading warnings (the same in every part of a tree).
    package var loadWarnings: [Diagnostic]
    /// Planning warnings of the shard's units, with each unit's index.
    package var planWarnings: [(unit: Int, warning: Diagnostic)]
    /// In plan order; `settlement.change.files` is nil (the files are in the folder).
    package var messages: [SettledMessage]
    /// Message id → digest of the files the part holds for it (only messages whose
    /// files a merge may write).
    package var files: [String: String]

    // MARK: - part.json

    /// Writes part.json in pieces: the bytes of its value as json.dumps (indent 2,
    /// sorted keys) gives them, plus a newline, without holding them whole (a part of a
    /// large tree lists tens of thousands of messages). Manifest entries are kept apart,
    /// in the manifest's own format.
    func writeJSON(_ emit: (Data) throws -> Void) rethrows {
        let top: [(String, JSONValue?)] = [
            ("base_manifest", base.map { .string($0) } ?? .null),
            ("format", .int(Self.format)),
            ("load_warnings", .array(loadWarnings.map(Self.diagnostic))),
            ("messages", nil),
            ("now", .string(now.rfc3339)), ("now_microsecond", .int(now.microsecond)), ("now_seconds", .int(Int(now.seconds))),
            ("plan_warnings", .array(planWarnings.map { .object([("unit", .int($0.unit)), ("warning", Self.diagnostic($0.warning))]) })),
            ("shard", .int(shard.index)), ("shards", .int(shard.count)),
            ("tree", .string(tree.digest)), ("tree_complete", .bool(tree.complete)),
        ]
        var out = "{\n"
        for (n, (key, value)) in top.enumerated() {
            out += "  "
            JSONValue.quote(key, into: &out)
            out += ": "
            if let value {
                value.write(into: &out, indent: 2)
            } else if messages.isEmpty {
                out += "[]"
            } else {
                out += "[\n"
                for (i, m) in messages.enumerated() {
                    out += "    "
                    message(m).write(into: &out, indent: 4)
                    out += i == messages.count - 1 ? "\n" : ",\n"
                    if out.utf8.count >= 1 << 16 {
                        try emit(Data(out.utf8))
                        out = ""
                    }
                }
                out += "  ]"
            }
            out += n == top.count - 1 ? "\n" : ",\n"
        }
        out += "}\n"
        try emit(Data(out.utf8))
    }

    private func message(_ m: SettledMessage) -> JSONValue {
        let s = m.settlement
        return .object([
            ("id", .string(s.entry.id)), ("unit", .int(m.origin.unit)), ("source", .string(m.origin.source)),
            ("location", Self.location(m.origin.location)), ("lineage", .string(s.lineage)), ("kind", .string(s.change.kind.rawValue)),
            ("frozen_recipients", .bool(s.change.frozenRecipients)), ("rendered", .bool(s.rendered)),
            ("fingerprint", .string(s.fingerprint)), ("warnings", .array(s.warnings.map(Self.diagnostic))),
            ("timing_warnings", .array(m.timing.map(Self.diagnostic))),
            ("files", files[s.entry.id].map { .string($0) } ?? .null),
        ])
    }

    private static func diagnostic(_ d: Diagnostic) -> JSONValue {
        .object([("severity", .string(d.severity.rawValue)), ("message", .string(d.message)),
                 ("location", d.location.map(location) ?? .null)])
    }

    private static func location(_ l: SourceLocation) -> JSONValue {
        .object([("file", .string(l.file)), ("line", .int(l.line)), ("column", .int(l.column))])
    }

    /// A part from part.json and its manifest entries; nil with the reason when
    /// something is missing or malformed. The messages are decoded one at a time as the
    /// file is scanned (a part of a large tree lists tens of thousands).
    static func decode(_ bytes: [UInt8], entries: [ManifestEntry]) -> Result<Part, PartDamage> {
        // By place, not a copy of each entry: a dictionary of whole entries took 22 MB per
        // part of a 134,000-message tree.
        let byID = Dictionary(entries.indices.map { (entries[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        var messages: [SettledMessage] = []
        var files: [String: String] = [:]
        var damage: PartDamage?
        messages.reserveCapacity(entries.count)
        let parsed = DocumentParser.parseJSON(bytes: bytes, file: "part.json", streaming: "messages") { item in
            guard damage == nil else { return }
            do {
                let m = try PartFields(item)
                let id = try m.string("id")
                guard let entry = byID[id].map({ entries[$0] }) else { throw PartDamage("part.json: message \(id) is not in the part's manifest.json") }
                guard let kind = MessageChange.Kind(rawValue: try m.string("kind")) else { throw PartDamage("part.json: \(id): unknown kind") }
                guard let loc = try m.location("location") else { throw PartDamage("part.json: \(id): no location") }
                let change = MessageChange(id: id, kind: kind, files: nil, frozenRecipients: try m.bool("frozen_recipients"))
                var s = Reconciliation.Settlement(entry: entry, change: change, lineage: try m.string("lineage"),
                                                  fingerprint: try m.string("fingerprint"),
                                                  warnings: try m.objects("warnings").map { try $0.diagnostic() })
                s.rendered = try m.bool("rendered")
                messages.append(SettledMessage(settlement: s, origin: .init(unit: try m.int("unit"), source: try m.string("source"), location: loc),
                                               timing: try m.objects("timing_warnings").map { try $0.diagnostic() }))
                if !m.isNull("files") { files[id] = try m.string("files") }
            } catch let e as PartDamage {
                damage = e
            } catch {
                damage = PartDamage("part.json: \(error)")
            }
        }
        if let damage { return .failure(damage) }
        guard case .success(let node) = parsed, let top = try? PartFields(node) else { return .failure(PartDamage("part.json is not a JSON object")) }
        do {
            guard try top.int("format") == format else { throw PartDamage("part.json: format \(top.text("format")) is not \(format)") }
            let shard = try Shard(index: try top.int("shard"), count: try top.int("shards"))
            let now = Timestamp(seconds: Int64(try top.int("now_seconds")), microsecond: try top.int("now_microsecond"))
            let base = top.isNull("base_manifest") ? nil : try top.string("base_manifest")
            var part = Part(shard: shard, tree: InputDigest.Tree(digest: try top.string("tree"), complete: try top.bool("tree_complete")),
                            now: now, base: base, loadWarnings: try top.objects("load_warnings").map { try $0.diagnostic() },
                            planWarnings: [], messages: messages, files: files)
            for w in try top.objects("plan_warnings") {
                guard let d = try w.object("warning") else { throw PartDamage("part.json: a plan warning has no 'warning'") }
                part.planWarnings.append((try w.int("unit"), try d.diagnostic()))
            }
            _ = try top.objects("messages")
            guard messages.count == entries.count else {
                throw PartDamage("part.json lists \(messages.count) messages, manifest.json \(entries.count)")
            }
            return .success(part)
        } catch let e as PartDamage {
            return .failure(e)
        } catch {
            return .failure(PartDamage("part.json: \(error)"))
        }
    }
}

/// The fields of one object of part.json, with typed accessors that say what is wrong.
private struct PartFields {
    let values: [String: DataNode]

    init(_ node: DataNode) throws {
        guard case .mapping(let pairs, _) = node else { throw PartDamage("part.json: an object was expected") }
        var values: [String: DataNode] = [:]
        for (key, value) in pairs { if let k = key.scalarText { values[k] = value } }
        self.values = values
    }

    func isNull(_ key: String) -> Bool {
        if case .scalar("null", false, _)? = values[key] { return true }
        return false
    }

    /// The value as written, for messages.
    func text(_ key: String) -> String { values[key]?.scalarText ?? "?" }

    func int(_ key: String) throws -> Int {
        guard case .scalar(let s, false, _)? = values[key], let n = Int(s) else { throw PartDamage("part.json: '\(key)' is not a number") }
        return n
    }

    func string(_ key: String) throws -> String {
        guard case .scalar(let s, true, _)? = values[key] else { throw PartDamage("part.json: '\(key)' is not a string") }
        return s
    }

    func bool(_ key: String) throws -> Bool {
        guard case .scalar(let s, false, _)? = values[key], s == "true" || s == "false" else { throw PartDamage("part.json: '\(key)' is not true or false") }
        return s == "true"
    }

    func objects(_ key: String) throws -> [PartFields] {
        guard case .sequence(let items, _)? = values[key], let objects = try? items.map(PartFields.init) else {
            throw PartDamage("part.json: '\(key)' is not a list of objects")
        }
        return objects
    }

    /// nil when missing or null.
    func object(_ key: String) throws -> PartFields? {
        guard let v = values[key], !isNull(key) else { return nil }
        guard case .mapping = v else { throw PartDamage("part.json: '\(key)' is not an object") }
        return try PartFields(v)
    }

    func location(_ key: String) throws -> SourceLocation? {
        guard let o = try object(key) else { return nil }
        return SourceLocation(file: try o.string("file"), line: try o.int("line"), column: try o.int("column"))
    }

    func diagnostic() throws -> Diagnostic {
        guard let severity = Diagnostic.Severity(rawValue: try string("severity")) else { throw PartDamage("part.json: unknown severity") }
        return Diagnostic(severity, try location("location"), try string("message"))
    }
}

/// Why a part cannot be used (a merge names the part and refuses).
package struct PartDamage: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
