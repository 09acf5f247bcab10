import Foundation

/// `notices mark --from FILE`: what a mail tool learned about many messages, one JSON
/// object per line (JSON lines), applied in one go:
///
///     {"id": "maintenance-zayo-2026-0142--acme", "status": "sent", "at": "2026-12-01T10:00:00Z"}
///     {"id": "maintenance-zayo-2026-0142--globex", "status": "failed", "message": "550 5.1.1"}
///
/// `id` and `status` (sent, delivered, failed or viewed) are required, `at` (RFC 3339,
/// default now) and `message` (a note for the journal) optional; blank lines are
/// skipped. Lines apply in order, so one message may go sent then delivered. Every
/// line is checked before anything changes: any problem refuses the whole batch, each
/// one named by FILE:LINE:COLUMN.
public enum MarkBatch {
    /// The states a line may record: those of `mark`.
    public static let states: [Lifecycle.Action] = [.sent, .delivered, .failed, .viewed]
    static let keys = ["id", "status", "at", "message"]

    /// The steps of a batch; `file` names it in errors, `now` is the time of the run
    /// (an `at` after it is refused).
    public static func parse(_ bytes: [UInt8], file: String, now: Timestamp) throws -> [Lifecycle.Step] {
        var steps: [Lifecycle.Step] = []
        var problems: [Diagnostic] = []
        var start = 0, number = 0
        while start < bytes.count {
            number += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            defer { start = end + 1 }
            let line = Array(bytes[start..<end])
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) { continue }
            switch DocumentParser.parseJSON(bytes: line, file: file, line: number) {
            case .failure(let d): problems.append(d)
            case .success(let node):
                switch step(node, file: file, line: number, now: now) {
                case .success(let s): steps.append(s)
                case .failure(let d): problems.append(d)
                }
            }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return steps
    }

    /// One line's object as a step, or what is wrong with it.
    private static func step(_ node: DataNode, file: String, line: Int, now: Timestamp) -> Result<Lifecycle.Step, Diagnostic> {
        let whole = "a line is an object with \"id\" and \"status\" (and optionally \"at\" and \"message\")"
        guard case .mapping(let pairs, let location) = node else { return .failure(.error(node.location, "not an object: \(whole)")) }
        var fields: [String: DataNode] = [:]
        for (key, value) in pairs {
            let name = key.scalarText ?? ""
            guard keys.contains(name) else {
                return .failure(.error(key.location, "unknown key '\(name)'\(didYouMean(name, in: keys)); \(whole)"))
            }
            fields[name] = value
        }
        /// A string field; nil when absent or null.
        func text(_ key: String) -> Result<String?, Diagnostic> {
            guard let value = fields[key], !value.isNull else { return .success(nil) }
            guard case .scalar(let s, true, _) = value else { return .failure(.error(value.location, "\"\(key)\" is not a string")) }
            return .success(s)
        }
        do {
            guard let id = try text("id").get(), !id.isEmpty else {
                return .failure(.error(fields["id"]?.location ?? location, "no \"id\": \(whole)"))
            }
            let names = states.map(\.rawValue)
            let stateList = names.dropLast().joined(separator: ", ") + " or " + names.last!
            guard let status = try text("status").get() else {
                return .failure(.error(fields["status"]?.location ?? location, "no \"status\" (\(stateList))"))
            }
            guard let action = Lifecycle.Action(rawValue: status), states.contains(action) else {
                return .failure(.error(fields["status"]!.location, "\"status\" '\(status)' is not one mark records (\(stateList))"))
            }
            var at: Timestamp?
            if let s = try text("at").get() {
                switch TimestampParser.parse(s, defaultZone: TimeZone(identifier: "UTC")!) {
                case .success(let t) where t > now:
                    return .failure(.error(fields["at"]!.location, "\"at\" \(t.rfc3339) is in the future"))
                case .success(let t): at = t
                case .failure(let e): return .failure(.error(fields["at"]!.location, "\"at\": \(e.description)"))
                }
            }
            return .success(Lifecycle.Step(id: id, action: action, at: at, message: try text("message").get(),
                                           origin: SourceLocation(file: file, line: line, column: 1)))
        } catch {
            return .failure(error)
        }
    }
}
