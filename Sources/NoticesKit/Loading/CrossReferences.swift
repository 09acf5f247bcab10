import Foundation

/// Checks that every key is unique and every reference names a record that exists.
enum CrossReferences {
    static func check(_ model: inout Model, sink: DiagnosticSink) {
        func unique<T>(_ items: [T], _ what: String, key: (T) -> String, loc: (T) -> SourceLocation) -> Set<String> {
            var first: [String: SourceLocation] = [:]
            for item in items {
                let k = key(item)
                if let f = first[k] {
                    sink.error(loc(item), "duplicate \(what) '\(k)' (first defined at \(f))")
                } else {
                    first[k] = loc(item)
                }
            }
            return Set(first.keys)
        }
        let providers = unique(model.providers, "provider", key: \.slug, loc: \.location)
        let tenants = unique(model.tenants, "tenant", key: \.slug, loc: \.location)
        let roles = unique(model.contactRoles, "contact role", key: \.slug, loc: \.location)
        let contacts = unique(model.contacts, "contact", key: \.id, loc: \.location)
        let templates = unique(model.templates, "template", key: \.slug, loc: \.location)
        _ = unique(model.messages, "message", key: \.id, loc: \.location)
        _ = unique(model.events.filter { $0.kind == .maintenance }, "maintenance", key: \.id, loc: \.location)
        _ = unique(model.events.filter { $0.kind == .outage }, "outage", key: \.id, loc: \.location)

        var targets: [String: Set<String>] = [:]
        var firstTarget: [TargetRef: SourceLocation] = [:]
        for obj in model.inventory {
            if let f = firstTarget[obj.ref] {
                sink.error(obj.location, "duplicate \(obj.ref) (first defined at \(f))")
            } else {
                firstTarget[obj.ref] = obj.location
                targets[obj.ref.type, default: []].insert(obj.ref.key)
            }
        }
        let sites = targets["site"] ?? []

        func ref(_ value: String?, in set: Set<String>, _ what: String, at loc: SourceLocation) {
            guard let value, !value.isEmpty, !set.contains(value) else { return }
            sink.error(loc, "unknown \(what) '\(value)'\(didYouMean(value, in: Array(set)))")
        }

        for obj in model.inventory {
            ref(obj.tenant, in: tenants, "tenant", at: obj.fieldLocations["tenant"] ?? obj.location)
            if obj.ref.type != "site" {
                ref(obj.site, in: sites, "site", at: obj.fieldLocations["site"] ?? obj.location)
            }
            ref(obj.provider, in: providers, "provider", at: obj.fieldLocations["provider"] ?? obj.location)
        }
        for a in model.assignments {
            ref(a.contact, in: contacts, "contact", at: a.location)
            ref(a.tenant, in: tenants, "tenant", at: a.location)
            ref(a.role, in: roles, "contact role", at: a.location)
        }
        let maintenances = Set(model.events.filter { $0.kind == .maintenance }.map(\.id))
        let outages = Set(model.events.filter { $0.kind == .outage }.map(\.id))
        for event in model.events {
            ref(event.provider, in: providers, "provider", at: event.fieldLocations["provider"] ?? event.location)
            if let r = event.replaces {
                let loc = event.fieldLocations["replaces"] ?? event.location
                if r == event.id {
                    sink.error(loc, "maintenance '\(event.id)' cannot replace itself")
                } else {
                    ref(r, in: maintenances, "maintenance", at: loc)
                }
            }
            var seen: [TargetRef: SourceLocation] = [:]
            for impact in event.impacts {
                if let known = targets[impact.target.type] {
                    ref(impact.target.key, in: known, impact.target.type.replacingOccurrences(of: "_", with: " "), at: impact.location)
                } else {
                    sink.error(impact.location, "unknown \(impact.target.type) '\(impact.target.key)': no such object")
                }
                if let f = seen[impact.target] {
                    sink.error(impact.location, "\(event.kind.rawValue) '\(event.id)' impacts \(impact.target) twice (first at \(f))")
                } else {
                    seen[impact.target] = impact.location
                }
            }
        }

        replacesCycles(model.events, sink: sink)

        let byslug = Dictionary(model.templates.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        let scopeTypes = InventoryKind.builtinTypeNames + ["tenant", "provider", "maintenance", "outage"]
        let objectTypes = Set(model.inventory.filter { $0.collection == "objects" }.map(\.ref.type))
        for t in model.templates {
            if let parent = t.extends {
                let loc = t.fieldLocations["extends"] ?? t.location
                if byslug[parent] == nil {
                    ref(parent, in: templates, "template", at: loc)
                } else {
                    // Follow the chain: a cycle would make rendering recurse forever.
                    var seen: Set<String> = [t.slug]
                    var cur = parent
                    while let next = byslug[cur] {
                        if !seen.insert(cur).inserted {
                            sink.error(loc, "template '\(t.slug)' extends itself through '\(cur)'")
                            break
                        }
                        guard let n = next.extends else { break }
                        cur = n
                    }
                }
            }
            for r in t.contactRoles { ref(r, in: roles, "contact role", at: t.fieldLocations["contact_roles"] ?? t.location) }
            for s in t.scopes {
                let known: Set<String>?
                switch s.type {
                case .tenant: known = tenants
                case .provider: known = providers
                case .event(.maintenance): known = maintenances
                case .event(.outage): known = outages
                case .target(let type): known = targets[type] ?? (objectTypes.contains(type) ? [] : nil)
                }
                guard let known else {
                    sink.error(s.location, "unknown scope type '\(s.type)'\(didYouMean(s.type.name, in: scopeTypes + objectTypes.sorted()))")
                    continue
                }
                ref(s.object, in: known, s.type.name.replacingOccurrences(of: "_", with: " "), at: s.location)
            }
            if t.eventType == EventTypeFilter.none && !t.scopes.isEmpty {
                sink.warning(t.location, "template '\(t.slug)' has event_type none; its scopes are never used")
            }
        }
        for m in model.messages {
            let loc = m.fieldLocations["template"] ?? m.location
            if let t = byslug[m.template] {
                if t.eventType != EventTypeFilter.none {
                    sink.error(loc, "message '\(m.id)' uses template '\(m.template)', whose event_type is '\(t.eventType?.rawValue ?? "")'; a standalone message needs event_type none")
                }
            } else {
                ref(m.template, in: templates, "template", at: loc)
            }
            for c in m.contacts { ref(c, in: contacts, "contact", at: m.fieldLocations["contacts"] ?? m.location) }
            ref(m.tenant, in: tenants, "tenant", at: m.fieldLocations["tenant"] ?? m.location)
        }
    }

    /// A maintenance that replaces another which, through its own `replaces`, leads
    /// back to the first makes no sense and would have no stable `replaces` object.
    /// Each chain is walked once, so long chains stay linear.
    static func replacesCycles(_ events: [Event], sink: DiagnosticSink) {
        var byID: [String: Event] = [:]
        for e in events where e.kind == .maintenance && byID[e.id] == nil { byID[e.id] = e }
        enum Mark { case onPath, done }
        var marks: [String: Mark] = [:]
        for start in events where start.kind == .maintenance && marks[start.id] == nil {
            var path: [Event] = []
            var cur: Event? = start
            while let e = cur, marks[e.id] == nil {
                marks[e.id] = .onPath
                path.append(e)
                cur = e.replaces.flatMap { $0 == e.id ? nil : byID[$0] }
            }
            if let e = cur, marks[e.id] == .onPath, let from = path.firstIndex(where: { $0.id == e.id }) {
                let cycle = path[from...]
                let names = (cycle.map(\.id) + [e.id]).map { "'\($0)'" }.joined(separator: " → ")
                for member in cycle {
                    sink.error(member.fieldLocations["replaces"] ?? member.location,
                               "maintenance '\(member.id)' is part of a cycle of replaces (\(names))")
                }
            }
            for e in path { marks[e.id] = .done }
        }
    }
}
