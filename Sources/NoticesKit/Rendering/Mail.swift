import Crypto
import Foundation

/// Builds `message.eml`: an RFC 5322 / MIME message (SPEC §3.1).
package enum Mail {
    package struct Parts {
        var from: String
        var to: [Recipient]
        var subject: String
        var headers: [(String, String)]
        var text: String
        var html: String?
        var ical: String?
        var messageID: String
        /// Message-IDs of the lineage's earlier revisions, oldest first.
        var references: [String] = []
        var date: Timestamp
    }

    package static func build(_ p: Parts) -> String {
        var headers: [(String, String)] = []
        let custom = Set(p.headers.map { $0.0.lowercased() })
        if !custom.contains("from") { headers.append(("From", HeaderPolicy.encode("From", p.from))) }
        if !p.to.isEmpty { headers.append(("To", p.to.map { MailAddress.encode(Mailbox(name: $0.name, address: $0.email)) }.joined(separator: ",\r\n "))) }
        headers.append(("Subject", encodeHeaderText(p.subject)))
        if !custom.contains("date") { headers.append(("Date", rfc5322Date(p.date))) }
        if !custom.contains("message-id") { headers.append(("Message-ID", p.messageID)) }
        // A revision threads under the notices before it (SPEC §3.1).
        if let last = p.references.last {
            if !custom.contains("in-reply-to") { headers.append(("In-Reply-To", last)) }
            if !custom.contains("references") { headers.append(("References", p.references.joined(separator: "\r\n "))) }
        }
        for (k, v) in p.headers.sorted(by: { $0.0 < $1.0 }) {
            headers.append((k, HeaderPolicy.encode(k, v)))
        }
        headers.append(("MIME-Version", "1.0"))

        let seed = Array(SHA256.hash(data: Data((p.messageID + p.text + (p.html ?? "") + (p.ical ?? "")).utf8)))
        let tag = Hex.string(seed.prefix(8))
        var body: (headers: String, content: String)
        let textPart = part("text/plain; charset=utf-8", p.text)
        let alternative: (String, String)
        if let html = p.html {
            alternative = multipart("alternative", "alt-\(tag)", [textPart, part("text/html; charset=utf-8", html)])
        } else {
            alternative = textPart
        }
        if let ical = p.ical {
            var type = "text/calendar; charset=utf-8"
            if let method = ICal.method(ical) { type += "; method=\(method)" }
            body = multipart("mixed", "mixed-\(tag)", [alternative, part(type, ical, filename: "invite.ics")])
        } else {
            body = alternative
        }
        var out = ""
        for (k, v) in headers { out += "\(k): \(v)\r\n" }
        out += body.headers + "\r\n" + body.content
        return out
    }

    static func multipart(_ subtype: String, _ boundary: String, _ parts: [(String, String)]) -> (String, String) {
        var content = ""
        // The CRLF before each boundary line belongs to the boundary, not the content.
        for (h, c) in parts { content += "--\(boundary)\r\n\(h)\r\n\(c)\r\n" }
        content += "--\(boundary)--\r\n"
        return ("Content-Type: multipart/\(subtype); boundary=\"\(boundary)\"\r\n", content)
    }

    /// A leaf part; 7bit when the text allows it, else quoted-printable.
    static func part(_ type: String, _ text: String, filename: String? = nil) -> (String, String) {
        var headers = "Content-Type: \(type)\r\n"
        if let filename { headers += "Content-Disposition: attachment; filename=\"\(filename)\"\r\n" }
        let crlf = toCRLF(text)
        let lines = crlf.components(separatedBy: "\r\n")
        if crlf.unicodeScalars.allSatisfy({ $0.isASCII && ($0.value >= 32 || $0 == "\r" || $0 == "\n" || $0 == "\t") })
            && lines.allSatisfy({ $0.utf8.count <= 998 }) {
            headers += "Content-Transfer-Encoding: 7bit\r\n"
            return (headers, crlf)
        }
        headers += "Content-Transfer-Encoding: quoted-printable\r\n"
        return (headers, quotedPrintable(crlf))
    }

    static func toCRLF(_ s: String) -> String {
        s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// RFC 2045 quoted-printable of UTF-8 text with CRLF line breaks.
    static func quotedPrintable(_ s: String) -> String {
        var out = ""
        let lines = s.components(separatedBy: "\r\n")
        for (n, line) in lines.enumerated() {
            var cur = ""
            let bytes = Array(line.utf8)
            for (i, b) in bytes.enumerated() {
                var enc: String
                let last = i == bytes.count - 1
                if (b >= 33 && b <= 126 && b != 61) || ((b == 32 || b == 9) && !last) {
                    enc = String(UnicodeScalar(b))
                } else {
                    enc = String(format: "=%02X", b)
                }
                if cur.utf8.count + enc.utf8.count > 75 {
                    out += cur + "=\r\n"
                    cur = ""
                }
                cur += enc
            }
            out += cur
            if n < lines.count - 1 { out += "\r\n" }
        }
        return out
    }

    /// RFC 2047 encoded words (UTF-8, base64) for text with non-ASCII characters.
    static func encodeHeaderText(_ s: String) -> String {
        if s.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }) && s.utf8.count <= 900 { return s }
        // Split on character boundaries so each encoded word stays under 75 octets.
        var words: [String] = []
        var chunk = ""
        for ch in s {
            if (chunk + String(ch)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(ch)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?utf-8?b?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    static func rfc5322Date(_ t: Timestamp) -> String {
        let d = DateTimeValue(t)
        return d.strftime("%a, %d %b %Y %H:%M:%S +0000")
    }
}
