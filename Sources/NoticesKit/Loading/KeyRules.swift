import Foundation

/// What a record key may hold. Keys end up in message IDs and folder names, in iCal
/// lines (`X-MAINTNOTE-PROVIDER:{{ provider.slug }}`) and in mail headers, so they are
/// one printable line: a line break in a slug would add a property to every invite
/// (docs/SECURITY.md).
package enum KeyRules {
    /// Where a key sits in a message ID (SPEC §3.1), which decides whether it can make
    /// an ID that looks like a revision (`…--N`).
    package enum Position: Sendable {
        /// Never part of a message ID (providers, roles, contacts, templates).
        case none
        /// After a single `-`: the event id (`maintenance-ID`), a standalone message id
        /// (`message-ID`) and an impact target (`--TYPE-KEY`).
        case afterDash
        /// After `--`: a tenant slug (`maintenance-EVENT--TENANT`).
        case afterDoubleDash
        /// Inside a message ID but never at its end: an `objects` type
        /// (`maintenance-EVENT--TYPE-KEY`).
        case insideID
    }

    /// Why `key` is not a valid key, or nil when it is.
    static func problem(_ key: String, position: Position) -> String? {
        for u in key.unicodeScalars {
            if let what = forbidden(u) { return "contains \(what); keys are one line of printable text" }
        }
        if key.first == " " || key.last == " " {
            return "starts or ends with a space"
        }
        switch position {
        case .none: return nil
        case .insideID: return dots(Planner.sanitizeID(key), endsID: false)
        case .afterDash: return revisionLike("-" + Planner.sanitizeID(key)) ?? dots(Planner.sanitizeID(key), endsID: true)
        case .afterDoubleDash: return revisionLike("--" + Planner.sanitizeID(key)) ?? dots(Planner.sanitizeID(key), endsID: true)
        }
    }

    /// A message's Message-ID is `<ID@domain>` (SPEC §3.1), and the part before `@` must
    /// be an RFC 5322 dot-atom: no two dots in a row, no dot at its end. Mail readers
    /// (Python's email package among them) report anything else as a defect, so a key
    /// whose ID form would put `..` into an ID, or end one with `.`, is refused.
    /// `part` is the key's ID form; `endsID`: whether it may be the last part of an ID.
    static func dots(_ part: String, endsID: Bool) -> String? {
        let doubled = part.contains("..")
        let trailing = endsID && part.hasSuffix(".")
        guard doubled || trailing else { return nil }
        let what = doubled ? "'..'" : "a final '.'"
        return "would make message IDs with \(what), which a Message-ID (<ID@domain>, RFC 5322) cannot hold; "
            + "use a key whose ID form has no '..' and does not end in '.' (IDs are lowercased, with every character "
            + "outside a-z, 0-9, '.', '_' and '-' turned into '-')"
    }

    /// Why a free-text value that goes into a header line (a contact's name) is refused:
    /// line breaks and other control characters; nil when it is one line.
    static func lineProblem(_ text: String) -> String? {
        for u in text.unicodeScalars {
            switch u.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator:
                return "contains \(forbidden(u) ?? "a control character"); it must be one line of text"
            default: continue
            }
        }
        return nil
    }

    /// Control characters (line breaks, tabs, escape…), invisible formatting characters
    /// (bidirectional overrides, zero-width spaces) and spaces other than U+0020.
    static func forbidden(_ u: Unicode.Scalar) -> String? {
        let code = String(format: "U+%04X", u.value)
        switch u.properties.generalCategory {
        case .control:
            return u == "\n" || u == "\r" || u == "\u{85}" ? "a line break (\(code))" : "the control character \(code)"
        case .lineSeparator, .paragraphSeparator:
            return "a line break (\(code))"
        case .format:
            return "the invisible formatting character \(code)"
        case .spaceSeparator where u != " ":
            return "the space character \(code) (only the plain space is allowed)"
        default:
            return nil
        }
    }

    /// Revision IDs are `LINEAGE--N` (SPEC §3.2). A key whose part of an ID already ends
    /// in `--` and digits would make a lineage that is also another lineage's revision
    /// (tenant `acme--2` and revision 2 of `…--acme`), so such keys are refused and the
    /// two namespaces never meet.
    static func revisionLike(_ tail: String) -> String? {
        let u = Array(tail.utf8)
        var i = u.count
        while i > 0, u[i - 1] >= 0x30, u[i - 1] <= 0x39 { i -= 1 }
        guard i < u.count, i >= 2, u[i - 1] == 0x2D, u[i - 2] == 0x2D else { return nil }
        let digits = String(decoding: u[i...], as: UTF8.self)
        return "would make message IDs that end in '--\(digits)', which is how revisions are numbered; "
            + "use a key whose ID form does not end in '--' and digits (IDs are lowercased, with every character "
            + "outside a-z, 0-9, '.', '_' and '-' turned into '-')"
    }
}

extension Fields {
    /// A record's key field: required text that `KeyRules` accepts, else nil (reported
    /// at the field).
    func key(_ name: String, position: KeyRules.Position = .none) -> String? {
        guard let value = text(name, required: true) else { return nil }
        if let problem = KeyRules.problem(value, position: position) {
            sink.error(location(of: name), "field '\(name)' of \(what) \(problem)")
            return nil
        }
        return value
    }
}
