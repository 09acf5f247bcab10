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

    /// part.json's value. Manifest entries are kept apart, in the manifest's own format.
    var json: JSONValue {
        func diagnostic(_ d: Diagnostic) -> JSONValue {
            .object([("severity", .string(d.severity.rawValue)), ("message", .string(d.message)),
                     ("location", d.location.map(location) ?? .null)])
        }
        func location(_ l: SourceLocation) -> JSONValue {
            .object([("file", .string(l.file)), ("line", .int(l.line)), ("column", .int(l.column))])
        }
        let messages: [JSONValue] = messages.map { m in
            let s = m.settlement
            return .object([
                ("id", .string(s.entry.id)), ("unit", .int(m.origin.unit)), ("source", .string(m.origin.source)),
                ("location", location(m.origin.location)), ("lineage", .string(s.lineage)), ("kind", .string(s.change.kind.rawValue)),
                ("frozen_recipients", .bool(s.change.frozenRecipients)), ("rendered", .bool(s.rendered)),
                ("fingerprint", .string(s.fingerprint)), ("warnings", .array(s.warnings.map(diagnostic))),
                ("timing_warnings", .array(m.timing.map(diagnostic))),
                ("files", files[s.entry.id].map { .string($0) } ?? .null),
            ])
        }
        return .object([
            ("format", .int(Self.format)), ("shard", .int(shard.index)), ("shards", .int(shard.count)),
            ("tree", .string(tree.digest)), ("tree_complete", .bool(tree.complete)),
            ("now", .string(now.rfc3339)), ("now_seconds", .int(Int(now.seconds))), ("now_microsecond", .int(now.microsecond)),
            ("base_manifest", base.map { .string($0) } ?? .null),
            ("load_warnings", .array(loadWarnings.map(diagnostic))),
            ("plan_warnings", .array(planWarnings.map { .object([("unit", .int($0.unit)), ("warning", diagnostic($0.warning))]) })),
            ("messages", .array(messages)),
        ])
    }

    /// A part from part.json and its manifest entries; nil with the reason when
    /// something is missing or malformed.
    static func decode(_ data: Data, entries: [ManifestEntry]) -> Result<Part, PartDamage> {
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return .failure(PartDamage("part.json is not a JSON object")) }
        func int(_ o: [String: Any], _ k: String) throws -> Int {
            guard let n = o[k] as? NSNumber else { throw PartDamage("part.json: '\(k)' is not a number") }
            return n.intValue
        }
        func string(_ o: [String: Any], _ k: String) throws -> String {
            guard let s = o[k] as? String else { throw PartDamage("part.json: '\(k)' is not a string") }
            return s
        }
        func bool(_ o: [String: Any], _ k: String) throws -> Bool {
            guard let b = o[k] as? Bool else { throw PartDamage("part.json: '\(k)' is not true or false") }
            return b
        }
        func objects(_ o: [String: Any], _ k: String) throws -> [[String: Any]] {
            guard let a = o[k] as? [[String: Any]] else { throw PartDamage("part.json: '\(k)' is not a list of objects") }
            return a
        }
        func location(_ v: Any?) throws -> SourceLocation? {
            guard let o = v as? [String: Any] else {
                if v == nil || v is NSNull { return nil }
                throw PartDamage("part.json: a location is not an object")
            }
            return SourceLocation(file: try string(o, "file"), line: try int(o, "line"), column: try int(o, "column"))
        }
        func diagnostic(_ o: [String: Any]) throws -> Diagnostic {
            guard let severity = Diagnostic.Severity(rawValue: try string(o, "severity")) else { throw PartDamage("part.json: unknown severity") }
            return Diagnostic(severity, try location(o["location"]), try string(o, "message"))
        }
        do {
            guard try int(top, "format") == format else { throw PartDamage("part.json: format \(top["format"] ?? "?") is not \(format)") }
            let shard = try Shard(index: try int(top, "shard"), count: try int(top, "shards"))
            let now = Timestamp(seconds: Int64(try int(top, "now_seconds")), microsecond: try int(top, "now_microsecond"))
            let base = top["base_manifest"] is NSNull ? nil : try string(top, "base_manifest")
            var part = Part(shard: shard, tree: InputDigest.Tree(digest: try string(top, "tree"), complete: try bool(top, "tree_complete")),
                            now: now, base: base, loadWarnings: try objects(top, "load_warnings").map(diagnostic),
                            planWarnings: [], messages: [], files: [:])
            for w in try objects(top, "plan_warnings") {
                guard let d = w["warning"] as? [String: Any] else { throw PartDamage("part.json: a plan warning has no 'warning'") }
                part.planWarnings.append((try int(w, "unit"), try diagnostic(d)))
            }
            let byID = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let listed = try objects(top, "messages")
            guard listed.count == entries.count else {
                throw PartDamage("part.json lists \(listed.count) messages, manifest.json \(entries.count)")
            }
            for m in listed {
                let id = try string(m, "id")
                guard let entry = byID[id] else { throw PartDamage("part.json: message \(id) is not in the part's manifest.json") }
                guard let kind = MessageChange.Kind(rawValue: try string(m, "kind")) else { throw PartDamage("part.json: \(id): unknown kind") }
                guard let loc = try location(m["location"]) else { throw PartDamage("part.json: \(id): no location") }
                let change = MessageChange(id: id, kind: kind, files: nil, frozenRecipients: try bool(m, "frozen_recipients"))
                var s = Reconciliation.Settlement(entry: entry, change: change, lineage: try string(m, "lineage"),
                                                  fingerprint: try string(m, "fingerprint"),
                                                  warnings: try objects(m, "warnings").map(diagnostic))
                s.rendered = try bool(m, "rendered")
                part.messages.append(SettledMessage(settlement: s, origin: .init(unit: try int(m, "unit"), source: try string(m, "source"), location: loc),
                                                    timing: try objects(m, "timing_warnings").map(diagnostic)))
                if !(m["files"] is NSNull) { part.files[id] = try string(m, "files") }
            }
            return .success(part)
        } catch let e as PartDamage {
            return .failure(e)
        } catch {
            return .failure(PartDamage("part.json: \(error)"))
        }
    }
}

/// Why a part cannot be used (a merge names the part and refuses).
package struct PartDamage: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
