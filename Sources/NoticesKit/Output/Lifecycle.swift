import Foundation

/// The message state machine (SPEC §3.5): draft → ready → sent → delivered / failed,
/// and ready or failed → withdrawn (terminal).
public enum Lifecycle {
    public enum Action: String, Sendable {
        case approve, discard, sent, delivered, failed, retry, viewed, withdraw
    }

    /// The statuses a message may go to from `status`, with the command that does it.
    public static func validTargets(_ status: MessageStatus) -> String {
        switch status {
        case .draft: return "ready (approve) or discarded (discard)"
        case .ready: return "sent (mark sent) or withdrawn (withdraw)"
        case .sent: return "delivered (mark delivered) or failed (mark failed)"
        case .failed: return "ready (retry) or withdrawn (withdraw)"
        case .delivered: return "delivered (mark viewed)"
        case .withdrawn: return "no other status (withdrawn is final: the message is kept for the record and never sent)"
        }
    }

    static func target(_ action: Action) -> (from: [MessageStatus], to: MessageStatus?, kind: JournalKind) {
        switch action {
        case .approve: return ([.draft], .ready, .info)
        case .discard: return ([.draft], nil, .info)
        case .sent: return ([.ready], .sent, .info)
        case .delivered: return ([.sent], .delivered, .success)
        case .failed: return ([.sent], .failed, .warning)
        case .retry: return ([.failed], .ready, .info)
        case .viewed: return ([.delivered], .delivered, .info)
        case .withdraw: return ([.ready, .failed], .withdrawn, .warning)
        }
    }

    /// How refusals name the action: the command, with `mark` for the delivery states.
    static func verb(_ action: Action) -> String {
        [.approve, .discard, .retry, .withdraw].contains(action) ? action.rawValue : "mark \(action.rawValue)"
    }

    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Applies an action to one entry. `recipients` is the folder's recipients.json
    /// (needed to approve); `at` is the time given with --at, if any.
    public static func apply(_ action: Action, to entry: ManifestEntry, at: Timestamp?, now: Timestamp, by: String?,
                             message: String?, recipients: [Recipient]?, files: [String: Data]) throws -> ManifestEntry? {
        let (from, to, kind) = target(action)
        let verb = verb(action)
        guard from.contains(entry.status) else {
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
                throw Refusal(description: "cannot approve '\(entry.id)': it has no recipients (give its tenant a contact with an email, or set notify: false on the event or impact)")
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
        case .withdraw:
            e.withdrawnAt = when
        case .viewed:
            // The first view is the fact worth recording; a later one changes nothing.
            if e.viewedAt != nil { return e }
            if let delivered = e.deliveredAt, when < delivered {
                throw Refusal(description: "cannot mark '\(entry.id)' viewed at \(when.rfc3339): before it was delivered at \(delivered.rfc3339)")
            }
            e.viewedAt = when
        }
        e.status = to ?? e.status
        e.journal.append(JournalEntry(at: when, from: entry.status, to: e.status, kind: kind, by: by, message: message))
        return e
    }

    /// An output folder without a manifest: nothing was rendered there.
    static func noManifest(_ out: OutputFolder) -> Refusal {
        Refusal(description: "no manifest at \(out.manifestURL.path); run `notices render` first")
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

    /// One change asked for: an action on a message, with its time and note.
    public struct Step: Sendable {
        public var id: String
        public var action: Action
        /// The time given (--at, a line's "at"); nil for now.
        public var at: Timestamp?
        public var message: String?
        /// Where it was asked for (a line of `mark --from`): refusals name it.
        public var origin: SourceLocation?

        public init(id: String, action: Action, at: Timestamp? = nil, message: String? = nil, origin: SourceLocation? = nil) {
            self.id = id
            self.action = action
            self.at = at
            self.message = message
            self.origin = origin
        }
    }

    /// Which messages a command acts on.
    public enum Selection: Sendable {
        /// These messages, all or nothing: if one is refused, none changes.
        case ids([String])
        /// Every message with this status (`--all --status S`), in id order: those that
        /// can make the transition do, the others are skipped with the reason.
        case status(MessageStatus)
        /// Steps that carry their own action, time and note (`mark --from`), applied in
        /// order, all or nothing; the command's action, time and note are not used.
        case steps([Step])
    }

    /// What a command did.
    public struct Result: Sendable {
        /// The messages acted on, in order.
        public var ids: [String] = []
        /// Their new manifest entries, each message once (none for discarded messages).
        public var changed: [ManifestEntry] = []
        /// Messages that were already where the action leads (`mark viewed` twice).
        public var unchanged: [ManifestEntry] = []
        public var discarded: [String] = []
        /// `--all`: the messages that could not make the transition, each with why.
        public var skipped: [Refusal] = []
        /// Pending messages withdrawn because their lineage has a newer message (a
        /// manifest written before superseding existed, or a message marked failed
        /// after its revision was made), with the message that superseded each.
        public var superseded: [(id: String, supersededBy: String)] = []
        /// Whether the manifest was changed in place (ManifestSplice), for tests.
        var inPlace = false
    }

    /// Runs one action over messages of OUT under its lock. Named messages are all or
    /// nothing (every refusal is reported, none changes); a `--all` selection changes
    /// what can change and reports the rest in `skipped`.
    ///
    /// A manifest that notices wrote and nobody touched since (ManifestStamp) is changed
    /// in place, message by message (ManifestSplice); any other is read whole, and
    /// written back in canonical form. Both give the same bytes.
    public static func run(_ action: Action, _ selection: Selection, out: OutputFolder, at: Timestamp?, by: String?, message: String?,
                           now: Timestamp = Timestamp(seconds: Int64(Date().timeIntervalSince1970))) throws -> Result {
        let lock = try out.lock()
        defer { lock.release() }
        out.removeTemporaryFiles()
        if let splice = ManifestSplice.stamped(out) {
            do {
                var result = try run(action, selection, on: splice, out: out, at: at, by: by, message: message, now: now)
                result.inPlace = true
                return result
            } catch is ManifestSplice.NotCanonical {
                // Not as notices writes it after all: read it whole.
            }
        }
        guard let manifest = try out.readManifest() else { throw noManifest(out) }
        return try run(action, selection, on: LoadedManifest(manifest, out: out), out: out, at: at, by: by, message: message, now: now)
    }

    private static func run(_ action: Action, _ selection: Selection, on manifest: LifecycleManifest, out: OutputFolder,
                            at: Timestamp?, by: String?, message: String?, now: Timestamp) throws -> Result {
        var result = Result()
        let steps: [Step]
        switch selection {
        case .ids(let ids): steps = ids.map { Step(id: $0, action: action, at: at, message: message) }
        case .status(let status): steps = try manifest.ids(withStatus: status).map { Step(id: $0, action: action, at: at, message: message) }
        case .steps(let given): steps = given
        }
        result.ids = steps.map(\.id)
        var refusals: [(refusal: Refusal, origin: SourceLocation?)] = []
        var acted: [String] = [], actedOnce = Set<String>()
        var known: [String]?
        for step in steps {
            guard let entry = try manifest.entry(step.id) else {
                if known == nil { known = try manifest.allIDs() }
                refusals.append((Refusal(description: "no message '\(step.id)'\(didYouMean(step.id, in: known!))"), step.origin))
                continue
            }
            let files = step.action == .approve ? try out.files(of: step.id) : [:]
            let recipients = step.action == .approve ? try out.recipients(of: step.id) : nil
            do {
                if let e = try apply(step.action, to: entry, at: step.at, now: now, by: by, message: step.message,
                                     recipients: recipients, files: files) {
                    // `mark viewed` again records nothing: reported, not written.
                    if e.journal.count == entry.journal.count {
                        result.unchanged.append(e)
                        continue
                    }
                    manifest.set(e)
                    if actedOnce.insert(step.id).inserted { acted.append(step.id) }
                } else {
                    manifest.remove(step.id)
                    result.discarded.append(step.id)
                }
            } catch let r as Refusal {
                refusals.append((r, step.origin))
            }
        }
        if !refusals.isEmpty {
            switch selection {
            case .status: break
            case .ids:
                throw DiagnosticsError(refusals.map { .error(nil, $0.refusal.description) }
                                       + (result.ids.count > 1 ? [.error(nil, "nothing was changed (named messages are all or nothing)")] : []))
            case .steps:
                throw DiagnosticsError(refusals.map { .error($0.origin, $0.refusal.description) })
            }
        }
        result.skipped = refusals.map(\.refusal)
        result.superseded = try manifest.supersede(acted, at: now)
        result.changed = try acted.compactMap { try manifest.entry($0) }
        // The manifest first: a crash afterwards leaves only an unlisted folder, which
        // the next render removes.
        if !acted.isEmpty || !result.discarded.isEmpty || !result.superseded.isEmpty { try manifest.write() }
        for id in result.discarded { out.removeMessage(id) }
        return result
    }
}
