import Foundation
import Testing
import TestSupport

/// `notices preview`: the static review site, checked in files and in headless Chromium
/// (Consumers/preview_browser.py; Debian `chromium`, installed by .ci/run).
@Suite struct PreviewCommandTests {
    static let chromium: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }()
    static let python: String? = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : nil
    static var browserReady: Bool { chromium != nil && python != nil }

    /// Screenshots go where a developer finds them after the run (.build is ignored by git).
    static func shots(_ name: String) -> String {
        CLI.repoRoot.appendingPathComponent(".build/test-output/preview/\(name)").path
    }

    static func preview(_ tree: TreeCopy) throws -> CLI.Result {
        try CLI.run(["preview", tree.root.path])
    }

    /// Every file of OUT/preview with its bytes.
    static func site(_ tree: TreeCopy) -> [String: Data] {
        let base = tree.root.appendingPathComponent("out/preview")
        var files: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: base.path) ?? FileManager.DirectoryEnumerator() {
            if let data = FileManager.default.contents(atPath: base.appendingPathComponent(path).path),
               (try? FileManager.default.attributesOfItem(atPath: base.appendingPathComponent(path).path)[.type] as? FileAttributeType) == .typeRegular {
                files[path] = data
            }
        }
        return files
    }

    static func carrier() throws -> TreeCopy {
        let tree = try TreeCopy("examples/carrier")
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("examples/carrier/out"), to: tree.root.appendingPathComponent("out"))
        return tree
    }

    @Test(.enabled(if: browserReady, "needs chromium and python3 (bash .ci/run installs chromium)"))
    func carrierPreviewInChromium() throws {
        let tree = try Self.carrier()
        defer { tree.remove() }
        let r = try Self.preview(tree)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        #expect(r.stdout == "41 pages in \(tree.root.path)/out/preview\n")
        let b = try VenvPython.run(Self.python!, script: "preview_browser.py",
                                   [tree.root.path + "/out", Self.shots("carrier"), "maintenance-zayo-2026-0142--zurich-re", "Geplante Wartung"])
        #expect(b.status == 0, Comment(rawValue: b.output))
        #expect(b.output.hasPrefix("ok: index lists all 25 messages\n"), Comment(rawValue: b.output))
        #expect(b.output.hasSuffix("\n0 problems\n"), Comment(rawValue: b.output))
        for shot in ["index-desktop.png", "index-phone.png", "message-desktop.png", "message-phone.png"] {
            let png = FileManager.default.contents(atPath: Self.shots("carrier") + "/" + shot) ?? Data()
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "\(shot) is a real screenshot")
        }
    }

    @Test func previewIsDeterministicAndIgnoredByCheck() throws {
        let a = try Self.carrier(), b = try Self.carrier()
        defer { a.remove(); b.remove() }
        #expect(try Self.preview(a).status == 0)
        #expect(try CLI.run(["preview", b.root.path]).status == 0)
        let first = Self.site(a)
        #expect(first.count == 41)
        #expect(first == Self.site(b))
        #expect(try Self.preview(a).status == 0)
        #expect(Self.site(a) == first, "a second run gives the same bytes")
        #expect(try CLI.run(["check", a.root.path]).stdout == "up to date\n")
        #expect(try CLI.run(["render", a.root.path]).stdout.hasPrefix("0 new, 0 updated, 21 unchanged"))
        #expect(FileManager.default.fileExists(atPath: a.root.appendingPathComponent("out/preview/index.html").path))
        // The pages are self-contained: no script, no external resource.
        for (path, data) in first {
            let html = String(decoding: data, as: UTF8.self)
            #expect(!html.lowercased().contains("<script"), "\(path) has a script")
            #expect(!html.contains("http://") && !html.contains("src=\"http"), "\(path) loads something from the network")
        }
        let index = String(decoding: first["index.html"]!, as: UTF8.self)
        #expect(index.contains("<a href=\"status-ready.html\">ready (0)</a>"))
        #expect(index.contains("<a href=\"event-maintenance-zayo-2026-0142.html\">Maintenance TTN-0004567890</a>"))
    }

    @Test func revisionPageShowsTheDiffAgainstThePreviousRevision() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z"]).status == 0)
        let id = "maintenance-zayo-2026-0142--acme"
        #expect(try CLI.run(["approve", id, "--root", tree.root.path, "--by", "tester <t@example.net>"]).status == 0)
        try tree.edit("events/maintenances.yaml", "Expect two short interruptions within the window.", "Expect three short interruptions.")
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-12-01T09:00:00Z"]).status == 0)
        #expect(try Self.preview(tree).status == 0)
        let page = tree.read("out/preview/messages/\(id)--2.html")
        #expect(page.contains("<h2>Changes since \(id)</h2>"))
        #expect(page.contains("<span class=\"del\">-Expect two short interruptions within the window.</span>\n"))
        #expect(page.contains("<span class=\"add\">+Expect three short interruptions.</span>\n"))
        #expect(page.contains("<span class=\"del\">-| **Reference** | TTN-0004567890, notice 1 |</span>\n"))
        #expect(page.contains("<span class=\"add\">+| **Reference** | TTN-0004567890, notice 2 |</span>\n"))
        let first = tree.read("out/preview/messages/\(id).html")
        // The revision withdrew it: the badge, the withdrawal time and the journal say so.
        #expect(first.contains("<span class=\"badge withdrawn\">withdrawn</span>"))
        #expect(first.contains("<tr><th scope=\"row\">Withdrawn</th><td>2026-12-01 09:00:00 UTC</td></tr>"))
        #expect(first.contains("<td>ready</td><td>withdrawn</td><td>warning</td><td>—</td><td>superseded by \(id)--2</td>"))
        let index = tree.read("out/preview/index.html")
        #expect(index.contains("<a href=\"status-withdrawn.html\">withdrawn (1)</a>"))
        #expect(tree.read("out/preview/status-withdrawn.html").contains("messages/\(id).html"))
        #expect(first.contains("<tr><th scope=\"row\">Approved by</th><td>tester &lt;t@example.net&gt;</td></tr>"))
        #expect(first.contains("<td>draft</td><td>ready</td><td>info</td><td>tester &lt;t@example.net&gt;</td>"))
        #expect(!first.contains("Changes since"))
    }

    @Test func orphanedMessagesAndMissingRecipientsAreFlagged() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        // Our backbone circuit notified too: its tenant-less group has no one to tell.
        try tree.edit("events/maintenances.yaml", "impact: OUTAGE, notify: false}", "impact: OUTAGE}")
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-29T08:00:00Z"]).status == 0)
        let id = "maintenance-zayo-2026-0150--globex"
        #expect(try CLI.run(["approve", id, "--root", tree.root.path, "--by", "t"]).status == 0)
        // The event gets another id: the approved message no longer comes from the data.
        try tree.edit("events/maintenances.yaml", "id: zayo-2026-0150", "id: zayo-2026-0151")
        #expect(try CLI.run(["render", tree.root.path, "--now", "2026-11-30T08:00:00Z"]).status == 0)
        #expect(try Self.preview(tree).status == 0)
        let index = tree.read("out/preview/index.html")
        #expect(index.contains("<h2 id=\"g-no-event\"><a href=\"event-no-event.html\">Messages whose event is no longer in the data</a></h2>"))
        #expect(index.contains("<span class=\"warning\">⚠ orphaned: the current data no longer produces this message</span>"))
        // The tenant-less group of an event has no recipients in the carrier data.
        #expect(index.contains("<td class=\"num\" data-label=\"Recipients\">0</td>"))
        #expect(index.contains("<span class=\"warning\">⚠ no recipients</span>"))
        let page = tree.read("out/preview/messages/\(id).html")
        #expect(page.contains("<span class=\"badge ready\">ready</span>"))
        #expect(page.contains("<p class=\"warning\">⚠ orphaned: the current data no longer produces this message</p>"))
    }

    @Test func withoutARenderPreviewSaysWhatToDo() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        let r = try Self.preview(tree)
        #expect(r.status == 1)
        #expect(r.stderr == "error: no manifest.json in \(tree.root.path)/out: run `notices render` first\n")
    }

    /// Script tags and quotes in subject, names and body: escaped in every page, shown as
    /// text, and the body's scripts do not run in its sandboxed frame.
    @Test func hostileDataIsEscaped() throws {
        let tree = try TreeCopy("examples/netbox-notices-compat")
        defer { tree.remove() }
        let root = tree.root
        try? FileManager.default.removeItem(at: root.appendingPathComponent("templates.yaml"))
        try? FileManager.default.removeItem(at: root.appendingPathComponent("maintenances.yaml"))
        try Data(#"""
        providers:
          - {slug: evil, name: "Evil \"Corp\" <script>alert('provider')</script>"}
        tenants:
          - {slug: victim, name: "<img src=x onerror=alert('tenant')>"}
        contacts:
          - name: "Mallory \"<script>alert('contact')</script>\" O'Neil"
            email: mallory@victim.example
            assignments: [{tenant: victim, priority: primary}]
        circuits:
          - {cid: "EVIL-1", provider: evil, tenant: victim}
        maintenances:
          - id: evil-1
            name: "<script>alert('event')</script>"
            provider: evil
            summary: "</iframe><script>parent.document.body.setAttribute('data-pwned','summary')</script>\"'"
            status: CONFIRMED
            start: 2026-01-22T14:30:00Z
            end: 2026-01-22T18:00:00Z
            impacts: [{circuit: EVIL-1, impact: OUTAGE}]
        templates:
          - slug: hostile
            event_type: maintenance
            subject_template: "{{ maintenance.name }} \"quoted\" 'single' <b>{{ tenant.name }}</b>"
            body_format: html
            body_template: |
              <h1>Hostile body</h1>
              <script>document.body.setAttribute('data-pwned', 'script'); console.log('pwned'); alert('body')</script>
              <img src="x" onerror="document.body.setAttribute('data-pwned', 'onerror')">
              <p>{{ maintenance.summary }}</p>
        """#.utf8).write(to: root.appendingPathComponent("hostile.yaml"))
        let render = try CLI.run(["render", root.path, "--now", "2026-01-20T09:00:00Z"])
        #expect(render.status == 0, Comment(rawValue: render.stderr))
        #expect(try Self.preview(tree).status == 0)
        let subject = #"<script>alert('event')</script> "quoted" 'single' <b><img src=x onerror=alert('tenant')></b>"#
        #expect(tree.read("out/messages/maintenance-evil-1--victim/subject") == subject)
        for (path, data) in Self.site(tree) {
            let html = String(decoding: data, as: UTF8.self)
            #expect(!html.lowercased().contains("<script"), "\(path): a raw script tag")
            #expect(!html.contains("<img src=x"), "\(path): a raw img tag")
            #expect(!html.contains("<b><"), "\(path): raw markup from the subject")
        }
        let page = tree.read("out/preview/messages/maintenance-evil-1--victim.html")
        #expect(page.contains("<h1>&lt;script&gt;alert(&#39;event&#39;)&lt;/script&gt; &#34;quoted&#34; &#39;single&#39; &lt;b&gt;&lt;img src=x onerror=alert(&#39;tenant&#39;)&gt;&lt;/b&gt;</h1>"))
        #expect(page.contains("<td>Mallory &#34;&lt;script&gt;alert(&#39;contact&#39;)&lt;/script&gt;&#34; O&#39;Neil</td>"))
        #expect(page.contains(" sandbox srcdoc=\"&lt;!DOCTYPE html&gt;"))
        guard Self.browserReady else { return }
        let b = try VenvPython.run(Self.python!, script: "preview_browser.py",
                                   [root.path + "/out", Self.shots("hostile"), "maintenance-evil-1--victim", "Hostile body"])
        #expect(b.status == 0, Comment(rawValue: b.output))
        #expect(b.output.contains("ok: no script ran in the body iframe (no data-pwned attribute)\n"), Comment(rawValue: b.output))
        #expect(b.output.contains("ok: control: without sandbox the same body's script does run\n"), Comment(rawValue: b.output))
        #expect(b.output.hasSuffix("\n0 problems\n"), Comment(rawValue: b.output))
    }
}
