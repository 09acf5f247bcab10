import Crypto
import Foundation
import Jinja

/// A digest of everything a message's rendering reads: its template context (every
/// value reachable from it), its plan, every template source and template folder
/// file, and the settings. `render` keeps these in `OUT/.fingerprints` and skips
/// messages whose inputs did not change (`check` always renders everything).
enum InputFingerprint {
    /// Bumped when rendering itself changes, so old fingerprints stop matching.
    static let version = "notices-render-2"

    /// The part shared by all messages of a run: settings, templates, template folders.
    static func runDigest(_ model: Model) -> String {
        var h = SHA256()
        func add(_ s: String) {
            h.update(data: Data(s.utf8))
            h.update(data: Data([0]))
        }
        add(version)
        let s = model.settings
        add("\(s.netboxURL)|\(s.output)|\(s.timezone)|\(s.paths ?? [])|\(s.templatePaths ?? [])|\(s.strictUndefined)")
        add("\(s.jinja.trimBlocks)|\(s.jinja.lstripBlocks)|\(s.jinja.keepTrailingNewline)|\(s.emlFrom ?? "")")
        for t in model.templates.sorted(by: { $0.slug < $1.slug }) {
            add(t.slug)
            for source in [t.subject, t.body, t.css, t.ical] { add(source?.text ?? "\u{1}") }
            for (k, v) in t.headers { add(k); add(v.text) }
            add("\(t.eventType)|\(t.granularity?.rawValue ?? "")|\(t.bodyFormat?.rawValue ?? "")|\(t.includeICal)|\(t.extends ?? "")")
            add("\(t.contactRoles)|\(t.contactPriorities.map(\.rawValue))|\(t.isBaseTemplate)|\(t.weight)|\(t.name)|\(t.description)")
        }
        // Files that include/import/extends may name.
        let folders = (s.templatePaths ?? ["templates"]).map { model.root.appendingPathComponent($0) }
        for folder in folders {
            guard let walker = FileManager.default.enumerator(atPath: folder.path) else { continue }
            var paths: [String] = []
            for case let p as String in walker { paths.append(p) }
            for p in paths.sorted() {
                guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(p).path) else { continue }
                add(p)
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
        func add(_ s: String) {
            h.update(data: Data(s.utf8))
            h.update(data: Data([0]))
        }
        add(run)
        add("\(id)|\(sequence)|\(now.seconds)|\(now.microsecond)|\(plan.lineage)|\(plan.granularity.rawValue)")
        add(plan.selections.map { "\($0.template.slug):\($0.score)" }.joined(separator: ","))
        for r in plan.recipients {
            add("\(r.contactID)\u{1}\(r.name)\u{1}\(r.email)\u{1}\(r.role ?? "\u{2}")\u{1}\(r.priority ?? "\u{2}")\u{1}\(r.tenant ?? "\u{2}")")
        }
        for key in ctx.keys.sorted() {
            add(key)
            digest(ctx[key]!, &h, cache)
        }
        return Hex.string(h.finalize())
    }

    static func digest(_ v: Value, _ h: inout SHA256, _ cache: Cache) {
        func add(_ s: String) {
            h.update(data: Data(s.utf8))
            h.update(data: Data([0]))
        }
        switch v {
        case .undefined: add("U")
        case .none: add("N")
        case .bool(let b): add(b ? "T" : "F")
        case .int(let i): add("i\(i)")
        case .double(let d): add("d\(d.bitPattern)")
        case .string(let s): add("s" + s)
        case .markup(let s): add("m" + s)
        case .list(let items), .tuple(let items):
            add("l\(items.count)")
            for item in items { digest(item, &h, cache) }
        case .dict(let d):
            add("D\(d.count)")
            for (k, val) in d.pairs { digest(k, &h, cache); digest(val, &h, cache) }
        case .function(let f): add("f" + f.name)
        case .object(let o):
            switch o {
            case let r as RecordObject:
                if let id = r.identity, let known = cache[id] {
                    h.update(data: known)
                    return
                }
                var inner = SHA256()
                func addInner(_ s: String) {
                    inner.update(data: Data(s.utf8))
                    inner.update(data: Data([0]))
                }
                addInner("R" + r.typeName + "|" + r.display)
                for key in r.fields.keys.sorted() {
                    addInner(key)
                    digest(r.fields[key]!, &inner, cache)
                }
                let bytes = Array(inner.finalize())
                if let id = r.identity { cache.set(id, bytes) }
                h.update(data: bytes)
            case let d as DateTimeValue: add("t\(d.instant.seconds).\(d.instant.microsecond)|\(d.zoneName)")
            default: add("o" + o.typeName + "|" + o.stringValue)
            }
        }
    }

    static func read(_ url: URL) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: url.path),
              let dict = try? JSONSerialization.jsonObject(with: data) as? [String: String] else { return [:] }
        return dict
    }

    static func serialized(_ fingerprints: [String: String]) -> Data {
        Data((JSONValue.object(fingerprints.map { ($0.key, .string($0.value)) }).pythonDumps() + "\n").utf8)
    }
}
