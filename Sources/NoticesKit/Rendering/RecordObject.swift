import Jinja

/// A model object as templates see it: attributes from its fields, `str()` from its
/// display string (SPEC §2.6).
package final class RecordObject: JinjaObject {
    package let typeName: String
    package let fields: [String: Value]
    package let display: String
    /// A stable name for objects shared by a whole run ("tenant:acme"), so digests of
    /// them can be computed once; nil for objects made per message.
    package let identity: String?
    /// Field order, as the table declares the fields (`notices context` prints them so).
    let order: [String]
    /// Fields computed when read: links between events (`replaces`, `replaced_by`),
    /// which point both ways, so building them up front would never end.
    let links: [String: @Sendable () -> Value]

    package init(type: String, display: String, fields: [(String, Value)], identity: String? = nil,
                links: [String: @Sendable () -> Value] = [:]) {
        self.typeName = type
        self.display = display
        self.identity = identity
        self.links = links
        var dict: [String: Value] = [:]
        var order: [String] = []
        for (k, v) in fields where dict[k] == nil {
            dict[k] = v
            order.append(k)
        }
        self.fields = dict
        self.order = order
    }

    package func attribute(_ name: String) -> Value? { fields[name] ?? links[name]?() }

    /// Every attribute name, links included.
    var attributeNames: [String] { Array(fields.keys) + links.keys.filter { fields[$0] == nil } }
    package var stringValue: String { display }
    package var reprValue: String { "<\(typeName.replacingOccurrences(of: " object", with: "")): \(display)>" }

    /// The same record is equal to itself even when it was built twice (a link read
    /// after the object cache forgot the first one).
    package func equals(_ other: Value) -> Bool {
        guard case .object(let o) = other else { return false }
        if o === self { return true }
        if let identity, let r = o as? RecordObject { return r.identity == identity }
        return false
    }
}

/// A value that prints as a URL and may also be called: `get_absolute_url` and
/// `get_absolute_url()` both give the path.
package final class CallableText: JinjaObject {
    package let text: String
    package init(_ text: String) { self.text = text }
    package var typeName: String { "method object" }
    package func attribute(_ name: String) -> Value? { nil }
    package var stringValue: String { text }
    package func call(_ args: Arguments, _ ctx: RenderContext) throws -> Value? { .string(text) }
    package func equals(_ other: Value) -> Bool {
        if case .string(let s) = other { return s == text }
        return false
    }
}

extension RecordValues {
    /// A record's attributes as templates see them (SPEC §2.6): every field its table
    /// exposes, with its value or default. `resolve` gives the object a reference names
    /// (nil: none); `described` gives defaults the loader works out (contact ids,
    /// inventory names).
    func attributes(resolve: (Field, String) -> Value? = { _, _ in nil },
                    described: (Field) -> Value? = { _ in nil }) -> [(String, Value)] {
        var out: [(String, Value)] = []
        for field in table.fields {
            switch field.exposure {
            case .hidden, .link:
                continue
            case .reference, .referenceIfGiven:
                if let key = self[field.name]?.text {
                    out.append((field.name, resolve(field, key) ?? .none))
                } else if case .reference = field.exposure {
                    out.append((field.name, .none))
                }
            case .attribute:
                if case .described = field.defaultValue, self[field.name] == nil {
                    out.append((field.name, described(field) ?? .none))
                } else {
                    out.append((field.name, Self.templateValue(valueOrDefault(field), field.type)))
                }
            }
        }
        return out
    }

    /// A field's value for templates; absent values are the type's empty value.
    static func templateValue(_ value: FieldValue?, _ type: FieldType) -> Value {
        switch value {
        case .text(let s)?: return .string(s)
        case .bool(let b)?: return .bool(b)
        case .int(let i)?: return .int(i)
        case .timestamp(let t)?: return .object(DateTimeValue(t))
        case .list(let items)?:
            if case .list(let itemType) = type { return .list(items.map { templateValue($0, itemType) }) }
            return .list([])
        case .data(let d)?: return TemplateValues.value(d)
        case .source(let s)?: return .string(s.text)
        case .mapping(let pairs)?:
            if case .mapping(let valueType) = type { return .dict(Dict(pairs.map { ($0.0, templateValue($0.1, valueType)) })) }
            return .dict(Dict())
        case .record?: return .none
        case nil:
            switch type {
            case .text, .template, .templateFile: return .string("")
            case .bool: return .bool(false)
            case .int: return .int(0)
            case .list: return .list([])
            case .freeForm, .mapping: return .dict(Dict())
            case .timestamp, .choice, .record: return .none
            }
        }
    }
}
