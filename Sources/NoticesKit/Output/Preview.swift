import Foundation
import Jinja
#if canImport(Glibc)
import Glibc
#endif

/// `notices preview`: a static, self-contained review site of the rendered messages
/// (OUT/preview). Pages need no network and no JavaScript; every piece of data is
/// HTML-escaped, and message bodies are shown in a sandboxed iframe where no script runs.
/// The site is a pure function of the output folder and the model, so two runs give
/// the same bytes.
public enum Preview {
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
    public static func write(out: URL, model: Model) throws -> Int {
        let fm = FileManager.default
        let target = out.appendingPathComponent("preview")
        let staging = out.appendingPathComponent(".preview-staging")
        let old = out.appendingPathComponent(".preview-old")
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
    static func build(out: URL, model: Model, emit: (String, (PageFile) throws -> Void) throws -> Void) throws {
        guard var entries = try Manifest.read(out.appendingPathComponent("manifest.json"))?.entries else {
            throw DiagnosticsError([.error(nil, "no manifest.json in \(out.path): run `notices render` first")])
        }
        var items = entries.map { read($0, out: out) }
            .sorted { $0.entry.id.utf8.lexicographicallyPrecedes($1.entry.id.utf8) }
        entries = []
        let total = items.count
        let ids = Set(items.map(\.entry.id))
        var counts: [MessageStatus: Int] = [:]
        for item in items { counts[item.entry.status, default: 0] += 1 }
        // From here on the groups hold the items.
        let groups = group(items, model: model)
        items = []
        let statuses = MessageStatus.allCases
        func nav(current: String) -> String {
            var links = [link("index.html", "All (\(total))", current: current == "index.html")]
            for s in statuses {
                links.append(link("status-\(s.rawValue).html", "\(s.rawValue) (\(counts[s] ?? 0))", current: current == "status-\(s.rawValue).html"))
            }
            return "<nav aria-label=\"Filter by status\"><ul class=\"filters\">" + links.map { "<li>\($0)</li>" }.joined() + "</ul></nav>\n"
        }
        let eventNav = "<nav aria-label=\"Events\"><h2>Events</h2><ul class=\"events\">"
            + groups.map { "<li><a href=\"event-\(esc($0.anchor)).html\">\(esc($0.title))</a> <span class=\"muted\">\($0.items.count) message\($0.items.count == 1 ? "" : "s")</span></li>" }.joined()
            + "</ul></nav>\n"
        func listPage(_ name: String, heading: String, _ shown: [Group], only status: MessageStatus? = nil) throws {
            try emit(name) { page in
                try page.write(documentHead(title: heading, css: css))
                try page.write("<header><h1>\(esc(heading))</h1>\n" + nav(current: name) + "</header>\n<main>\n")
                var any = false
                for g in shown {
                    let section = groupSection(g, only: status)
                    if section.isEmpty { continue }
                    try page.write(section)
                    any = true
                }
                if !any { try page.write("<p>No messages.</p>\n") }
                if name == "index.html" { try page.write(eventNav) }
                try page.write("</main>\n" + documentTail)
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
                    let id = item.entry.sequence == 2 ? item.entry.lineage : "\(item.entry.lineage)--\(item.entry.sequence - 1)"
                    if ids.contains(id) { previous = (id, detail(id, out: out).bodyText) }
                }
                let page = messagePage(item, detail(item.entry.id, out: out), group: g, previous: previous)
                try emit(item.page) { try $0.write(page) }
            }
        }
    }

    // MARK: - Reading the output folder

    static func read(_ entry: ManifestEntry, out: URL) -> Item {
        let folder = out.appendingPathComponent("messages/\(entry.id)", isDirectory: true)
        let subject = FileManager.default.contents(atPath: folder.appendingPathComponent("subject", isDirectory: false).path)
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        let recipients = entry.recipients ?? Lifecycle.recipients(in: folder) ?? []
        var warnings: [String] = []
        if recipients.isEmpty { warnings.append("no recipients") }
        if entry.orphaned { warnings.append("orphaned: the current data no longer produces this message") }
        if subject.count > 255 { warnings.append("subject longer than 255 characters") }
        if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("body.txt", isDirectory: false).path) {
            warnings.append("message folder is missing or incomplete")
        }
        return Item(entry: entry, subject: subject, recipients: recipients, warnings: warnings)
    }

    static func detail(_ id: String, out: URL) -> Detail {
        let folder = out.appendingPathComponent("messages/\(id)", isDirectory: true)
        func text(_ name: String) -> String? {
            FileManager.default.contents(atPath: folder.appendingPathComponent(name, isDirectory: false).path).map { String(decoding: $0, as: UTF8.self) }
        }
        var headers: [(String, String)] = []
        if let data = text("headers.json").map({ Data($0.utf8) }),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            headers = object.keys.sorted().map { ($0, "\(object[$0] ?? "")") }
        }
        var format = "markdown"
        if let data = text("message.json").map({ Data($0.utf8) }),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let f = object["body_format"] as? String {
            format = f
        }
        return Detail(bodyText: text("body.txt") ?? "", bodyHTML: text("body.html"), headers: headers, invite: text("invite.ics"), bodyFormat: format)
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
                details: ["provider \(provider)", window.isEmpty ? nil : window, "status \(event.status)", "id \(event.id)"].compactMap { $0 },
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

    // MARK: - Pages

    /// The section of one group, or "" when it shows no message (`only`: one status).
    static func groupSection(_ g: Group, only status: MessageStatus? = nil) -> String {
        let shown = status.map { s in g.items.filter { $0.entry.status == s } } ?? g.items
        if shown.isEmpty { return "" }
        var s = "<section aria-labelledby=\"g-\(esc(g.anchor))\">\n<h2 id=\"g-\(esc(g.anchor))\"><a href=\"event-\(esc(g.anchor)).html\">\(esc(g.title))</a></h2>\n"
        if !g.details.isEmpty { s += "<p class=\"muted\">" + g.details.map(esc).joined(separator: " · ") + "</p>\n" }
        for w in g.warnings { s += "<p class=\"warning\">⚠ \(esc(w))</p>\n" }
        s += "<div class=\"scroll\"><table class=\"messages\">\n<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Tenant</th>"
            + "<th scope=\"col\">Recipients</th><th scope=\"col\">Subject</th><th scope=\"col\">Sequence</th><th scope=\"col\">Warnings</th></tr></thead>\n<tbody>\n"
        for item in shown {
            let e = item.entry
            // data-label names a cell when a phone shows the row as a card.
            s += "<tr data-id=\"\(esc(e.id))\" data-status=\"\(e.status.rawValue)\"><td>\(badge(e.status))</td><td data-label=\"Tenant\">\(esc(e.tenant ?? "—"))</td>"
                + "<td class=\"num\" data-label=\"Recipients\">\(item.recipients.count)</td><td class=\"subject\"><a href=\"\(esc(item.page))\">\(esc(item.subject.isEmpty ? e.id : item.subject))</a>"
                + "<br><span class=\"muted small\">\(esc(e.id))</span></td><td class=\"num\" data-label=\"Sequence\">\(e.sequence)\(e.sequence > 1 ? " (revision)" : "")</td>"
                + "<td class=\"warnings\">\(item.warnings.isEmpty ? "" : item.warnings.map { "<span class=\"warning\">⚠ \(esc($0))</span>" }.joined(separator: "<br>"))</td></tr>\n"
        }
        return s + "</tbody></table></div>\n</section>\n"
    }

    static func messagePage(_ item: Item, _ detail: Detail, group: Group, previous: (id: String, bodyText: String)?) -> String {
        let e = item.entry
        var b = "<header><p><a href=\"../index.html\">← All messages</a> · <a href=\"../event-\(esc(group.anchor)).html\">\(esc(group.title))</a></p>\n"
        b += "<h1>\(esc(item.subject.isEmpty ? e.id : item.subject))</h1>\n<p>\(badge(e.status)) <span class=\"muted\">\(esc(e.id))</span></p>\n</header>\n<main>\n"
        for w in item.warnings { b += "<p class=\"warning\">⚠ \(esc(w))</p>\n" }

        var facts: [(String, String)] = [
            ("Template", e.template), ("Event", e.event.map { "\($0.kind.rawValue) \($0.id)" } ?? "none"),
            ("Tenant", e.tenant ?? "none"), ("Sequence", "\(e.sequence)\(e.sequence > 1 ? " (revision of \(e.lineage))" : "")"),
            ("Body format", detail.bodyFormat), ("Rendered", stamp(e.renderedAt)),
        ]
        if let t = e.target { facts.append(("Target", "\(t.type) \(t.key)")) }
        if let by = e.approvedBy { facts.append(("Approved by", by)) }
        if let t = e.approvedAt { facts.append(("Approved", stamp(t))) }
        if let t = e.sentAt { facts.append(("Sent", stamp(t))) }
        if let t = e.deliveredAt { facts.append(("Delivered", stamp(t))) }
        if let t = e.viewedAt { facts.append(("Viewed", stamp(t))) }
        b += section("Message", table(facts))
        b += section("Headers", detail.headers.isEmpty ? "<p class=\"muted\">No extra headers.</p>\n" : table(detail.headers))

        var rows = "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">E-mail</th><th scope=\"col\">Role</th>"
            + "<th scope=\"col\">Priority</th><th scope=\"col\">Tenant</th></tr></thead>\n<tbody>\n"
        for r in item.recipients {
            rows += "<tr><td>\(esc(r.name))</td><td>\(esc(r.email))</td><td>\(esc(r.role ?? "—"))</td><td>\(esc(r.priority ?? "—"))</td><td>\(esc(r.tenant ?? "—"))</td></tr>\n"
        }
        rows += "</tbody></table></div>\n"
        b += section("Recipients (\(item.recipients.count))", item.recipients.isEmpty ? "<p class=\"warning\">⚠ No recipients.</p>\n" : rows)

        if let html = detail.bodyHTML {
            // No sandbox tokens: the body gets an opaque origin and cannot run scripts,
            // submit forms, open pop-ups or navigate this page.
            b += section("HTML body", "<iframe class=\"body\" title=\"HTML body of the message\" sandbox srcdoc=\"\(esc(html))\"></iframe>\n")
        }
        b += section("Text body", "<pre class=\"text\">\(esc(detail.bodyText))</pre>\n")
        if let ics = detail.invite {
            b += section("Calendar invite", inviteSummary(ics) + "<details><summary>Raw invite.ics</summary><pre>\(esc(ics))</pre></details>\n")
        }
        if let previous {
            let diff = UnifiedDiff.diff(old: previous.bodyText, new: detail.bodyText, path: "body.txt")
            var lines = ""
            for line in diff.split(separator: "\n", omittingEmptySubsequences: false) {
                let cls = line.hasPrefix("+++") || line.hasPrefix("---") ? "meta" : line.hasPrefix("+") ? "add" : line.hasPrefix("-") ? "del" : line.hasPrefix("@@") ? "meta" : "ctx"
                lines += "<span class=\"\(cls)\">\(esc(String(line)))</span>\n"
            }
            b += section("Changes since \(previous.id)",
                         "<p><a href=\"\(esc(previous.id)).html\">Previous revision</a></p>\n"
                         + (diff.isEmpty ? "<p class=\"muted\">The text body did not change.</p>\n" : "<pre class=\"diff\">\(lines)</pre>\n"))
        }
        var journal = ""
        if e.journal.isEmpty {
            journal = "<p class=\"muted\">No transitions yet.</p>\n"
        } else {
            journal = "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">When</th><th scope=\"col\">From</th><th scope=\"col\">To</th>"
                + "<th scope=\"col\">Kind</th><th scope=\"col\">By</th><th scope=\"col\">Message</th></tr></thead>\n<tbody>\n"
            for j in e.journal {
                journal += "<tr><td>\(esc(stamp(j.at)))</td><td>\(esc(j.from ?? "—"))</td><td>\(esc(j.to))</td><td>\(esc(j.kind))</td>"
                    + "<td>\(esc(j.by ?? "—"))</td><td>\(esc(j.message ?? ""))</td></tr>\n"
            }
            journal += "</tbody></table></div>\n"
        }
        b += section("Journal", journal) + "</main>\n"
        return document(title: item.subject.isEmpty ? e.id : item.subject, css: css, body: b)
    }

    /// When, what and the BCOP properties of an invite.
    static func inviteSummary(_ ics: String) -> String {
        let properties = ICal.properties(ics)
        var facts: [(String, String)] = []
        let wanted: [(String, String)] = [("SUMMARY", "Summary"), ("DTSTART", "Start"), ("DTEND", "End"), ("X-MAINTNOTE-STATUS", "Status"),
                                          ("X-MAINTNOTE-IMPACT", "Impact"), ("X-MAINTNOTE-PROVIDER", "Provider"),
                                          ("X-MAINTNOTE-ACCOUNT", "Account"), ("X-MAINTNOTE-MAINTENANCE-ID", "Maintenance ID"),
                                          ("X-MAINTNOTE-OBJECT-ID", "Object"), ("ORGANIZER", "Organizer"), ("UID", "UID"),
                                          ("SEQUENCE", "Sequence"), ("METHOD", "Method")]
        for (name, label) in wanted {
            for p in properties where p.name == name {
                var shown = ICal.unescapeText(p.value)
                if name.hasPrefix("DT") { shown = icalTime(p.value) }
                if name == "X-MAINTNOTE-OBJECT-ID", let impact = p.parameter("X-MAINTNOTE-OBJECT-IMPACT") { shown += " (\(impact))" }
                if name == "ORGANIZER", let cn = p.parameter("CN") { shown = "\(cn) <\(shown)>" }
                facts.append((label, shown))
            }
        }
        return table(facts)
    }

    /// `20261208T010000Z` → `2026-12-08 01:00:00 UTC`; anything else as written.
    static func icalTime(_ v: String) -> String {
        let c = Array(v)
        guard c.count == 16, c[8] == "T", c[15] == "Z" else { return v }
        return "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8])) \(String(c[9..<11])):\(String(c[11..<13])):\(String(c[13..<15])) UTC"
    }

    static func day(_ t: Timestamp) -> String {
        let s = t.rfc3339
        return String(s.prefix(16)).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    static func stamp(_ t: Timestamp) -> String { t.rfc3339.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC") }

    // MARK: - HTML helpers

    static func esc(_ s: String) -> String { htmlEscape(s) }

    static func link(_ href: String, _ text: String, current: Bool) -> String {
        "<a href=\"\(esc(href))\"\(current ? " aria-current=\"page\"" : "")>\(esc(text))</a>"
    }

    static func badge(_ s: MessageStatus) -> String { "<span class=\"badge \(s.rawValue)\">\(s.rawValue)</span>" }

    static func section(_ title: String, _ content: String) -> String {
        "<section>\n<h2>\(esc(title))</h2>\n\(content)</section>\n"
    }

    static func table(_ rows: [(String, String)]) -> String {
        "<div class=\"scroll\"><table class=\"facts\">\n<tbody>\n"
            + rows.map { "<tr><th scope=\"row\">\(esc($0.0))</th><td>\(esc($0.1).replacingOccurrences(of: "\n", with: "<br>"))</td></tr>\n" }.joined()
            + "</tbody></table></div>\n"
    }

    static func document(title: String, css: String, body: String) -> String {
        documentHead(title: title, css: css) + body + documentTail
    }

    static func documentHead(title: String, css: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(esc(title))</title>
        <style>\(css)</style>
        </head>
        <body>

        """
    }

    static let documentTail = "</body>\n</html>\n"

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

        deinit { if fd >= 0 { Glibc.close(fd) } }

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

    /// Light and dark schemes from the system setting; readable on a phone (tables
    /// scroll sideways inside their box, never the page).
    static let css = """

    :root { --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; --link: #0969da;
      --warn: #9a6700; --add: #dafbe1; --del: #ffebe9; }
    @media (prefers-color-scheme: dark) {
      :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --head: #151b23; --link: #4493f8;
        --warn: #d29922; --add: #12361f; --del: #4c1d1d; }
    }
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 72rem; padding: 1rem; background: var(--bg); color: var(--fg);
      font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
    a { color: var(--link); }
    h1 { font-size: 1.5rem; margin: .5rem 0; overflow-wrap: anywhere; }
    h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
    .muted { color: var(--muted); }
    .small { font-size: .85rem; }
    .warning { color: var(--warn); }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; }
    th, td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
    .facts td { overflow-wrap: anywhere; }
    @media (max-width: 40rem) {
      .facts th { width: 8rem; }
      table.messages thead { display: none; }
      table.messages tr { display: block; border-bottom: 1px solid var(--line); padding: .4rem 0; }
      table.messages td { display: inline-block; border: 0; padding: .1rem .5rem .1rem 0; text-align: left; }
      table.messages td.subject, table.messages td.warnings { display: block; }
      table.messages td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
    }
    thead th, .facts th { background: var(--head); }
    .facts th { width: 11rem; font-weight: 600; }
    .num { text-align: right; white-space: nowrap; }
    ul.filters { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
    ul.filters a { display: inline-block; padding: .2rem .6rem; border: 1px solid var(--line); border-radius: 1rem; text-decoration: none; }
    ul.filters a[aria-current] { background: var(--link); color: var(--bg); border-color: var(--link); }
    .badge { display: inline-block; padding: 0 .5rem; border-radius: 1rem; font-size: .8rem; font-weight: 600; border: 1px solid currentColor; }
    .badge.draft { color: var(--muted); }
    .badge.ready { color: var(--link); }
    .badge.sent, .badge.delivered { color: #1a7f37; }
    .badge.failed { color: #cf222e; }
    @media (prefers-color-scheme: dark) { .badge.sent, .badge.delivered { color: #3fb950; } .badge.failed { color: #f85149; } }
    iframe.body { width: 100%; height: 32rem; border: 1px solid var(--line); background: #ffffff; }
    pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--head); padding: .75rem; border: 1px solid var(--line); }
    pre.diff span { display: block; }
    pre.diff .add { background: var(--add); }
    pre.diff .del { background: var(--del); }
    pre.diff .meta { color: var(--muted); }

    """
}
