import Foundation

/// `notices list`: the messages of the manifest, one line (or JSON row) each. A line is
/// ID, status, recipient count, subject and folder, separated by tabs (SPEC §4).
package enum MessageList {
    /// Writes the list line by line through `line`, in id order. JSON rows are written
    /// as they are made (the same bytes as one dumped array): a large manifest's list
    /// is hundreds of megabytes as one value.
    package static func write(out: OutputFolder, status: MessageStatus?, json: Bool, line: (String) -> Void) throws {
        // No manifest is a wrong folder or a tree never rendered, not an empty list.
        guard let manifest = try out.readManifest() else { throw Lifecycle.noManifest(out) }
        let entries = manifest.entries.filter { status == nil || $0.status == status }
            .sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        if json { line(entries.isEmpty ? "[]" : "[") }
        // The text form names each folder as a shell started here would (relative when
        // OUT is below the working directory); JSON rows carry the absolute path.
        let here = FileManager.default.currentDirectoryPath
        let base = here == "/" ? "/" : here + "/"
        func shown(_ folder: String) -> String { folder.hasPrefix(base) ? String(folder.dropFirst(base.count)) : folder }
        for (n, e) in entries.enumerated() {
            // A symbolic link in a message's folder stops the list (never followed).
            let subject = try out.text("subject", of: e.id) ?? ""
            let recipients = try e.recipients ?? out.recipients(of: e.id) ?? []
            if json {
                var row = "  "
                JSONValue.object([
                    ("id", .string(e.id)), ("status", .string(e.status.rawValue)), ("sequence", .int(e.sequence)),
                    ("folder", .string(out.folderPath(e.id))), ("subject", .string(subject)),
                    ("recipients", .array(recipients.map { .object([("name", .string($0.name)), ("email", .string($0.email))]) })),
                    ("files", .array(try out.fileNames(of: e.id).map { .string($0) })), ("orphaned", .bool(e.orphaned)),
                ] + lifecycle(e)).write(into: &row, indent: 2)
                line(n == entries.count - 1 ? row : row + ",")
            } else {
                let flag = withdrawal(e) + (e.orphaned ? " (orphaned)" : "")
                line("\(e.id)\t\(e.status.rawValue)\(flag)\t\(counted(recipients.count, "recipient"))\t\(subject)\t\(shown(out.folderPath(e.id)))")
            }
        }
        if json && !entries.isEmpty { line("]") }
    }

    /// A row's who and when, named as in the manifest (SPEC §3.4), null when unset: a
    /// mail tool sees when a message was approved, sent or withdrawn without reading
    /// the manifest.
    static func lifecycle(_ e: ManifestEntry) -> [(String, JSONValue)] {
        func ts(_ t: Timestamp?) -> JSONValue { t.map { .string($0.rfc3339) } ?? .null }
        return [("rendered_at", ts(e.renderedAt)), ("approved_by", e.approvedBy.map { .string($0) } ?? .null),
                ("approved_at", ts(e.approvedAt)), ("sent_at", ts(e.sentAt)), ("delivered_at", ts(e.deliveredAt)),
                ("viewed_at", ts(e.viewedAt)), ("withdrawn_at", ts(e.withdrawnAt))]
    }

    /// When a withdrawn message was withdrawn and why (the journal's message: "superseded
    /// by ID--N", or the text given to `withdraw --message`), on one line:
    /// ` 2026-12-01T09:00:00Z (superseded by ID--2)`; empty for other statuses.
    static func withdrawal(_ e: ManifestEntry) -> String {
        guard e.status == .withdrawn else { return "" }
        var text = e.withdrawnAt.map { " " + $0.rfc3339 } ?? ""
        if let why = e.journal.last(where: { $0.to == .withdrawn })?.message, !why.isEmpty {
            // Free text from the command line: one row per message, tabs separate columns.
            let flat = why.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            if !flat.isEmpty { text += " (\(flat))" }
        }
        return text
    }
}
