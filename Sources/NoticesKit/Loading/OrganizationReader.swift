import Foundation

/// Reads `organization` of notices.yaml (SPEC §1.10) and works out its `domain`, which
/// names Message-IDs and invite UIDs, so it must be a plain ASCII host name.
enum OrganizationReader {
    /// Checks the values of `organization` as read by its table (`Tables.organizationTable`).
    static func read(_ read: (Fields, RecordValues)?, emlFrom: String?, sink: DiagnosticSink) -> Organization {
        var org = Organization()
        if let (f, v) = read {
            for key in v.table.names {
                guard let value = v.text(key), !value.isEmpty else { continue }
                // These values reach mail headers and invites: a line break there would add lines.
                if value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
                    sink.error(f.location(of: key), "organization.\(key) must be a single line")
                    continue
                }
                switch key {
                case "name": org.name = value
                case "phone": org.phone = value
                case "website": org.website = value
                case "email":
                    // One RFC 5322 addr-spec (as a contact's email), with a host name as domain.
                    if domain(ofAddress: value) == nil || (try? MailAddress.addrSpec(value).get()) == nil {
                        sink.error(f.location(of: key), "organization.email '\(value)' is not an e-mail address (expected name@example.net)")
                    } else {
                        org.email = value
                    }
                case "domain":
                    if isHostName(value) {
                        org.domain = value
                    } else {
                        sink.error(f.location(of: key), "organization.domain '\(value)' is not a domain name (ASCII letters, digits, '-' and '.'; write an international name in its xn-- form)")
                    }
                default: continue
                }
            }
        }
        if org.domain.isEmpty { org.domain = domain(ofAddress: org.email) ?? emlFrom.flatMap(domain(ofAddress:)) ?? "" }
        return org
    }

    /// The domain of `name@domain` or `Name <name@domain>`, when it is a host name.
    static func domain(ofAddress text: String) -> String? {
        var address = Substring(text)
        if let lt = address.lastIndex(of: "<"), let gt = address.lastIndex(of: ">"), lt < gt {
            address = address[address.index(after: lt)..<gt]
        }
        guard let at = address.lastIndex(of: "@"), at != address.startIndex else { return nil }
        let domain = String(address[address.index(after: at)...])
        return isHostName(domain) ? domain : nil
    }

    /// Dot-separated labels of ASCII letters, digits and inner hyphens.
    static func isHostName(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }
        }
    }
}
