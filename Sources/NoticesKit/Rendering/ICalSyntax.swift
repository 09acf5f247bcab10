import Foundation

/// RFC 5545 §3.1 content-line syntax, checked on every unfolded line of an invite:
/// `NAME *(;PARAM=VALUE) : VALUE`, names of letters, digits and `-`, parameters
/// without control characters. A stray line (text that a value carried onto a line of its own) is not a
/// property and is refused.
enum ICalSyntax {
    /// One message per bad line; empty when every line is a content line.
    static func problems(_ normalized: String) -> [String] {
        var out: [String] = []
        var lines: [[Unicode.Scalar]] = []
        for raw in normalized.components(separatedBy: "\r\n") where !raw.isEmpty {
            let scalars = Array(raw.unicodeScalars)
            if scalars.first == " " || scalars.first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += scalars.dropFirst()
            } else {
                lines.append(scalars)
            }
        }
        for (n, line) in lines.enumerated() {
            if let problem = problem(line) {
                let text = String(String.UnicodeScalarView(line.prefix(60)))
                out.append("line \(n + 1) is not an iCal property line (\(problem)): '\(text.escapedControls)'")
            }
        }
        return out
    }

    static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(c) || ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "-"
    }

    static func isControl(_ c: Unicode.Scalar) -> Bool {
        (c.value < 0x20 && c != "\t") || c.value == 0x7F
    }

    /// What is wrong with one unfolded line, or nil.
    static func problem(_ line: [Unicode.Scalar]) -> String? {
        var i = 0
        func name() -> Bool {
            let start = i
            while i < line.count, isNameChar(line[i]) { i += 1 }
            return i > start
        }
        guard name() else { return "no property name" }
        while i < line.count, line[i] == ";" {
            i += 1
            guard name() else { return "a parameter has no name" }
            guard i < line.count, line[i] == "=" else { return "a parameter has no '='" }
            repeat {
                i += 1
                if i < line.count, line[i] == "\"" {
                    i += 1
                    while i < line.count, line[i] != "\"" {
                        if isControl(line[i]) { return "a control character in a parameter" }
                        i += 1
                    }
                    guard i < line.count else { return "a quoted parameter value is not closed" }
                    i += 1
                } else {
                    while i < line.count, !";:,\"".unicodeScalars.contains(line[i]) {
                        if isControl(line[i]) { return "a control character in a parameter" }
                        i += 1
                    }
                }
            } while i < line.count && line[i] == ","
        }
        guard i < line.count, line[i] == ":" else { return "no ':' after the name" }
        return nil
    }
}

extension String {
    /// Control characters shown as `\u{…}` so a message stays on one line.
    var escapedControls: String {
        var out = ""
        for u in unicodeScalars {
            if ICalSyntax.isControl(u) { out += "\\u{\(String(u.value, radix: 16))}" } else { out.unicodeScalars.append(u) }
        }
        return out
    }
}
