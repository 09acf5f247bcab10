/// Template selection (SPEC §2.1–§2.2): candidates by event type, scope matching,
/// scores, and the order used by the merge.

/// What a scope can match against: the objects present for one group.
package struct MatchContext: Sendable {
    package var provider: String?
    package var event: EventRef?
    package var eventStatus: EventStatus?
    package var tenant: String?
    /// per_impact groups: the impacted object and its site.
    package var target: TargetRef?
    package var site: String?

    package init(provider: String? = nil, event: EventRef? = nil, eventStatus: EventStatus? = nil,
                tenant: String? = nil, target: TargetRef? = nil, site: String? = nil) {
        self.provider = provider
        self.event = event
        self.eventStatus = eventStatus
        self.tenant = tenant
        self.target = target
        self.site = site
    }

    /// The key of the object a scope of `type` names in this context, or nil when absent.
    func key(of type: ScopeType) -> String? {
        switch type {
        case .provider: return provider
        case .tenant: return tenant
        case .event(let kind): return event?.kind == kind ? event?.id : nil
        case .target("site"): return target?.type == "site" ? target?.key : site
        case .target(let name): return target?.type == name ? target?.key : nil
        }
    }
}

/// A selected template with its score and the scopes that matched.
package struct Selection: Sendable {
    package var template: MessageTemplate
    package var score: Int
    package var matchedScopes: [Scope]
}

package enum Matching {
    /// Templates that may serve an event of this kind (`nil` = standalone).
    package static func candidates(_ templates: [MessageTemplate], for kind: EventKind?) -> [MessageTemplate] {
        templates.filter { !$0.isBaseTemplate && $0.eventType?.admits(kind) == true }
    }

    package static func matches(_ scope: Scope, _ ctx: MatchContext) -> Bool {
        guard let key = ctx.key(of: scope.type) else { return false }
        if let object = scope.object, object != key { return false }
        if let et = scope.eventType, et != .both, et.rawValue != ctx.event?.kind.rawValue { return false }
        if let status = scope.eventStatus, status != ctx.eventStatus { return false }
        return true
    }

    /// Selected templates, highest score first, ties by slug.
    package static func select(_ candidates: [MessageTemplate], _ ctx: MatchContext) -> [Selection] {
        var out: [Selection] = []
        for t in candidates {
            let matched = t.scopes.filter { matches($0, ctx) }
            guard t.scopes.isEmpty || !matched.isEmpty else { continue }
            out.append(Selection(template: t, score: t.weight + matched.reduce(0) { $0 + $1.weight }, matchedScopes: matched))
        }
        return out.sorted {
            $0.score != $1.score ? $0.score > $1.score : $0.template.slug.utf8.lexicographicallyPrecedes($1.template.slug.utf8)
        }
    }
}

/// The fields of the selected templates merged by score (SPEC §2.4), with the
/// template that supplied each one.
package struct MergedTemplate: Sendable {
    package var top: MessageTemplate
    package var subject: TemplateSource?
    package var body: TemplateSource?
    package var bodyFormat: BodyFormat = .markdown
    package var css: TemplateSource?
    package var ical: TemplateSource?
    package var extends: String?
    package var headers: [(String, TemplateSource)] = []
    package var includeICal = false
    package var contactRoles: [String] = []
    package var contactPriorities: [ContactPriority] = []
    /// field name → slug of the template that supplied it.
    package var suppliedBy: [String: String] = [:]

    package init(_ selections: [Selection]) {
        top = selections[0].template
        func nonEmpty(_ s: TemplateSource?) -> TemplateSource? {
            guard let s, !s.text.isEmpty else { return nil }
            return s
        }
        var seenHeaders = Set<String>()
        for sel in selections {
            let t = sel.template
            if subject == nil, let s = nonEmpty(t.subject) { subject = s; suppliedBy["subject_template"] = t.slug }
            if body == nil, let s = nonEmpty(t.body) {
                body = s
                bodyFormat = t.bodyFormat ?? .markdown
                suppliedBy["body_template"] = t.slug
                suppliedBy["body_format"] = t.slug
            }
            if css == nil, let s = nonEmpty(t.css) { css = s; suppliedBy["css_template"] = t.slug }
            if ical == nil, let s = nonEmpty(t.ical) { ical = s; suppliedBy["ical_template"] = t.slug }
            if extends == nil, let e = t.extends, !e.isEmpty { extends = e; suppliedBy["extends"] = t.slug }
            for (name, value) in t.headers where !seenHeaders.contains(name.lowercased()) {
                seenHeaders.insert(name.lowercased())
                headers.append((name, value))
                suppliedBy["headers_template.\(name)"] = t.slug
            }
            if t.includeICal && !includeICal { includeICal = true; suppliedBy["include_ical"] = t.slug }
            for r in t.contactRoles where !contactRoles.contains(r) { contactRoles.append(r) }
            for p in t.contactPriorities where !contactPriorities.contains(p) { contactPriorities.append(p) }
        }
    }
}
