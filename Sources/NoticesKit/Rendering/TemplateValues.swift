import Foundation
import Jinja

/// Converting input data into template values.
package enum TemplateValues {
    /// A JSON object as template variables, keys in file order (as Python's json.loads).
    package static func context(fromJSON text: String, file: String = "context") throws -> [String: Value] {
        switch DocumentParser.parseJSON(text, file: file) {
        case .failure(let d): throw DiagnosticsError([d])
        case .success(let node):
            guard case .dict(let d) = value(fromJSON: node) else {
                throw DiagnosticsError([.error(node.location, "the context must be a JSON object")])
            }
            var out: [String: Value] = [:]
            for (k, v) in d.pairs { out[(try? k.str()) ?? ""] = v }
            return out
        }
    }

    /// JSON node → value: numbers with a fraction or exponent are floats, as in Python.
    static func value(fromJSON node: DataNode) -> Value {
        switch node {
        case .scalar(let s, let quoted, _):
            if quoted { return .string(s) }
            switch s {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .none
            default:
                if let i = Int(s) { return .int(i) }
                // Integers beyond 64 bits stay integers, as in Python.
                if !s.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let big = try? JSONReader.value(s) { return big }
                return .double(Double(s) ?? 0)
            }
        case .sequence(let items, _): return .list(items.map(value(fromJSON:)))
        case .mapping(let pairs, _): return .dict(Dict(pairs: pairs.map { (value(fromJSON: $0.key), value(fromJSON: $0.value)) }))
        }
    }

    /// Free-form data (custom fields, vars) as template values.
    package static func value(_ data: DataValue) -> Value {
        switch data {
        case .null: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .list(let items): return .list(items.map(value))
        case .map(let pairs): return .dict(Dict(pairs.map { ($0.0, value($0.1)) }))
        }
    }
}
