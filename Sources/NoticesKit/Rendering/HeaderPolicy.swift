import Foundation

/// Which mail headers a `headers_template` may set, and what their values must be
/// (docs/SECURITY.md). Recipients come only from contacts (recipients.json, reviewed and
/// frozen at approval), and the message's structure only from notices, so a template
/// can add neither recipients nor a second body.
enum HeaderPolicy {
    /// Headers whose value is a list of mailboxes; every address is checked and kept.
    static let addressHeaders: Set<String> = [
        "from", "sender", "reply-to", "mail-reply-to", "mail-followup-to",
        "disposition-notification-to", "return-receipt-to", "errors-to",
    ]
    /// Address headers that name exactly one mailbox (RFC 5322: several authors in
    /// From need a Sender; notices writes one author).
    static let singleMailbox: Set<String> = ["from", "sender"]

    /// Why a template may not set header `name`, or nil when it may.
    static func refusal(_ name: String) -> String? {
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.value >= 33 && $0.value <= 126 && $0 != ":" }) else {
            return "is not a valid RFC 5322 field name (printable ASCII without spaces or ':')"
        }
        let lower = name.lowercased()
        switch lower {
        case "to", "cc", "bcc", "apparently-to", "envelope-to", "delivered-to":
            return "names recipients, which come only from contacts (recipients.json, reviewed and frozen at approval); "
                + "assign a contact to the tenant instead"
        case "subject":
            return "is written from subject_template"
        case "date", "message-id", "in-reply-to", "references", "mime-version":
            return "is written by notices (SPEC §3.1)"
        case "received", "return-path", "dkim-signature", "authentication-results":
            return "is a trace header that only mail servers write"
        default:
            if lower.hasPrefix("content-") { return "describes the MIME structure, which notices writes" }
            if lower.hasPrefix("resent-") { return "is a resent header, which would send the message to other recipients" }
            if lower.hasPrefix("arc-") { return "is a trace header that only mail servers write" }
            return nil
        }
    }

    /// Why a rendered value of header `name` is refused, or nil.
    static func valueProblem(_ name: String, _ value: String) -> String? {
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || MailAddress.Scanner.isBreak($0) }) {
            return "contains a line break (CR or LF), which could inject headers"
        }
        let lower = name.lowercased()
        guard addressHeaders.contains(lower) else { return nil }
        switch MailAddress.mailboxList(value) {
        case .failure(let p): return p.description
        case .success(let list):
            if singleMailbox.contains(lower) && list.count > 1 {
                return "names \(list.count) addresses; \(name) names one (use Reply-To for more)"
            }
            return nil
        }
    }

    /// The header's value as written into message.eml: address lists re-encoded (every
    /// address kept, names encoded per RFC 2047), other values as encoded text.
    static func encode(_ name: String, _ value: String) -> String {
        if addressHeaders.contains(name.lowercased()), case .success(let list) = MailAddress.mailboxList(value) {
            return MailAddress.encode(list)
        }
        return Mail.encodeHeaderText(value)
    }
}
