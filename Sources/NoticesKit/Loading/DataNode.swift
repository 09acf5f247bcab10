import Foundation
import Yams

/// A parsed YAML or JSON document before it is given a type: every node knows where
/// it came from, and scalars keep the text as written so each field can read it as
/// its own type (SPEC §1: no YAML 1.1 guessing).
public indirect enum DataNode: Sendable {
    /// `quoted` is true for quoted and block scalars, which are always text.
    case scalar(String, quoted: Bool, SourceLocation)
    case mapping([(key: DataNode, value: DataNode)], SourceLocation)
    case sequence([DataNode], SourceLocation)

    public var location: SourceLocation {
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
        do {
            let parser = try Parser(yaml: text)
            var docs: [DataNode] = []
            while let root = try parser.nextRoot() {
                docs.append(convert(root, file: file))
            }
            return .success(docs)
        } catch let error as YamlError {
            return .failure(yamlDiagnostic(error, file: file))
        } catch {
            return .failure(.error(SourceLocation(file: file, line: 1, column: 1), "cannot parse YAML: \(error)"))
        }
    }

    private static func yamlDiagnostic(_ error: YamlError, file: String) -> Diagnostic {
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
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .error(loc(context.mark), "duplicate key \(keys) in one mapping")
        default:
            return .error(SourceLocation(file: file, line: 1, column: 1), "cannot parse YAML: \(error)")
        }
    }

    private static func convert(_ node: Node, file: String) -> DataNode {
        let loc = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        switch node {
        case .scalar(let s):
            // Quoted, block and `!!str`-tagged scalars are always text.
            let quoted = (s.style != .plain && s.style != .any) || s.tag.description == "tag:yaml.org,2002:str"
            return .scalar(s.string, quoted: quoted, loc)
        case .mapping(let map):
            return .mapping(map.map { (convert($0.key, file: file), convert($0.value, file: file)) }, loc)
        case .sequence(let seq):
            return .sequence(seq.map { convert($0, file: file) }, loc)
        case .alias(let alias):
            return .scalar(alias.anchor.rawValue, quoted: true, loc)
        }
    }

    /// Parses a JSON file, keeping line and column of every value.
    static func parseJSON(_ text: String, file: String) -> Result<DataNode, Diagnostic> {
        var p = JSONScanner(scalars: Array(text.unicodeScalars), file: file)
        do {
            p.skipSpace()
            let v = try p.value(depth: 0)
            p.skipSpace()
            if p.pos < p.scalars.count { throw p.fail("unexpected content after the JSON value") }
            return .success(v)
        } catch let d as JSONScanner.Failure {
            return .failure(d.diagnostic)
        } catch {
            return .failure(.error(SourceLocation(file: file, line: 1, column: 1), "\(error)"))
        }
    }
}

/// A small JSON reader (RFC 8259) that records positions, which Foundation's does not.
private struct JSONScanner {
    struct Failure: Error { let diagnostic: Diagnostic }
    let scalars: [Unicode.Scalar]
    let file: String
    var pos = 0
    var line = 1
    var column = 1

    init(scalars: [Unicode.Scalar], file: String) {
        self.scalars = scalars
        self.file = file
    }

    var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    func fail(_ message: String) -> Failure {
        Failure(diagnostic: .error(here, "invalid JSON: \(message)"))
    }

    var peek: Unicode.Scalar? { pos < scalars.count ? scalars[pos] : nil }

    mutating func advance() {
        if scalars[pos] == "\n" { line += 1; column = 1 } else { column += 1 }
        pos += 1
    }

    mutating func skipSpace() {
        while let c = peek, c == " " || c == "\t" || c == "\n" || c == "\r" { advance() }
    }

    mutating func expect(_ word: String) throws {
        for c in word.unicodeScalars {
            guard peek == c else { throw fail("expected '\(word)'") }
            advance()
        }
    }

    mutating func value(depth: Int) throws -> DataNode {
        guard depth < 512 else { throw fail("nesting deeper than 512 levels") }
        let start = here
        guard let c = peek else { throw fail("unexpected end of input") }
        switch c {
        case "{":
            advance()
            var pairs: [(key: DataNode, value: DataNode)] = []
            var seen: [String: SourceLocation] = [:]
            skipSpace()
            if peek == "}" { advance(); return .mapping(pairs, start) }
            while true {
                skipSpace()
                guard peek == "\"" else { throw fail("expected a string key") }
                let keyLoc = here
                let key = try string()
                if let first = seen[key] {
                    throw Failure(diagnostic: .error(keyLoc, "duplicate key '\(key)' (first at line \(first.line), column \(first.column))"))
                }
                seen[key] = keyLoc
                skipSpace()
                guard peek == ":" else { throw fail("expected ':' after a key") }
                advance()
                skipSpace()
                let v = try value(depth: depth + 1)
                pairs.append((.scalar(key, quoted: true, keyLoc), v))
                skipSpace()
                if peek == "," { advance(); continue }
                if peek == "}" { advance(); return .mapping(pairs, start) }
                throw fail("expected ',' or '}'")
            }
        case "[":
            advance()
            var items: [DataNode] = []
            skipSpace()
            if peek == "]" { advance(); return .sequence(items, start) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                if peek == "," { advance(); continue }
                if peek == "]" { advance(); return .sequence(items, start) }
                throw fail("expected ',' or ']'")
            }
        case "\"":
            return .scalar(try string(), quoted: true, start)
        case "t": try expect("true"); return .scalar("true", quoted: false, start)
        case "f": try expect("false"); return .scalar("false", quoted: false, start)
        case "n": try expect("null"); return .scalar("null", quoted: false, start)
        case "-", "0"..."9":
            var text = ""
            while let d = peek, "0123456789+-.eE".unicodeScalars.contains(d) {
                text.unicodeScalars.append(d)
                advance()
            }
            guard text.range(of: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#, options: .regularExpression) != nil else {
                throw Failure(diagnostic: .error(start, "invalid JSON: bad number '\(text)'"))
            }
            return .scalar(text, quoted: false, start)
        default:
            throw fail("unexpected character '\(c.escaped(asASCII: true))'")
        }
    }

    mutating func string() throws -> String {
        advance() // opening quote
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek else { throw fail("unterminated string") }
            if c == "\"" { advance(); return String(out) }
            if c.value < 0x20 { throw fail("control character in string") }
            if c == "\\" {
                advance()
                guard let e = peek else { throw fail("unterminated string") }
                advance()
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "/": out.append("/")
                case "b": out.append("\u{8}")
                case "f": out.append("\u{c}")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard peek == "\\" else { throw fail("unpaired surrogate") }
                        advance()
                        guard peek == "u" else { throw fail("unpaired surrogate") }
                        advance()
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let s = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
                    out.append(s)
                default: throw fail("invalid escape '\\\(e)'")
                }
                continue
            }
            out.append(c)
            advance()
        }
    }

    mutating func hex4() throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek, let d = Int(String(c), radix: 16) else { throw fail("invalid \\u escape") }
            v = v * 16 + UInt32(d)
            advance()
        }
        return v
    }
}
