import Foundation
import Jinja

/// JSON we write. `pythonDumps()` gives exactly the bytes of Python's
/// `json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)` (SPEC §3.1).
package indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    package static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    package func pythonDumps() -> String {
        var out: [UInt8] = []
        write(into: &out, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of a JSON file holding the value: `pythonDumps()` and a newline.
    package func fileData() -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(into: &out, indent: 0)
        out.append(0x0A)
        return Data(out)
    }

    /// Appends the value as `pythonDumps` would write it nested `indent` spaces deep
    /// (for output written piece by piece).
    package func write(into out: inout String, indent: Int) {
        var bytes: [UInt8] = []
        write(into: &bytes, indent: indent)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// The same as UTF-8 bytes: a message writes three JSON files and the manifest one
    /// entry each, and appending bytes costs a fraction of appending strings.
    package func write(into out: inout [UInt8], indent: Int) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            // json.dumps writes NaN/Infinity for the special values, repr() otherwise.
            out.append(contentsOf: (d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : pyFloatRepr(d)).utf8)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(contentsOf: "[\n".utf8)
            for (i, item) in items.enumerated() {
                JSONValue.indent(indent + 2, &out)
                item.write(into: &out, indent: indent + 2)
                if i != items.count - 1 { out.append(0x2C) }
                out.append(0x0A)
            }
            JSONValue.indent(indent, &out)
            out.append(0x5D)
        case .object(let pairs):
            if pairs.isEmpty { out.append(contentsOf: "{}".utf8); return }
            // sort_keys compares str keys by code point, which is UTF-8 byte order.
            // Stable insertion sort of the indices: objects have a handful of keys,
            // and moving indices is far cheaper than moving (key, value) pairs.
            var order = Array(pairs.indices)
            if pairs.count > 32 {
                order.sort { a, b in
                    pairs[a].0.precedesByCodePoint(pairs[b].0) || (!pairs[b].0.precedesByCodePoint(pairs[a].0) && a < b)
                }
            } else {
                Self.insertionSort(&order, pairs)
            }
            out.append(contentsOf: "{\n".utf8)
            for (i, n) in order.enumerated() {
                JSONValue.indent(indent + 2, &out)
                JSONValue.quote(pairs[n].0, into: &out)
                out.append(contentsOf: ": ".utf8)
                pairs[n].1.write(into: &out, indent: indent + 2)
                if i != order.count - 1 { out.append(0x2C) }
                out.append(0x0A)
            }
            JSONValue.indent(indent, &out)
            out.append(0x7D)
        }
    }

    private static func insertionSort(_ order: inout [Int], _ pairs: [(String, JSONValue)]) {
        for i in order.indices.dropFirst() {
            let key = order[i]
            var j = i
            while j > 0, pairs[key].0.precedesByCodePoint(pairs[order[j - 1]].0) {
                order[j] = order[j - 1]
                j -= 1
            }
            order[j] = key
        }
    }

    private static func indent(_ n: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(0x20, count: n))
    }

    static func quote(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        quote(s, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// `json.dumps` of a string with `ensure_ascii=False`: only `"`, `\\` and control
    /// characters below U+0020 are escaped, so the UTF-8 bytes of everything else are
    /// copied as they are.
    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            // Most strings need no escape: copied whole.
            if !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
                out.append(contentsOf: bytes)
            } else {
                escape(bytes, into: &out)
            }
        }
        out.append(0x22)
    }

    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        for b in bytes {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x08: out.append(contentsOf: [0x5C, 0x62])
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])
            case ..<0x20:
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30])
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0xF)])
            default: out.append(b)
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
