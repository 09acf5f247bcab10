import Foundation

/// RFC 5545 §3.1 content-line syntax, checked on every unfolded line of an invite:
/// `NAME *(;PARAM=VALUE) : VALUE`, names of letters, digits and `-`, parameters
/// without control characters. A stray line (text that a value carried onto a line of its own) is not a
/// property and is refused.
enum ICalSyntax {
    /// One message per bad line of a calendar's unfolded content lines (ICal.Parsed);
    /// empty when every line is a content line.
    static func problems(_ lines: [String]) -> [String] {
        var out: [String] = []
        for (n, line) in lines.enumerated() {
            var line = line
            if let problem = line.withUTF8(problem) {
                let text = String(String.UnicodeScalarView(line.unicodeScalars.prefix(60)))
                out.append("line \(n + 1) is not an iCal property line (\(problem)): '\(text.escapedControls)'")
            }
        }
        return out
    }

    static func isNameChar(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D
    }

    static func isControl(_ c: Unicode.Scalar) -> Bool {
        (c.value < 0x20 && c != "\t") || c.value == 0x7F
    }

    /// Byte for byte as isControl on scalars: every byte of a multi-byte UTF-8
    /// sequence is 0x80 or above, so none is a control character or punctuation here.
    static func isControl(_ c: UInt8) -> Bool { (c < 0x20 && c != 0x09) || c == 0x7F }

    /// What is wrong with one unfolded line (its UTF-8 bytes), or nil.
    static func problem(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        let colon: UInt8 = 0x3A, semicolon: UInt8 = 0x3B, equals: UInt8 = 0x3D, quote: UInt8 = 0x22, comma: UInt8 = 0x2C
        var i = 0
        func name() -> Bool {
            let start = i
            while i < line.count, isNameChar(line[i]) { i += 1 }
            return i > start
        }
        guard name() else { return "no property name" }
        while i < line.count, line[i] == semicolon {
            i += 1
            guard name() else { return "a parameter has no name" }
            guard i < line.count, line[i] == equals else { return "a parameter has no '='" }
            repeat {
                i += 1
                if i < line.count, line[i] == quote {
                    i += 1
                    while i < line.count, line[i] != quote {
                        if isControl(line[i]) { return "a control character in a parameter" }
                        i += 1
                    }
                    guard i < line.count else { return "a quoted parameter value is not closed" }
                    i += 1
                } else {
                    while i < line.count, line[i] != semicolon, line[i] != colon, line[i] != comma, line[i] != quote {
                        if isControl(line[i]) { return "a control character in a parameter" }
                        i += 1
                    }
                }
            } while i < line.count && line[i] == comma
        }
        guard i < line.count, line[i] == colon else { return "no ':' after the name" }
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
