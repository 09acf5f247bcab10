import Foundation

/// `notices list`: the messages of the manifest, one line (or JSON row) each.
package enum MessageList {
    /// Writes the list line by line through `line`, in id order. JSON rows are written
    /// as they are made (the same bytes as one dumped array): a large manifest's list
    /// is hundreds of megabytes as one value.
    package static func write(out: OutputFolder, status: MessageStatus?, json: Bool, line: (String) -> Void) throws {
        let manifest = try out.readManifest() ?? Manifest()
        let entries = manifest.entries.filter { status == nil || $0.status == status }
            .sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        if json { line(entries.isEmpty ? "[]" : "[") }
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
                ]).write(into: &row, indent: 2)
                line(n == entries.count - 1 ? row : row + ",")
            } else {
                let flag = e.orphaned ? " (orphaned)" : ""
                line("\(e.id)\t\(e.status.rawValue)\(flag)\t\(recipients.count) recipients\t\(subject)")
            }
        }
        if json && !entries.isEmpty { line("]") }
    }
}
