import Foundation
import Jinja

/// An event as one message was rendered: what `previous.event` shows the next revision
/// (SPEC §2.6), so a template can say what changed. Kept in the message's own
/// message.json (`event_snapshot`), since an approved folder never changes.
package struct EventSnapshot: Sendable, Equatable {
    package var start: Timestamp?
    package var end: Timestamp?
    package var status: String
    package var name: String
    package var summary: String

    package init(_ e: Event) {
        start = e.start
        end = e.end
        status = e.status.rawValue
        name = e.name
        summary = e.summary
    }

    var json: JSONValue {
        func ts(_ t: Timestamp?) -> JSONValue { t.map { .string($0.rfc3339) } ?? .null }
        return .object([("start", ts(start)), ("end", ts(end)), ("status", .string(status)), ("name", .string(name)),
                        ("summary", .string(summary))])
    }

    /// The snapshot in a message.json object; nil when it has none (a standalone message,
    /// or a folder written before snapshots existed) or it is not one.
    static func read(fromMessageJSON node: DataNode) -> EventSnapshot? {
        guard case .mapping(let top, _) = node,
              let entry = top.first(where: { $0.key.scalarText == "event_snapshot" }),
              case .mapping(let fields, _) = entry.value else { return nil }
        func text(_ key: String) -> String? {
            guard let v = fields.first(where: { $0.key.scalarText == key })?.value, case .scalar(let s, true, _) = v else { return nil }
            return s
        }
        func time(_ key: String) -> Timestamp? {
            guard let s = text(key), case .success(let t) = TimestampParser.parse(s, defaultZone: TimeZone(identifier: "UTC")!) else { return nil }
            return t
        }
        guard let status = text("status"), let name = text("name"), let summary = text("summary") else { return nil }
        return EventSnapshot(start: time("start"), end: time("end"), status: status, name: name, summary: summary)
    }

    init(start: Timestamp?, end: Timestamp?, status: String, name: String, summary: String) {
        self.start = start
        self.end = end
        self.status = status
        self.name = name
        self.summary = summary
    }

    /// A plain mapping; times are datetimes, as on the event itself.
    var value: Value {
        func ts(_ t: Timestamp?) -> Value { t.map { .object(DateTimeValue($0)) } ?? .none }
        return .dict(Dict([("start", ts(start)), ("end", ts(end)), ("status", .string(status)), ("name", .string(name)),
                           ("summary", .string(summary))]))
    }
}
