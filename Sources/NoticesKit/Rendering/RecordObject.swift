import Jinja

/// A model object as templates see it: attributes from its fields, `str()` from its
/// display string (SPEC §2.6).
public final class RecordObject: JinjaObject {
    public let typeName: String
    public let fields: [String: Value]
    public let display: String
    /// A stable name for objects shared by a whole run ("tenant:acme"), so digests of
    /// them can be computed once; nil for objects made per message.
    public let identity: String?
    /// Field order for iteration-free uses (repr).
    private let order: [String]
    /// Fields computed when read: links between events (`replaces`, `replaced_by`),
    /// which point both ways, so building them up front would never end.
    let links: [String: @Sendable () -> Value]

    public init(type: String, display: String, fields: [(String, Value)], identity: String? = nil,
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

    public func attribute(_ name: String) -> Value? { fields[name] ?? links[name]?() }

    /// Every attribute name, links included.
    var attributeNames: [String] { Array(fields.keys) + links.keys.filter { fields[$0] == nil } }
    public var stringValue: String { display }
    public var reprValue: String { "<\(typeName.replacingOccurrences(of: " object", with: "")): \(display)>" }

    /// The same record is equal to itself even when it was built twice (a link read
    /// after the object cache forgot the first one).
    public func equals(_ other: Value) -> Bool {
        guard case .object(let o) = other else { return false }
        if o === self { return true }
        if let identity, let r = o as? RecordObject { return r.identity == identity }
        return false
    }
}

/// A value that prints as a URL and may also be called: `get_absolute_url` and
/// `get_absolute_url()` both give the path.
public final class CallableText: JinjaObject {
    public let text: String
    public init(_ text: String) { self.text = text }
    public var typeName: String { "method object" }
    public func attribute(_ name: String) -> Value? { nil }
    public var stringValue: String { text }
    public func call(_ args: Arguments, _ ctx: RenderContext) throws -> Value? { .string(text) }
    public func equals(_ other: Value) -> Bool {
        if case .string(let s) = other { return s == text }
        return false
    }
}
