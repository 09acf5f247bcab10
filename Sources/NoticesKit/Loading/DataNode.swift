import Foundation
import Yams

/// A parsed YAML or JSON document before it is given a type: every node knows where
/// it came from, and scalars keep the text as written so each field can read it as
/// its own type (SPEC §1: no YAML 1.1 guessing).
package indirect enum DataNode: Sendable {
    /// `quoted` is true for quoted and block scalars, which are always text.
    case scalar(String, quoted: Bool, SourceLocation)
    case mapping([(key: DataNode, value: DataNode)], SourceLocation)
    case sequence([DataNode], SourceLocation)

    package var location: SourceLocation {
        switch self {
        case .scalar(_, _, let l), .mapping(_, let l), .sequence(_, let l): return l
        }
    }

    /// "a mapping", "a list", "text" — for type errors.
    var kindName: String {
        switch self {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// The scalar's text, or nil for collections.
    var scalarText: String? {
        if case .scalar(let s, _, _) = self { return s }
        return nil
    }

    /// True for a plain `null`, `~` or empty scalar (YAML 1.2 core schema).
    var isNull: Bool {
        if case .scalar(let s, let quoted, _) = self, !quoted {
            return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL"
        }
        return false
    }
}

enum DocumentParser {
    /// Parses every document of a YAML file. Problems become diagnostics.
    static func parseYAML(_ text: String, file: String) -> Result<[DataNode], Diagnostic> {
        if let refused = AliasExpansion.complexKey(in: text, file: file) { return .failure(refused) }
        do {
            let parser = try Parser(yaml: text, resolver: plainResolver)
            var docs: [DataNode] = []
            var expansion = AliasExpansion(file: file)
            while let root = try parser.nextRoot() {
                docs.append(try expansion.convert(root))
            }
            return .success(docs)
        } catch let exceeded as AliasExpansion.Exceeded {
            return .failure(exceeded.diagnostic)
        } catch let duplicate as AliasExpansion.DuplicateKey {
            return .failure(duplicate.diagnostic)
        } catch let error as YamlError {
            return .failure(yamlDiagnostic(error, text: text, file: file))
        } catch {
            return .failure(.error(SourceLocation(file: file, line: 1, column: 1), "cannot parse YAML: \(error)"))
        }
    }

    /// Fields read scalars as their own types, so Yams need not guess any: every plain
    /// scalar gets one private tag (one cheap match instead of Yams's seven regular
    /// expressions per scalar, which were a tenth of loading), and an explicit `!!str`
    /// still stands out.
    private static let plainResolver = try! Resolver.basic.appending(Tag.Name(rawValue: plainTag), "^")
    static let plainTag = "tag:notices,plain"

    private static func yamlDiagnostic(_ error: YamlError, text: String, file: String) -> Diagnostic {
        func loc(_ m: Mark) -> SourceLocation { SourceLocation(file: file, line: m.line, column: m.column) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var text = "invalid YAML: \(problem)"
            if let context { text += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return .error(loc(mark), text)
        case let .reader(problem, offset, _, _):
            let suffix = offset.map { " at byte \($0)" } ?? ""
            return .error(SourceLocation(file: file, line: 1, column: 1), "invalid YAML input: \(problem)\(suffix)")
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams gives the first occurrence; the error belongs at the second.
            if duplicates.count == 1, let second = DuplicateKey.second(of: duplicates[0], in: text, first: context.mark) {
                return .error(SourceLocation(file: file, line: second.line, column: second.column),
                              "duplicate key '\(duplicates[0])' (first at line \(context.mark.line), column \(context.mark.column))")
            }
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .error(loc(context.mark), "duplicate key \(keys) in one mapping")
        default:
            return .error(SourceLocation(file: file, line: 1, column: 1), "cannot parse YAML: \(error)")
        }
    }

    /// Parses a JSON file, keeping line and column of every value.
    static func parseJSON(_ text: String, file: String) -> Result<DataNode, Diagnostic> {
        parseJSON(bytes: Array(text.utf8), file: file)
    }

    /// Parses JSON bytes (invalid UTF-8 in a string is an error). With `streaming`,
    /// the elements of the list under that key of the top-level object are handed to
    /// `visit` one at a time and left out of the tree, so a large file (the manifest)
    /// is never held as one tree. `line`: the line the bytes start on in `file`.
    static func parseJSON(bytes: [UInt8], file: String, line: Int = 1, streaming key: String? = nil,
                          visit: (DataNode) -> Void = { _ in }) -> Result<DataNode, Diagnostic> {
        withoutActuallyEscaping(visit) { visit in
            var p = JSONScanner(bytes: bytes, file: file)
            p.line = line
            p.streamKey = key
            p.visit = visit
            do {
                p.skipSpace()
                let v = try p.value(depth: 0)
                p.skipSpace()
                if p.pos < p.bytes.count { throw p.fail("unexpected content after the JSON value") }
                return .success(v)
            } catch let d as JSONScanner.Failure {
                return .failure(d.diagnostic)
            } catch {
                return .failure(.error(SourceLocation(file: file, line: 1, column: 1), "\(error)"))
            }
        }
    }
}

/// A small JSON reader (RFC 8259) that records positions, which Foundation's does not.
private struct JSONScanner {
    struct Failure: Error { let diagnostic: Diagnostic }
    /// The input as UTF-8: runs of plain characters are copied as bytes, and each
    /// string is checked to be valid UTF-8 when it is made.
    let bytes: [UInt8]
    let file: String
    var pos = 0
    var line = 1
    /// Counted in Unicode scalars, like the YAML loader's columns.
    var column = 1
    /// The top-level key whose list is streamed to `visit` (see `parseJSON`).
    var streamKey: String?
    var visit: (DataNode) -> Void = { _ in }

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    func fail(_ message: String) -> Failure {
        Failure(diagnostic: .error(here, "invalid JSON: \(message)"))
    }

    var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    /// The scalar that starts at `pos`, for messages.
    var peekScalar: Unicode.Scalar? {
        guard pos < bytes.count else { return nil }
        var end = pos + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[pos..<end], as: UTF8.self).unicodeScalars.first
    }

    mutating func advance() {
        let b = bytes[pos]
        if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        pos += 1
    }

    mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { advance() }
    }

    mutating func expect(_ word: String) throws {
        for c in word.utf8 {
            guard peek == c else { throw fail("expected '\(word)'") }
            advance()
        }
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    mutating func value(depth: Int) throws -> DataNode {
        guard depth < 512 else { throw fail("nesting deeper than 512 levels") }
        let start = here
        guard let c = peek else { throw fail("unexpected end of input") }
        switch c {
        case UInt8(ascii: "{"):
            advance()
            var pairs: [(key: DataNode, value: DataNode)] = []
            // Keys seen so far: a linear search while the mapping is small (records
            // have a dozen keys, manifest entries eighteen), a dictionary beyond that.
            var seenKeys: [(String, SourceLocation)] = []
            var seen: [String: SourceLocation] = [:]
            skipSpace()
            if peek == UInt8(ascii: "}") { advance(); return .mapping(pairs, start) }
            while true {
                skipSpace()
                guard peek == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                let keyLoc = here
                let key = try string()
                let first = seenKeys.count < 32 ? seenKeys.first(where: { $0.0 == key })?.1 : seen[key]
                if let first {
                    throw Failure(diagnostic: .error(keyLoc, "duplicate key '\(key)' (first at line \(first.line), column \(first.column))"))
                }
                if seenKeys.count < 32 {
                    seenKeys.append((key, keyLoc))
                    if seenKeys.count == 32 { for (k, l) in seenKeys { seen[k] = l } }
                } else {
                    seen[key] = keyLoc
                }
                skipSpace()
                guard peek == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
                advance()
                skipSpace()
                let v = depth == 0 && key == streamKey && peek == UInt8(ascii: "[")
                    ? try streamedList() : try value(depth: depth + 1)
                pairs.append((.scalar(key, quoted: true, keyLoc), v))
                skipSpace()
                if peek == UInt8(ascii: ",") { advance(); continue }
                if peek == UInt8(ascii: "}") { advance(); return .mapping(pairs, start) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            advance()
            var items: [DataNode] = []
            skipSpace()
            if peek == UInt8(ascii: "]") { advance(); return .sequence(items, start) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                if peek == UInt8(ascii: ",") { advance(); continue }
                if peek == UInt8(ascii: "]") { advance(); return .sequence(items, start) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .scalar(try string(), quoted: true, start)
        case UInt8(ascii: "t"): try expect("true"); return .scalar("true", quoted: false, start)
        case UInt8(ascii: "f"): try expect("false"); return .scalar("false", quoted: false, start)
        case UInt8(ascii: "n"): try expect("null"); return .scalar("null", quoted: false, start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let from = pos
            while let d = peek, JSONScanner.isDigit(d) || d == UInt8(ascii: "+") || d == UInt8(ascii: "-")
                    || d == UInt8(ascii: ".") || d == UInt8(ascii: "e") || d == UInt8(ascii: "E") {
                advance()
            }
            let text = String(decoding: bytes[from..<pos], as: UTF8.self)
            guard JSONScanner.isNumber(bytes[from..<pos]) else {
                throw Failure(diagnostic: .error(start, "invalid JSON: bad number '\(text)'"))
            }
            return .scalar(text, quoted: false, start)
        default:
            throw fail("unexpected character '\((peekScalar ?? "?").escaped(asASCII: true))'")
        }
    }

    /// A list at depth 1 whose elements go to `visit` instead of into the tree.
    mutating func streamedList() throws -> DataNode {
        let start = here
        advance()
        skipSpace()
        if peek == UInt8(ascii: "]") { advance(); return .sequence([], start) }
        while true {
            skipSpace()
            visit(try value(depth: 2))
            skipSpace()
            if peek == UInt8(ascii: ",") { advance(); continue }
            if peek == UInt8(ascii: "]") { advance(); return .sequence([], start) }
            throw fail("expected ',' or ']'")
        }
    }

    /// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    static func isNumber(_ s: ArraySlice<UInt8>) -> Bool {
        var i = s.startIndex
        func digits() -> Int {
            let from = i
            while i < s.endIndex, isDigit(s[i]) { i += 1 }
            return i - from
        }
        if i < s.endIndex, s[i] == UInt8(ascii: "-") { i += 1 }
        if i < s.endIndex, s[i] == UInt8(ascii: "0") { i += 1 } else if digits() == 0 { return false }
        if i < s.endIndex, s[i] == UInt8(ascii: ".") {
            i += 1
            if digits() == 0 { return false }
        }
        if i < s.endIndex, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            if i < s.endIndex, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            if digits() == 0 { return false }
        }
        return i == s.endIndex
    }

    mutating func string() throws -> String {
        advance() // opening quote
        var out: [UInt8] = []
        // Only text with bytes over 0x7F needs checking for valid UTF-8.
        var ascii = true
        while true {
            // Copy a run of plain characters at once (no newline can be inside one).
            let runStart = pos
            while pos < bytes.count {
                let b = bytes[pos]
                if b == 0x22 || b == 0x5C || b < 0x20 { break }
                if b & 0xC0 != 0x80 { column += 1 }
                if b >= 0x80 { ascii = false }
                pos += 1
            }
            out.append(contentsOf: bytes[runStart..<pos])
            guard let c = peek else { throw fail("unterminated string") }
            if c == 0x22 {
                if ascii { advance(); return String(decoding: out, as: UTF8.self) }
                guard let s = String(validating: out, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
                advance()
                return s
            }
            if c < 0x20 { throw fail("control character in string") }
            // A backslash.
            advance()
            guard let e = peek else { throw fail("unterminated string") }
            let escapeScalar = peekScalar
            advance()
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code) {
                    guard peek == UInt8(ascii: "\\") else { throw fail("unpaired surrogate") }
                    advance()
                    guard peek == UInt8(ascii: "u") else { throw fail("unpaired surrogate") }
                    advance()
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let s = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
                out.append(contentsOf: String(s).utf8)
            default: throw fail("invalid escape '\\\(escapeScalar.map { String($0) } ?? "")'")
            }
        }
    }

    mutating func hex4() throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek else { throw fail("invalid \\u escape") }
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape")
            }
            v = v * 16 + UInt32(d)
            advance()
        }
        return v
    }
}
