/// How an event's messages thread in mail clients (SPEC §3.1): each message has the
/// Message-ID `<ID@domain>`, and a revision refers to the revisions before it.
package enum MessageThread {
    /// The domain when neither organization.domain, organization.email nor eml.from
    /// gives one: `.invalid` is reserved (RFC 2606), so it can never name a real host.
    package static let fallbackDomain = "notices.invalid"

    package static func domain(_ settings: Settings) -> String {
        settings.organization.domain.isEmpty ? fallbackDomain : settings.organization.domain
    }

    package static func messageID(_ id: String, settings: Settings) -> String { "<\(id)@\(domain(settings))>" }

    /// The ID of revision `sequence` of a lineage (SPEC §3.1: `--N` from 2 on).
    package static func id(lineage: String, sequence: Int) -> String {
        sequence <= 1 ? lineage : "\(lineage)--\(sequence)"
    }

    /// The Message-IDs of every revision before `sequence`, oldest first (`References`;
    /// the last one is `In-Reply-To`).
    package static func references(lineage: String, sequence: Int, settings: Settings) -> [String] {
        sequence <= 1 ? [] : (1..<sequence).map { messageID(id(lineage: lineage, sequence: $0), settings: settings) }
    }
}
