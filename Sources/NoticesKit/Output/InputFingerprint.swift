import Crypto
import Foundation
import Jinja

/// A digest of everything a message's rendering reads: its template context (every
/// value reachable from it), its plan, every template source and template folder
/// file, and the settings. `render` keeps these in `OUT/.fingerprints` and skips
/// messages whose inputs did not change (`check` always renders everything).
package enum InputFingerprint {
    /// Bumped when rendering itself changes, so old fingerprints (and the unit records,
    /// whose keys include this) stop matching (5: events and impacts carry `notify`).
    static let version = "notices-render-5"

    /// The part shared by all messages of a run: settings, templates, template folders.
    /// Settings and templates are hashed field by field from their tables, so a field
    /// added to a table is covered without more code here.
    static func runDigest(_ model: Model) -> String {
        var h = SHA256()
        // A new release may render differently (releases that forget to bump `version` too).
        h.add(version + "|" + noticesVersion)
        let s = model.settings
        h.add("settings")
        digest(s.values, &h)
        for t in model.templates.sorted(by: { $0.slug < $1.slug }) {
            h.add("template")
            digest(t.values, &h)
        }
        // Files that include/import/extends may name.
        // Only what the template loader may read: regular files inside the folder, all
        // links resolved (docs/SECURITY.md); a link elsewhere counts by its name.
        for folder in TemplateFolders.resolve(root: model.root, settings: s) {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            var paths: [String] = []
            for case let p as String in walker { paths.append(p) }
            for p in paths.sorted() {
                h.add(p)
                guard case .success(let real) = SafeFile.realPath(folder + "/" + p), SafeFile.isInside(real, folder),
                      case .success(let data) = SafeFile.read(real) else { continue }
                h.update(data: data)
            }
        }
        return Hex.string(h.finalize())
    }

    /// Digests of objects shared by many messages (tenants, circuits, events), keyed by
    /// `RecordObject.identity`.
    typealias Cache = BoundedCache<String, [UInt8]>

    static func makeCache() -> Cache { Cache(limit: 16_384) }

    static func message(_ ctx: [String: Value], plan: MessagePlan, id: String, sequence: Int, now: Timestamp, run: String, cache: Cache) -> String {
        var h = SHA256()
        h.add(run)
        h.add("\(id)|\(sequence)|\(now.seconds)|\(now.microsecond)|\(plan.lineage)|\(plan.granularity.rawValue)")
        h.add(plan.selections.map { "\($0.template.slug):\($0.score)" }.joined(separator: ","))
        // Warnings cached with the fingerprint name the event's (or message's) place.
        let at = Planner.location(of: plan)
        h.add("@\(at.file)|\(at.line)|\(at.column)")
        for r in plan.recipients {
            h.add("\(r.contactID)\u{1}\(r.name)\u{1}\(r.email)\u{1}\(r.role ?? "\u{2}")\u{1}\(r.priority ?? "\u{2}")\u{1}\(r.tenant ?? "\u{2}")")
        }
        for key in ctx.keys.sorted() {
            h.add(key)
            digest(ctx[key]!, &h, cache)
        }
        return Hex.string(h.finalize())
    }

    static func digest(_ v: Value, _ h: inout SHA256, _ cache: Cache) {
        var open: [String] = []
        _ = digest(v, &h, cache, &open)
    }

    /// `open`: the records being digested around this value. A link back to one of them
    /// (`maintenance.replaced_by.replaces`) is hashed by name; a digest that contains
    /// such a link depends on where the walk started, so it is not cached. Returns
    /// whether the value linked back.
    private static func digest(_ v: Value, _ h: inout SHA256, _ cache: Cache, _ open: inout [String]) -> Bool {
        switch v {
        case .undefined: h.add("U")
        case .none: h.add("N")
        case .bool(let b): h.add(b ? "T" : "F")
        case .int(let i): h.add("i\(i)")
        case .bigint(let b): h.add("i\(b)")
        case .double(let d): h.add("d\(d.bitPattern)")
        case .string(let s): h.add("s" + s)
        case .markup(let s): h.add("m" + s)
        case .list(let items), .tuple(let items):
            h.add("l\(items.count)")
            var back = false
            for item in items { back = digest(item, &h, cache, &open) || back }
            return back
        case .dict(let d):
            h.add("D\(d.count)")
            var back = false
            for (k, val) in d.pairs { back = digest(k, &h, cache, &open) || back; back = digest(val, &h, cache, &open) || back }
            return back
        case .function(let f): h.add("f" + f.name)
        case .object(let o):
            switch o {
            case let r as RecordObject:
                if let id = r.identity {
                    if open.contains(id) { h.add("^" + id); return true }
                    if let known = cache[id] { h.update(data: known); return false }
                    open.append(id)
                }
                var inner = SHA256()
                inner.add("R" + r.typeName + "|" + r.display)
                var back = false
                for key in r.attributeNames.sorted() {
                    inner.add(key)
                    back = digest(r.attribute(key)!, &inner, cache, &open) || back
                }
                let bytes = Array(inner.finalize())
                if let id = r.identity {
                    open.removeLast()
                    if !back { cache.set(id, bytes) }
                }
                h.update(data: bytes)
                return back
            case let d as DateTimeValue: h.add("t\(d.instant.seconds).\(d.instant.microsecond)|\(d.zoneName)")
            default: h.add("o" + o.typeName + "|" + o.stringValue)
            }
        }
        return false
    }

    /// Every field a record gave, in table order.
    static func digest(_ values: RecordValues, _ h: inout SHA256) {
        for field in values.table.fields {
            guard let v = values[field.name] else { continue }
            h.add(field.name)
            digest(v, &h)
        }
        h.add("end")
    }

    static func digest(_ v: FieldValue, _ h: inout SHA256) {
        switch v {
        case .text(let s): h.add("s" + s)
        case .bool(let b): h.add(b ? "T" : "F")
        case .int(let i): h.add("i\(i)")
        case .timestamp(let t): h.add("t\(t.seconds).\(t.microsecond)")
        case .list(let items):
            h.add("l\(items.count)")
            for item in items { digest(item, &h) }
        case .record(let r):
            h.add("r")
            digest(r, &h)
        case .data(let d): digest(TemplateValues.value(d), &h, makeCache())
        case .source(let source):
            // Its place too: iCal warnings name it.
            h.add("S" + source.text)
            h.add("@\(source.location.file)|\(source.location.line)|\(source.location.column)")
        case .mapping(let pairs):
            h.add("m\(pairs.count)")
            for (k, value) in pairs {
                h.add(k)
                digest(value, &h)
            }
        }
    }

    /// A message's fingerprint and the warnings its rendering gave, so a render that
    /// skips the message reports the same warnings as one that renders it.
    package struct Cached: Equatable, Sendable {
        package var fingerprint: String
        package var warnings: [Diagnostic] = []
    }

    /// `{id: fingerprint}`, or `{id: [fingerprint, [file, line, column, message]…]}` for a
    /// message with warnings.
    static func read(_ url: URL) -> [String: Cached] {
        // Never through a link, and only a regular file (a cache is worth reading only as written).
        guard let data = FileIO.regularBytes(atPath: url.path).map({ Data($0) }),
              let dict = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var out: [String: Cached] = [:]
        for (id, value) in dict {
            if let fp = value as? String { out[id] = Cached(fingerprint: fp); continue }
            guard let list = value as? [Any], let fp = list.first as? String else { continue }
            var warnings: [Diagnostic] = []
            for case let w as [Any] in list.dropFirst() {
                guard w.count == 4, let file = w[0] as? String, let line = w[1] as? Int, let column = w[2] as? Int,
                      let message = w[3] as? String else { continue }
                warnings.append(.warning(file.isEmpty ? nil : SourceLocation(file: file, line: line, column: column), message))
            }
            out[id] = Cached(fingerprint: fp, warnings: warnings)
        }
        return out
    }

    /// The file's bytes in pieces, as `json.dumps(indent=2, sort_keys=True)` of the
    /// object plus a newline: one entry per message, so the file is never built whole (a
    /// JSON value of 134,000 entries, its text and two copies of it were the peak of a
    /// large merge).
    static func write(_ fingerprints: [String: Cached], _ emit: (Data) throws -> Void) rethrows {
        guard !fingerprints.isEmpty else { return try emit(Data("{}\n".utf8)) }
        let ids = fingerprints.keys.sorted { $0.precedesByCodePoint($1) }
        var out: [UInt8] = Array("{\n".utf8)
        out.reserveCapacity(1 << 17)
        for (n, id) in ids.enumerated() {
            let cached = fingerprints[id]!
            let value: JSONValue = cached.warnings.isEmpty ? .string(cached.fingerprint)
                : .array([.string(cached.fingerprint)] + cached.warnings.map { w in
                    .array([.string(w.location?.file ?? ""), .int(w.location?.line ?? 0), .int(w.location?.column ?? 0), .string(w.message)])
                })
            out += "  ".utf8
            JSONValue.quote(id, into: &out)
            out += ": ".utf8
            value.write(into: &out, indent: 2)
            out += (n == ids.count - 1 ? "\n" : ",\n").utf8
            if out.count >= 1 << 16 {
                try emit(Data(out))
                out.removeAll(keepingCapacity: true)
            }
        }
        out += "}\n".utf8
        try emit(Data(out))
    }
}
