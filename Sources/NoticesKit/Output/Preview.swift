import Foundation
import Jinja
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `notices preview`: a static, self-contained review site of the rendered messages
/// (OUT/preview). Pages need no network and no JavaScript; every piece of data is
/// HTML-escaped, and message bodies are shown in a sandboxed iframe where no script runs.
/// The site is a pure function of the output folder and the model, so two runs give
/// the same bytes.
package enum Preview {
    /// One message as the lists show it.
    struct Item {
        var entry: ManifestEntry
        var subject: String
        var recipients: [Recipient]
        var warnings: [String]
        var page: String { "messages/\(entry.id).html" }
    }

    /// The rest of a message, read only while its own page is written (bodies of every
    /// message at once would be gigabytes on a large tree).
    struct Detail {
        var bodyText: String
        var bodyHTML: String?
        var headers: [(String, String)]
        var invite: String?
        var bodyFormat: String
    }

    /// A group of the index: one event, the standalone messages, or the messages whose
    /// event is gone.
    struct Group {
        var anchor: String
        var title: String
        var details: [String]
        var warnings: [String]
        var items: [Item]
    }

    /// Writes the site to OUT/preview, replacing what was there (built in a staging
    /// folder, then swapped, so a reader never sees a half-written site). Returns the
    /// number of pages.
    package static func write(out: OutputFolder, model: Model) throws -> Int {
        let fm = FileManager.default
        let target = out.previewURL
        let staging = out.previewStagingURL
        let old = out.previewOldURL
        try? fm.removeItem(at: staging)
        try? fm.removeItem(at: old)
        try fm.createDirectory(at: staging.appendingPathComponent("messages"), withIntermediateDirectories: true)
        var pages = 0
        do {
            try build(out: out, model: model) { path, write in
                let page = try PageFile(staging.appendingPathComponent(path, isDirectory: false))
                try write(page)
                try page.close()
                pages += 1
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
        if fm.fileExists(atPath: target.path) { try fm.moveItem(at: target, to: old) }
        try fm.moveItem(at: staging, to: target)
        try? fm.removeItem(at: old)
        return pages
    }

    /// Every page of the site, by its path relative to OUT/preview (`index.html`,
    /// `status-*.html`, `event-*.html`, `messages/ID.html`) and a function that writes
    /// it piece by piece (the index of a large tree is tens of megabytes).
    static func build(out: OutputFolder, model: Model, emit: (String, (PageFile) throws -> Void) throws -> Void) throws {
        guard var entries = try out.readManifest()?.entries else {
            throw DiagnosticsError([.error(nil, "no manifest.json in \(out.url.path): run `notices render` first")])
        }
        var items = try entries.map { try read($0, out: out) }
            .sorted { $0.entry.id.utf8.lexicographicallyPrecedes($1.entry.id.utf8) }
        entries = []
        let total = items.count
        let ids = Set(items.map(\.entry.id))
        var counts: [MessageStatus: Int] = [:]
        for item in items { counts[item.entry.status, default: 0] += 1 }
        // From here on the groups hold the items.
        let groups = group(items, model: model)
        items = []
        let pages = try PreviewPages()
        let statuses = MessageStatus.allCases
        func links(current: String) -> Value {
            var links = [PreviewPages.link("index.html", "All (\(total))", current: current == "index.html")]
            for s in statuses {
                let name = "status-\(s.rawValue).html"
                links.append(PreviewPages.link(name, "\(s.rawValue) (\(counts[s] ?? 0))", current: current == name))
            }
            return .list(links)
        }
        let events = Value.list(groups.map { PreviewPages.groupValue($0) })
        func listPage(_ name: String, heading: String, _ shown: [Group], only status: MessageStatus? = nil) throws {
            try emit(name) { page in
                try page.write(pages.listTop(heading: heading, links: links(current: name)))
                var any = false
                for g in shown {
                    let items = status.map { s in g.items.filter { $0.entry.status == s } } ?? g.items
                    if items.isEmpty { continue }
                    try page.write(pages.group(g, items))
                    any = true
                }
                try page.write(pages.listBottom(empty: !any, events: name == "index.html" ? events : nil))
            }
        }
        try listPage("index.html", heading: "Notifications preview: \(total) message\(total == 1 ? "" : "s")", groups)
        for s in statuses {
            try listPage("status-\(s.rawValue).html", heading: "Messages with status \(s.rawValue)", groups, only: s)
        }
        for g in groups {
            try listPage("event-\(g.anchor).html", heading: g.title, [g])
        }
        for g in groups {
            for item in g.items {
                var previous: (id: String, bodyText: String)?
                if item.entry.sequence > 1 {
                    let id = MessageThread.id(lineage: item.entry.lineage, sequence: item.entry.sequence - 1)
                    if ids.contains(id) { previous = (id, try detail(id, out: out).bodyText) }
                }
                let page = try pages.message(item, try detail(item.entry.id, out: out), group: g, previous: previous)
                try emit(item.page) { try $0.write(page) }
            }
        }
    }

    // MARK: - Reading the output folder

    /// A symbolic link in a message's folder stops the preview: it is never followed, so
    /// no file outside OUT can reach the published site.
    static func read(_ entry: ManifestEntry, out: OutputFolder) throws -> Item {
        let subject = try out.text("subject", of: entry.id) ?? ""
        let recipients = try entry.recipients ?? out.recipients(of: entry.id) ?? []
        var warnings: [String] = []
        if recipients.isEmpty { warnings.append("no recipients") }
        if entry.orphaned { warnings.append("orphaned: the current data no longer produces this message") }
        if subject.count > 255 { warnings.append("subject longer than 255 characters") }
        if !out.exists("body.txt", of: entry.id) {
            warnings.append("message folder is missing or incomplete")
        }
        return Item(entry: entry, subject: subject, recipients: recipients, warnings: warnings)
    }

    static func detail(_ id: String, out: OutputFolder) throws -> Detail {
        func text(_ name: String) throws -> String? { try out.text(name, of: id) }
        var headers: [(String, String)] = []
        if let data = try text("headers.json").map({ Data($0.utf8) }),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            headers = object.keys.sorted().map { ($0, "\(object[$0] ?? "")") }
        }
        var format = "markdown"
        if let data = try text("message.json").map({ Data($0.utf8) }),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let f = object["body_format"] as? String {
            format = f
        }
        return Detail(bodyText: try text("body.txt") ?? "", bodyHTML: try text("body.html"), headers: headers, invite: try text("invite.ics"),
                      bodyFormat: format)
    }

    /// Groups by event in order of start time (then kind and id); standalone messages and
    /// messages whose event is gone come last.
    static func group(_ items: [Item], model: Model) -> [Group] {
        let index = ModelIndex(model)
        var groups: [Group] = []
        let events = model.events.sorted {
            ($0.start ?? Timestamp(seconds: 0), $0.kind.rawValue, $0.id) < ($1.start ?? Timestamp(seconds: 0), $1.kind.rawValue, $1.id)
        }
        var byEvent: [EventRef: [Item]] = [:]
        for item in items { if let ref = item.entry.event { byEvent[ref, default: []].append(item) } }
        var placed = Set<String>()
        for event in events {
            guard let mine = byEvent.removeValue(forKey: event.ref) else { continue }
            mine.forEach { placed.insert($0.entry.id) }
            let provider = index.providers[event.provider]?.name ?? event.provider
            var window = event.start.map { day($0) } ?? ""
            if let end = event.end { window += " – " + day(end) }
            let (_, diagnostics) = Planner.planEvent(event, index)
            groups.append(Group(
                anchor: Planner.sanitizeID("\(event.kind.rawValue)-\(event.id)"),
                title: "\(event.kind.rawValue.capitalized) \(event.name)",
                details: ["provider \(provider)", window.isEmpty ? nil : window, "status \(event.status.rawValue)", "id \(event.id)"].compactMap { $0 },
                warnings: diagnostics.map(\.message), items: mine))
        }
        let standalone = items.filter { $0.entry.event == nil && !placed.contains($0.entry.id) }
        if !standalone.isEmpty {
            standalone.forEach { placed.insert($0.entry.id) }
            groups.append(Group(anchor: "standalone", title: "Standalone messages", details: [], warnings: [], items: standalone))
        }
        let gone = items.filter { !placed.contains($0.entry.id) }
        if !gone.isEmpty {
            groups.append(Group(anchor: "no-event", title: "Messages whose event is no longer in the data", details: [], warnings: [], items: gone))
        }
        return groups
    }

    static func day(_ t: Timestamp) -> String {
        let s = t.rfc3339
        return String(s.prefix(16)).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    /// A page being written: text is buffered and written out in pieces of 64 KiB.
    final class PageFile {
        private let fd: Int32
        private let path: String
        private var buffer: [UInt8] = []

        init(_ url: URL) throws {
            path = url.path
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw FileIO.posixError("cannot create \(path)") }
            buffer.reserveCapacity(1 << 16)
        }

        deinit { if fd >= 0 { Syscall.close(fd) } }

        func write(_ text: String) throws {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 16 { try flush() }
        }

        func close() throws { try flush() }

        private func flush() throws {
            do { try FileIO.writeAll(fd, Data(buffer)) } catch { throw FileIO.posixError("cannot write \(path)") }
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
