import Foundation

/// The line format of the render caches (`.render-state`, `.local/units`): a header line,
/// then one record per line, fields separated by tabs, with `\\`, `\t` and `\n` escaped.
/// Read from bytes, one line at a time: the unit records of a large output are
/// megabytes, and splitting them into Strings first was a tenth of a re-render after a
/// one-event edit.
struct TabSeparatedLines: Sequence, IteratorProtocol {
    private let bytes: [UInt8]
    private var position = 0

    /// Nil unless `bytes` are UTF-8 and start with `header` and a line break (a cache is
    /// worth reading only as written).
    init?(_ bytes: [UInt8], header: String) {
        let head = Array(header.utf8)
        guard bytes.count > head.count, bytes[head.count] == UInt8(ascii: "\n"), bytes.starts(with: head),
              String(validating: bytes, as: UTF8.self) != nil else { return nil }
        self.bytes = bytes
        position = head.count + 1
    }

    /// The next non-empty line's fields, unescaped.
    mutating func next() -> [String]? {
        while position < bytes.count {
            let start = position
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            position = end + 1
            if end > start { return fields(start..<end) }
        }
        return nil
    }

    private func fields(_ line: Range<Int>) -> [String] {
        var out: [String] = []
        var from = line.lowerBound
        for i in line where bytes[i] == UInt8(ascii: "\t") {
            out.append(field(from..<i))
            from = i + 1
        }
        out.append(field(from..<line.upperBound))
        return out
    }

    /// A field's text: a backslash and `t` or `n` stand for a tab or a line break, a
    /// backslash and any other byte for that byte.
    private func field(_ range: Range<Int>) -> String {
        let raw = bytes[range]
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var escaping = false
        for b in raw {
            if escaping {
                out.append(b == UInt8(ascii: "t") ? UInt8(ascii: "\t") : b == UInt8(ascii: "n") ? UInt8(ascii: "\n") : b)
                escaping = false
            } else if b == UInt8(ascii: "\\") {
                escaping = true
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension TabSeparatedLines {
    /// One line of `fields`, escaped, with its line break.
    static func line(_ fields: [String]) -> String { fields.map(escape).joined(separator: "\t") + "\n" }

    /// A warning's line: `warning`, its file, line and column (empty without a place) and
    /// its text.
    static func warningLine(_ w: Diagnostic) -> String {
        let l = w.location
        return line(["warning", l?.file ?? "", l.map { String($0.line) } ?? "", l.map { String($0.column) } ?? "", w.message])
    }

    /// The warning of a `warning` line's five fields.
    static func warning(_ fields: [String]) -> Diagnostic {
        let location = fields[1].isEmpty ? nil : SourceLocation(file: fields[1], line: Int(fields[2]) ?? 1, column: Int(fields[3]) ?? 1)
        return .warning(location, fields[4])
    }

    static func escape(_ s: String) -> String {
        // Nearly every field needs nothing (Foundation's replacing is slow on many fields).
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") }) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
