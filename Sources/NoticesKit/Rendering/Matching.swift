/// Template selection (SPEC §2.1–§2.2): candidates by event type, scope matching,
/// scores, and the order used by the merge.

/// What a scope can match against: the objects present for one group.
public struct MatchContext: Sendable {
    public var provider: String?
    public var event: EventRef?
    public var eventStatus: String?
    public var tenant: String?
    /// per_impact groups: the impacted object and its site.
    public var target: TargetRef?
    public var site: String?

    public init(provider: String? = nil, event: EventRef? = nil, eventStatus: String? = nil,
                tenant: String? = nil, target: TargetRef? = nil, site: String? = nil) {
        self.provider = provider
        self.event = event
        self.eventStatus = eventStatus
        self.tenant = tenant
        self.target = target
        self.site = site
    }

    /// The key of the object of `type` in this context, or nil when absent.
    func key(of type: String) -> String? {
        switch type {
        case "provider": return provider
        case "tenant": return tenant
        case "maintenance", "outage": return event?.kind.rawValue == type ? event?.id : nil
        case "site": return target?.type == "site" ? target?.key : site
        default: return target?.type == type ? target?.key : nil
        }
    }
}

/// A selected template with its score and the scopes that matched.
public struct Selection: Sendable {
    public var template: MessageTemplate
    public var score: Int
    public var matchedScopes: [Scope]
}

public enum Matching {
    /// Templates that may serve an event of this kind (`nil` = standalone).
    public static func candidates(_ templates: [MessageTemplate], for kind: EventKind?) -> [MessageTemplate] {
        templates.filter { t in
            guard !t.isBaseTemplate else { return false }
            switch kind {
            case .maintenance?: return t.eventType == "maintenance" || t.eventType == "both"
            case .outage?: return t.eventType == "outage" || t.eventType == "both"
            case nil: return t.eventType == "none"
            }
        }
    }

    public static func matches(_ scope: Scope, _ ctx: MatchContext) -> Bool {
        guard let key = ctx.key(of: scope.type) else { return false }
        if let object = scope.object, object != key { return false }
        if let et = scope.eventType, et != "both", et != ctx.event?.kind.rawValue { return false }
        if let status = scope.eventStatus, status != ctx.eventStatus { return false }
        return true
    }

    /// Selected templates, highest score first, ties by slug.
    public static func select(_ candidates: [MessageTemplate], _ ctx: MatchContext) -> [Selection] {
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
public struct MergedTemplate: Sendable {
    public var top: MessageTemplate
    public var subject: TemplateSource?
    public var body: TemplateSource?
    public var bodyFormat: BodyFormat = .markdown
    public var css: TemplateSource?
    public var ical: TemplateSource?
    public var extends: String?
    public var headers: [(String, TemplateSource)] = []
    public var includeICal = false
    public var contactRoles: [String] = []
    public var contactPriorities: [ContactPriority] = []
    /// field name → slug of the template that supplied it.
    public var suppliedBy: [String: String] = [:]

    public init(_ selections: [Selection]) {
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
