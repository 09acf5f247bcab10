import Foundation

/// Reads records by their tables (Tables.swift): unknown fields, each field's type,
/// required fields and allowed values are all checked here, each problem reported at
/// the field's own place. Nested records (impacts, scopes, assignments, settings
/// sections) are read by the caller with their own tables, which know how to name them.
struct RecordReader {
    let sink: DiagnosticSink
    let timezone: TimeZone
    let root: URL
    /// The data file being read (template files are found relative to it).
    let file: String

    /// The record's fields; nil (after reporting) when the node is not a mapping or a
    /// stop field is missing. `what` names the record in errors (default: the table's
    /// name), `owner` names it in errors about its entries ("template 'x'"), and
    /// `prefix` names its inline templates ("x.subject_template").
    func read(_ node: DataNode, _ table: RecordTable, what: String? = nil, owner: (RecordValues) -> String = { _ in "" },
              prefix: (RecordValues) -> String = { _ in "" }) -> (Fields, RecordValues)? {
        guard let f = Fields(node, what: what ?? table.what, allowed: table.open ? nil : table.names, sink: sink, timezone: timezone)
        else { return nil }
        var values = RecordValues(table: table)
        for name in table.stops {
            guard let field = table[name], let v = value(field, f, values, owner: owner, prefix: prefix) else { return nil }
            values[name] = v
        }
        for field in table.fields where !table.stops.contains(field.name) {
            values[field.name] = value(field, f, values, owner: owner, prefix: prefix)
        }
        return (f, values)
    }

    /// One field read as its type; nil when absent or wrong (wrong is reported).
    private func value(_ field: Field, _ f: Fields, _ values: RecordValues, owner: (RecordValues) -> String,
                       prefix: (RecordValues) -> String) -> FieldValue? {
        let name = field.name
        switch field.type {
        case .text:
            if let position = field.key {
                // An optional key (a contact's id) is checked only when given.
                guard field.required || f.has(name) else { return nil }
                return f.key(name, position: position).map(FieldValue.text)
            }
            return f.text(name, required: field.required).map(FieldValue.text)
        case .bool: return f.bool(name).map(FieldValue.bool)
        case .int: return f.int(name).map(FieldValue.int)
        case .timestamp: return f.timestamp(name, required: field.required).map(FieldValue.timestamp)
        case .choice(let allowed): return f.choice(name, allowed, required: field.required).map(FieldValue.text)
        case .freeForm:
            guard let node = f[name] else { return nil }
            guard case .mapping = node else {
                sink.error(node.location, "field '\(name)' of \(f.what) must be a mapping, not \(node.kindName)")
                return nil
            }
            return .data(coreValue(node, sink: sink))
        case .list(.text):
            return f.textList(name, required: field.required).map { .list($0.map { .text($0.0) }) }
        case .list(.choice(let allowed)):
            guard let items = f.textList(name, required: field.required) else { return nil }
            return .list(items.compactMap { (v, loc) -> FieldValue? in
                guard allowed.contains(v) else {
                    sink.error(loc, "'\(v)' is not a valid \(field.itemName ?? name); expected one of \(allowed.joined(separator: ", "))")
                    return nil
                }
                return .text(v)
            })
        case .list, .record:
            // Read by the caller with the nested table.
            return nil
        case .template:
            return f.text(name).map { .source(TemplateSource(text: $0, location: f.location(of: name), name: "\(prefix(values)).\(name)")) }
        case .templateFile:
            return templateFile(field, f, values, owner: owner)
        case .mapping:
            guard let node = f[name], let entries = Fields(node, what: "\(name) of \(owner(values))", allowed: nil, sink: sink, timezone: timezone)
            else { return nil }
            var pairs: [(String, FieldValue)] = []
            for (key, keyLocation, value) in entries.pairs {
                if field.name == "headers_template", let refusal = HeaderPolicy.refusal(key) {
                    sink.error(keyLocation, "\(owner(values)) may not set header '\(key)': it \(refusal)")
                    continue
                }
                guard case .scalar(let s, _, _) = value else {
                    sink.error(value.location, "\(field.itemName ?? "entry") '\(key)' of \(owner(values)) must be text, not \(value.kindName)")
                    continue
                }
                pairs.append((key, .source(TemplateSource(text: s, location: value.location, name: "\(prefix(values)).\(name).\(key)"))))
            }
            return .mapping(pairs)
        }
    }

    /// A `*_file` field: the file's text, found relative to the data file, inside ROOT.
    private func templateFile(_ field: Field, _ f: Fields, _ values: RecordValues, owner: (RecordValues) -> String) -> FieldValue? {
        guard let path = f.text(field.name) else { return nil }
        let inline = String(field.name.dropLast("_file".count))
        if f.has(inline) {
            sink.error(f.location(of: field.name), "\(owner(values)) gives both '\(inline)' and '\(field.name)'; keep one")
        }
        switch InputTree.resolveReference(path, fromFile: file, root: root) {
        case .failure(let reason):
            sink.error(f.location(of: field.name), reason.description)
            return nil
        case .success(let rel):
            let data: Data
            switch SafeFile.read(root.appendingPathComponent(rel).path) {
            case .success(let d): data = d
            case .failure(let why):
                sink.error(f.location(of: field.name), "template file '\(path)' \(why)")
                return nil
            }
            guard let text = String(data: data, encoding: .utf8) else {
                sink.error(f.location(of: field.name), "template file '\(path)' is not readable UTF-8 text")
                return nil
            }
            return .source(TemplateSource(text: text, location: SourceLocation(file: rel, line: 1, column: 1), name: rel))
        }
    }
}

extension RecordValues {
    /// The template source of `field`, inline or from its `*_file` (the file wins, as
    /// it is reported when both are given).
    func source(_ field: String) -> TemplateSource? {
        if case .source(let s)? = self[field + "_file"] { return s }
        if case .source(let s)? = self[field] { return s }
        return nil
    }

    func bool(_ name: String) -> Bool? {
        if case .bool(let b)? = self[name] { return b }
        return nil
    }

    func int(_ name: String) -> Int? {
        if case .int(let i)? = self[name] { return i }
        return nil
    }

    func timestamp(_ name: String) -> Timestamp? {
        if case .timestamp(let t)? = self[name] { return t }
        return nil
    }

    func texts(_ name: String) -> [String]? {
        guard case .list(let items)? = self[name] else { return nil }
        return items.compactMap(\.text)
    }

    func data(_ name: String) -> DataValue? {
        if case .data(let d)? = self[name] { return d }
        return nil
    }
}
