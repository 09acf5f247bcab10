import Foundation

/// Collects diagnostics while a tree is read.
final class DiagnosticSink {
    var diagnostics: [Diagnostic] = []
    func error(_ location: SourceLocation?, _ message: String) {
        diagnostics.append(.error(location, message))
    }
    func warning(_ location: SourceLocation?, _ message: String) {
        diagnostics.append(.warning(location, message))
    }
}

/// Typed access to the fields of one record. Reading a field checks its type and
/// reports a problem at the field's own line and column; unknown fields are reported
/// once, with a "did you mean" hint, when the reader is made.
struct Fields {
    let location: SourceLocation
    /// "provider", "template 'x'", … — how messages name the record.
    let what: String
    private(set) var pairs: [(key: String, keyLocation: SourceLocation, value: DataNode)] = []
    private var index: [String: Int] = [:]
    let sink: DiagnosticSink
    let timezone: TimeZone

    /// Returns nil (after reporting) when the node is not a mapping.
    init?(_ node: DataNode, what: String, allowed: [String]?, sink: DiagnosticSink, timezone: TimeZone) {
        self.location = node.location
        self.what = what
        self.sink = sink
        self.timezone = timezone
        guard case .mapping(let entries, _) = node else {
            sink.error(node.location, "\(what) must be a mapping, not \(node.kindName)")
            return nil
        }
        for (k, v) in entries {
            guard let key = k.scalarText else {
                sink.error(k.location, "a key must be text, not \(k.kindName)")
                continue
            }
            if let allowed, !allowed.contains(key) {
                sink.error(k.location, "unknown field '\(key)' in \(what)\(didYouMean(key, in: allowed))")
                continue
            }
            index[key] = pairs.count
            pairs.append((key, k.location, v))
        }
    }

    subscript(key: String) -> DataNode? {
        guard let i = index[key] else { return nil }
        let v = pairs[i].value
        return v.isNull ? nil : v
    }

    func has(_ key: String) -> Bool { self[key] != nil }

    /// Where a field's value is, else the record.
    func location(of key: String) -> SourceLocation {
        index[key].map { pairs[$0].value.location } ?? location
    }

    var fieldLocations: [String: SourceLocation] {
        Dictionary(pairs.map { ($0.key, $0.value.location) }, uniquingKeysWith: { a, _ in a })
    }

    func missing(_ key: String) {
        sink.error(location, "\(what) is missing required field '\(key)'")
    }

    /// A text field: the scalar as written.
    func text(_ key: String, required: Bool = false) -> String? {
        guard let node = self[key] else {
            if required { missing(key) }
            return nil
        }
        guard case .scalar(let s, _, _) = node else {
            sink.error(node.location, "field '\(key)' of \(what) must be text, not \(node.kindName)")
            return nil
        }
        if required && s.trimmingCharacters(in: .whitespaces).isEmpty {
            sink.error(node.location, "field '\(key)' of \(what) must not be empty")
            return nil
        }
        return s
    }

    func bool(_ key: String) -> Bool? {
        guard let node = self[key] else { return nil }
        if case .scalar(let s, false, _) = node {
            switch s {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        sink.error(node.location, "field '\(key)' of \(what) must be true or false, not \(describe(node))")
        return nil
    }

    func int(_ key: String) -> Int? {
        guard let node = self[key] else { return nil }
        if case .scalar(let s, false, _) = node, let v = parseCoreInt(s) { return v }
        sink.error(node.location, "field '\(key)' of \(what) must be an integer, not \(describe(node))")
        return nil
    }

    func choice(_ key: String, _ allowed: [String], required: Bool = false) -> String? {
        guard let value = text(key, required: required) else { return nil }
        guard allowed.contains(value) else {
            sink.error(location(of: key), "'\(value)' is not a valid \(key) for \(what); expected one of \(allowed.joined(separator: ", "))\(didYouMean(value, in: allowed))")
            return nil
        }
        return value
    }

    func timestamp(_ key: String, required: Bool = false) -> Timestamp? {
        guard let node = self[key] else {
            if required { missing(key) }
            return nil
        }
        guard case .scalar(let s, _, _) = node else {
            sink.error(node.location, "field '\(key)' of \(what) must be a date-time, not \(node.kindName)")
            return nil
        }
        switch TimestampParser.parse(s, defaultZone: timezone) {
        case .success(let t): return t
        case .failure(let reason):
            sink.error(node.location, "field '\(key)' of \(what): \(reason)")
            return nil
        }
    }

    /// A list field; a single scalar is not accepted in place of a list.
    func list(_ key: String, required: Bool = false) -> [DataNode]? {
        guard let node = self[key] else {
            if required { missing(key) }
            return nil
        }
        guard case .sequence(let items, _) = node else {
            sink.error(node.location, "field '\(key)' of \(what) must be a list, not \(node.kindName)")
            return nil
        }
        return items
    }

    /// A list of text values.
    func textList(_ key: String, required: Bool = false) -> [(String, SourceLocation)]? {
        guard let items = list(key, required: required) else { return nil }
        var out: [(String, SourceLocation)] = []
        for item in items {
            guard case .scalar(let s, _, _) = item, !item.isNull else {
                sink.error(item.location, "entries of '\(key)' in \(what) must be text, not \(item.kindName)")
                continue
            }
            out.append((s, item.location))
        }
        return out
    }

    /// Free-form data with the YAML 1.2 core schema.
    func data(_ key: String) -> DataValue? {
        guard let i = index[key] else { return nil }
        return coreValue(pairs[i].value, sink: sink)
    }

    func mapData(_ key: String) -> [(String, DataValue)] {
        guard let node = self[key] else { return [] }
        guard case .mapping = node else {
            sink.error(node.location, "field '\(key)' of \(what) must be a mapping, not \(node.kindName)")
            return []
        }
        if case .map(let m) = coreValue(node, sink: sink) { return m }
        return []
    }

    private func describe(_ node: DataNode) -> String {
        if case .scalar(let s, _, _) = node { return "'\(s)'" }
        return node.kindName
    }
}

func parseCoreInt(_ s: String) -> Int? {
    var body = Substring(s)
    var negative = false
    if body.first == "-" || body.first == "+" {
        negative = body.first == "-"
        body = body.dropFirst()
    }
    guard !body.isEmpty else { return nil }
    let v: Int?
    if body.hasPrefix("0x") { v = Int(body.dropFirst(2), radix: 16) }
    else if body.hasPrefix("0o") { v = Int(body.dropFirst(2), radix: 8) }
    else if body.allSatisfy({ $0.isASCII && $0.isNumber }) { v = Int(body) }
    else { v = nil }
    return v.map { negative ? -$0 : $0 }
}

/// YAML 1.2 core schema resolution of a node.
func coreValue(_ node: DataNode, sink: DiagnosticSink) -> DataValue {
    switch node {
    case .scalar(let s, let quoted, _):
        if quoted { return .string(s) }
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if let i = parseCoreInt(s) { return .int(i) }
        if isCoreFloat(s), let d = Double(s) { return .double(d) }
        return .string(s)
    case .sequence(let items, _):
        return .list(items.map { coreValue($0, sink: sink) })
    case .mapping(let entries, _):
        var out: [(String, DataValue)] = []
        var seen = Set<String>()
        for (k, v) in entries {
            guard let key = k.scalarText else {
                sink.error(k.location, "a key must be text, not \(k.kindName)")
                continue
            }
            if !seen.insert(key).inserted {
                sink.error(k.location, "duplicate key '\(key)' in one mapping")
                continue
            }
            out.append((key, coreValue(v, sink: sink)))
        }
        return .map(out)
    }
}

private func isCoreFloat(_ s: String) -> Bool {
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    var chars = Array(s.utf8)[...]
    if let f = chars.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { chars = chars.dropFirst() }
    func digits() -> Int {
        var n = 0
        while let c = chars.first, c >= 48, c <= 57 { chars = chars.dropFirst(); n += 1 }
        return n
    }
    let intDigits = digits()
    var fracDigits = 0
    if chars.first == UInt8(ascii: ".") {
        chars = chars.dropFirst()
        fracDigits = digits()
    }
    if intDigits == 0 && fracDigits == 0 { return false }
    if let c = chars.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
        chars = chars.dropFirst()
        if let f = chars.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { chars = chars.dropFirst() }
        if digits() == 0 { return false }
    }
    return chars.isEmpty
}

/// Django's `slugify`, as NetBox uses it: accents folded to ASCII (NFKD, then
/// non-ASCII dropped), anything but letters, digits, `_`, `-` and spaces removed,
/// lowercased, runs of spaces and dashes turned into one `-`, `-`/`_` trimmed.
/// "Léa O'Brien" → "lea-obrien".
func slugify(_ s: String) -> String {
    var kept = ""
    for u in s.decomposedStringWithCompatibilityMapping.unicodeScalars where u.isASCII {
        let c = Character(u)
        if c.isLetter || c.isNumber || c == "_" || c == "-" || c == " " || c == "\t" || c == "\n" || c == "\r" {
            kept.append(c)
        }
    }
    var out = ""
    var pendingDash = false
    for c in kept.lowercased() {
        if c == "-" || c.isWhitespace {
            pendingDash = true
        } else {
            if pendingDash { out.append("-") }
            pendingDash = false
            out.append(c)
        }
    }
    if pendingDash { out.append("-") }
    while let f = out.first, f == "-" || f == "_" { out.removeFirst() }
    while let l = out.last, l == "-" || l == "_" { out.removeLast() }
    return out
}
