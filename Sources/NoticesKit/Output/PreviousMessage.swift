import Foundation
import Jinja

/// The previous message of a lineage as a revision's template sees it (`previous`,
/// SPEC §2.6): its manifest entry, and the subject and event snapshot of its folder.
public struct PreviousMessage: Sendable {
    public var id: String
    public var sequence: Int
    public var status: String
    public var subject: String
    public var messageID: String
    public var sentAt: Timestamp?
    /// nil for standalone messages and for folders written before snapshots existed.
    public var event: EventSnapshot?

    /// Reads the folder of `entry` under OUT; a missing or damaged file leaves its
    /// part empty rather than failing the render of the revision.
    public static func read(_ entry: ManifestEntry, out: URL, settings: Settings) -> PreviousMessage {
        let folder = out.appendingPathComponent("messages/\(entry.id)", isDirectory: true)
        let subject = FileManager.default.contents(atPath: folder.appendingPathComponent("subject").path)
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        var event: EventSnapshot?
        if let bytes = FileIO.readBytes(folder.appendingPathComponent("message.json")),
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
