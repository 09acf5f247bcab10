import Foundation

/// The message state machine (SPEC §3.5): draft → ready → sent → delivered / failed.
public enum Lifecycle {
    public enum Action: String, Sendable {
        case approve, discard, sent, delivered, failed, retry, viewed
    }

    /// The statuses a message may go to from `status`, with the command that does it.
    public static func validTargets(_ status: MessageStatus) -> String {
        switch status {
        case .draft: return "ready (approve) or discarded (discard)"
        case .ready: return "sent (mark sent)"
        case .sent: return "delivered (mark delivered) or failed (mark failed)"
        case .failed: return "ready (retry)"
        case .delivered: return "delivered (mark viewed)"
        }
    }

    static func target(_ action: Action) -> (from: MessageStatus, to: MessageStatus?, kind: String) {
        switch action {
        case .approve: return (.draft, .ready, "info")
        case .discard: return (.draft, nil, "info")
        case .sent: return (.ready, .sent, "info")
        case .delivered: return (.sent, .delivered, "success")
        case .failed: return (.sent, .failed, "warning")
        case .retry: return (.failed, .ready, "info")
        case .viewed: return (.delivered, .delivered, "info")
        }
    }

    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Applies an action to one entry. `recipients` is the folder's recipients.json
    /// (needed to approve); `at` is the time given with --at, if any.
    public static func apply(_ action: Action, to entry: ManifestEntry, at: Timestamp?, now: Timestamp, by: String?,
                             message: String?, recipients: [Recipient]?, files: [String: Data]) throws -> ManifestEntry? {
        let (from, to, kind) = target(action)
        let verb = action == .approve || action == .discard || action == .retry ? action.rawValue : "mark \(action.rawValue)"
        guard entry.status == from else {
            throw Refusal(description: "cannot \(verb) '\(entry.id)': it is \(entry.status.rawValue); from \(entry.status.rawValue) it can go to \(validTargets(entry.status))")
        }
        if let at, at > now {
            throw Refusal(description: "cannot \(verb) '\(entry.id)': --at \(at.rfc3339) is in the future")
        }
        let when = at ?? now
        var e = entry
        switch action {
        case .discard:
            return nil
        case .approve:
            guard let recipients, !recipients.isEmpty else {
                throw Refusal(description: "cannot approve '\(entry.id)': it has no recipients")
            }
            e.recipients = recipients
            e.approvedBy = by
            e.approvedAt = when
            // From approval on, recipients.json is frozen and leaves the content hash.
            e.contentHash = Manifest.contentHash(files, includeRecipients: false)
        case .sent:
            if let approved = e.approvedAt, when < approved {
                throw Refusal(description: "cannot mark '\(entry.id)' sent at \(when.rfc3339): before its approval at \(approved.rfc3339)")
            }
            e.sentAt = when
        case .delivered:
            if let sent = e.sentAt, when < sent {
                throw Refusal(description: "cannot mark '\(entry.id)' delivered at \(when.rfc3339): before it was sent at \(sent.rfc3339)")
            }
            e.deliveredAt = when
        case .failed:
            break
        case .retry:
            e.sentAt = nil
        case .viewed:
            if let delivered = e.deliveredAt, when < delivered {
                throw Refusal(description: "cannot mark '\(entry.id)' viewed at \(when.rfc3339): before it was delivered at \(delivered.rfc3339)")
            }
            e.viewedAt = when
        }
        e.status = to ?? e.status
        e.journal.append(JournalEntry(at: when, from: from.rawValue, to: e.status.rawValue, kind: kind, by: by, message: message))
        return e
    }

    /// Who approves: NOTICES_USER, else `git config user.email`, else the login name.
    public static func defaultUser() -> String {
        let env = ProcessInfo.processInfo.environment
        if let u = env["NOTICES_USER"], !u.isEmpty { return u }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "config", "user.email"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        if (try? p.run()) != nil {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let s = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if p.terminationStatus == 0 && !s.isEmpty { return s }
        }
        return env["USER"] ?? env["LOGNAME"] ?? NSUserName()
    }

    /// Reads a folder's recipients.json.
    public static func recipients(in folder: URL) -> [Recipient]? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("recipients.json").path),
              case .success(let node) = DocumentParser.parseJSON(String(decoding: data, as: UTF8.self), file: "recipients.json"),
              case .sequence(let items, _) = node else { return nil }
        return items.compactMap(Recipient.init(node:))
    }

    /// Runs one action over messages of OUT under the lock; all or nothing.
    public static func run(_ action: Action, ids: [String], out: URL, at: Timestamp?, by: String?, message: String?,
                           now: Timestamp = Timestamp(seconds: Int64(Date().timeIntervalSince1970))) throws -> [ManifestEntry] {
        let lock = try FileIO.Lock(out.appendingPathComponent(".lock"))
        defer { lock.release() }
        let manifestURL = out.appendingPathComponent("manifest.json")
        FileIO.removeLeftovers(in: out)
        guard var manifest = try Manifest.read(manifestURL) else {
            throw Refusal(description: "no manifest at \(manifestURL.path); run `notices render` first")
        }
        var changed: [ManifestEntry] = []
        var discarded: [String] = []
        for id in ids {
            guard let i = manifest.entries.firstIndex(where: { $0.id == id }) else {
                let known = manifest.entries.map(\.id)
                throw Refusal(description: "no message '\(id)'\(didYouMean(id, in: known))")
            }
            let folder = out.appendingPathComponent("messages/\(id)")
            var files: [String: Data] = [:]
            if action == .approve, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
                for n in names where !n.hasPrefix(".") { files[n] = FileManager.default.contents(atPath: folder.appendingPathComponent(n).path) }
            }
            let recipients = action == .approve ? recipients(in: folder) : nil
            if let e = try apply(action, to: manifest.entries[i], at: at, now: now, by: by, message: message,
                                 recipients: recipients, files: files) {
                manifest.entries[i] = e
                changed.append(e)
            } else {
                discarded.append(id)
            }
        }
        manifest.entries.removeAll { discarded.contains($0.id) }
        // The manifest first: a crash afterwards leaves only an unlisted folder, which
        // the next render removes.
        try manifest.replace(manifestURL)
        for id in discarded { try? FileManager.default.removeItem(at: out.appendingPathComponent("messages/\(id)")) }
        return changed
    }
}
