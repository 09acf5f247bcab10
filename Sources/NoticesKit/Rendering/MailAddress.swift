import Foundation

/// One RFC 5322 mailbox: an optional display name and an addr-spec.
package struct Mailbox: Equatable, Sendable {
    /// The display name as a reader sees it (quotes and escapes removed); "" for none.
    package var name: String
    /// `local@domain`, printable ASCII.
    package var address: String
}

/// RFC 5322 addresses, parsed strictly. A contact's `email` is exactly one addr-spec,
/// `eml.from` exactly one mailbox, and an address header a list of mailboxes that all
/// go out: a value can never name more (or fewer) recipients than a reviewer sees.
/// Addresses are ASCII (no RFC 6532); display names may be any text and are written
/// with RFC 2047 encoded words when they are not ASCII.
enum MailAddress {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Exactly one `local@domain`, nothing around it.
    static func addrSpec(_ text: String) -> Result<String, Problem> {
        var p = Scanner(text)
        guard let problem = p.addrSpec() ?? (p.atEnd ? nil : p.unexpected()) else { return .success(text) }
        // Say what the value is when it is a valid mailbox or list, just not one bare address.
        if case .success(let list) = mailboxList(text) {
            if list.count > 1 { return .failure(Problem(description: "'\(text)' names \(list.count) addresses; give exactly one")) }
            return .failure(Problem(description: "'\(text)' is not a bare address; give only '\(list[0].address)' (the contact's name comes from its 'name')"))
        }
        return .failure(Problem(description: explain(text, problem)))
    }

    /// Exactly one mailbox: `local@domain`, `<local@domain>` or `Name <local@domain>`.
    static func mailbox(_ text: String) -> Result<Mailbox, Problem> {
        switch mailboxList(text) {
        case .failure(let p): return .failure(p)
        case .success(let list) where list.count == 1: return .success(list[0])
        case .success(let list):
            return .failure(Problem(description: "'\(text)' names \(list.count) addresses; give exactly one"))
        }
    }

    /// One or more mailboxes separated by commas (groups and comments are not accepted).
    static func mailboxList(_ text: String) -> Result<[Mailbox], Problem> {
        var p = Scanner(text)
        var out: [Mailbox] = []
        while true {
            p.skipSpace()
            switch p.mailbox() {
            case .failure(let problem): return .failure(Problem(description: explain(text, problem.description)))
            case .success(let m): out.append(m)
            }
            p.skipSpace()
            if p.atEnd { return .success(out) }
            guard p.peek == "," else { return .failure(Problem(description: explain(text, p.unexpected()))) }
            p.advance()
        }
    }

    private static func explain(_ text: String, _ problem: String) -> String {
        "'\(text)' is not an e-mail address (\(problem))"
    }

    /// The header form of a mailbox: `a@b`, `"Name" <a@b>`, or encoded words for a
    /// name that is not printable ASCII.
    static func encode(_ m: Mailbox) -> String {
        if m.name.isEmpty { return m.address }
        if m.name.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 && $0.value < 127 }) {
            let quoted = m.name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\" <\(m.address)>"
        }
        return "\(Mail.encodeHeaderText(m.name)) <\(m.address)>"
    }

    static func encode(_ list: [Mailbox]) -> String {
        list.map(encode).joined(separator: ",\r\n ")
    }

    /// A cursor over the value's Unicode scalars.
    struct Scanner {
        let s: [Unicode.Scalar]
        var i = 0
        init(_ text: String) { s = Array(text.unicodeScalars) }

        var atEnd: Bool { i >= s.count }
        var peek: Unicode.Scalar? { i < s.count ? s[i] : nil }
        mutating func advance() { i += 1 }

        mutating func skipSpace() {
            while let c = peek, c == " " || c == "\t" { advance() }
        }

        func unexpected() -> String {
            guard let c = peek else { return "it ends too early" }
            if c == "\r" || c == "\n" { return "it contains a line break" }
            if c.value < 32 || c.value == 127 { return "it contains the control character \(String(format: "U+%04X", c.value))" }
            return "unexpected '\(c)' at character \(i + 1)"
        }

        static func isAtext(_ c: Unicode.Scalar) -> Bool {
            switch c {
            case "a"..."z", "A"..."Z", "0"..."9": return true
            default: return "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(c)
            }
        }

        /// `local@domain`; nil when it parsed, else what is wrong.
        mutating func addrSpec() -> String? {
            let start = i
            if peek == "\"" {
                var ignored = ""
                if let problem = quotedString(&ignored) { return problem }
            } else if let problem = dotAtom() {
                return problem
            }
            if i - start > 64 { return "the part before '@' is longer than 64 characters" }
            guard peek == "@" else { return atEnd ? "no '@domain'" : unexpected() }
            advance()
            if peek == "[" {
                advance()
                while let c = peek, (33...90).contains(c.value) || (94...126).contains(c.value) { advance() }
                guard peek == "]" else { return unexpected() }
                advance()
            } else if let problem = dotAtom() {
                return problem
            }
            if i - start > 254 { return "longer than 254 characters" }
            return nil
        }

        /// `atext+ ("." atext+)*`.
        mutating func dotAtom() -> String? {
            while true {
                let from = i
                while let c = peek, Self.isAtext(c) { advance() }
                if i == from { return unexpected() }
                guard peek == "." else { return nil }
                advance()
            }
        }

        /// A quoted string; its text (escapes removed) is appended to `text`.
        mutating func quotedString(_ text: inout String) -> String? {
            advance()
            while let c = peek {
                switch c {
                case "\"":
                    advance()
                    return nil
                case "\\":
                    advance()
                    guard let e = peek, e == "\t" || (e.value >= 32 && e.value != 127) else { return unexpected() }
                    text.unicodeScalars.append(e)
                    advance()
                case "\r", "\n":
                    return unexpected()
                default:
                    if c.value < 32 && c != "\t" || c.value == 127 { return unexpected() }
                    text.unicodeScalars.append(c)
                    advance()
                }
            }
            return "a quoted string is not closed"
        }

        /// A bare addr-spec, or a display name (words and quoted strings, any letters)
        /// followed by `<addr-spec>`.
        mutating func mailbox() -> Result<Mailbox, Problem> {
            func fail(_ text: String) -> Result<Mailbox, Problem> { .failure(Problem(description: text)) }
            let start = i
            // A bare addr-spec, followed by the end or a comma.
            if peek != "<", addrSpec() == nil {
                let end = i
                skipSpace()
                guard atEnd || peek == "," else { return fail(unexpected()) }
                return .success(Mailbox(name: "", address: String(String.UnicodeScalarView(s[start..<end]))))
            }
            i = start
            var words: [String] = []
            while let c = peek, c != "<" {
                if c == " " || c == "\t" { skipSpace(); continue }
                var word = ""
                if c == "\"" {
                    if let problem = quotedString(&word) { return fail(problem) }
                } else {
                    // An atom; letters beyond ASCII are allowed in names (encoded on output),
                    // and '.' as in "J. Doe" (RFC 5322 obs-phrase).
                    while let c = peek, Self.isAtext(c) || c == "." || (c.value > 127 && !Self.isBreak(c)) {
                        word.unicodeScalars.append(c)
                        advance()
                    }
                    if word.isEmpty { return fail(peek == "," || peek == "@" ? "a name with '\(peek!)' must be in double quotes" : unexpected()) }
                }
                words.append(word)
            }
            let name = words.joined(separator: " ")
            guard peek == "<" else { return fail(words.isEmpty ? unexpected() : "no '<address>' after the name") }
            advance()
            let addrStart = i
            if let problem = addrSpec() { return fail(problem) }
            let address = String(String.UnicodeScalarView(s[addrStart..<i]))
            guard peek == ">" else { return fail(unexpected()) }
            advance()
            return .success(Mailbox(name: name, address: address))
        }

        /// Line and paragraph separators and C1 controls: never inside a header line.
        static func isBreak(_ c: Unicode.Scalar) -> Bool {
            (0x80...0x9F).contains(c.value) || c.value == 0x2028 || c.value == 0x2029
        }
    }
}
