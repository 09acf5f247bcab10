import Foundation
import Jinja

/// The previous message of a lineage as a revision's template sees it (`previous`,
/// SPEC §2.6): its manifest entry, and the subject and event snapshot of its folder.
package struct PreviousMessage: Sendable {
    package var id: String
    package var sequence: Int
    package var status: String
    package var subject: String
    package var messageID: String
    package var sentAt: Timestamp?
    /// nil for standalone messages and for folders written before snapshots existed.
    package var event: EventSnapshot?

    /// Reads the folder of `entry` in OUT; a missing or damaged file leaves its part
    /// empty rather than failing the render of the revision. A symbolic link is an error
    /// (never followed: its target would reach the new message).
    package static func read(_ entry: ManifestEntry, out: OutputFolder, settings: Settings) throws -> PreviousMessage {
        let subject = try out.text("subject", of: entry.id) ?? ""
        var event: EventSnapshot?
        if let bytes = try out.contents("message.json", of: entry.id).map(Array.init),
           case .success(let node) = DocumentParser.parseJSON(bytes: bytes, file: "message.json") {
            event = EventSnapshot.read(fromMessageJSON: node)
        }
        return PreviousMessage(id: entry.id, sequence: entry.sequence, status: entry.status.rawValue, subject: subject,
                               messageID: MessageThread.messageID(entry.id, settings: settings), sentAt: entry.sentAt,
                               event: event)
    }

    var value: Value {
        .dict(Dict([("id", .string(id)), ("sequence", .int(sequence)), ("status", .string(status)), ("subject", .string(subject)),
                    ("message_id", .string(messageID)), ("sent_at", sentAt.map { .object(DateTimeValue($0)) } ?? .none),
                    ("event", event?.value ?? .none)]))
    }
}
