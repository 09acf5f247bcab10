import Foundation
import Testing
import TestSupport

/// Issue 19: what a new user meets in the first hour, through the CLI.
@Suite struct FirstHourTests {
    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("first-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// 2026-06-01T00:00:00Z: the starter maintenance is two weeks later.
    static let epoch = ["SOURCE_DATE_EPOCH": "1780272000"]

    @Test func initMakesARepositoryThatRendersAndChecksGreen() throws {
        let parent = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: parent) }
        let dir = parent.appendingPathComponent("noc")
        let made = try CLI.run(["init", dir.path], env: Self.epoch)
        #expect(made.status == 0, Comment(rawValue: made.stderr))
        #expect(made.stdout.hasPrefix("wrote 18 files in \(dir.path):\n  notices.yaml\n"), Comment(rawValue: made.stdout))
        let settings = try String(contentsOf: dir.appendingPathComponent("notices.yaml"), encoding: .utf8)
        #expect(settings.contains("# yaml-language-server: $schema=notices-settings.schema.json\n"))
        #expect(settings.contains("strict_undefined: true\n"))
        #expect(try String(contentsOf: dir.appendingPathComponent("events/maintenances.yaml"), encoding: .utf8)
            .contains("    start: 2026-06-15T22:00:00Z\n    end: 2026-06-16T02:00:00Z\n"))
        #expect(try String(contentsOf: dir.appendingPathComponent(".gitignore"), encoding: .utf8).contains("out/preview/\n"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".github/workflows/notices.yml").path))
        #expect(try String(contentsOf: dir.appendingPathComponent("templates/starter.yaml"), encoding: .utf8)
                == String(contentsOf: CLI.repoRoot.appendingPathComponent("templates/starter.yaml"), encoding: .utf8))

        let validate = try CLI.run(["validate", dir.path], env: Self.epoch)
        #expect(validate.status == 0)
        #expect(validate.stderr == "", Comment(rawValue: validate.stderr))
        let render = try CLI.run(["render", dir.path], env: Self.epoch)
        #expect(render.status == 0, Comment(rawValue: render.stderr))
        #expect(render.stdout == "1 new, 0 updated, 0 unchanged, 0 revisions, 0 removed, 0 orphaned, 0 warnings\n")
        #expect(render.stderr == "")
        let check = try CLI.run(["check", dir.path], env: Self.epoch)
        #expect(check.status == 0, Comment(rawValue: check.stdout + check.stderr))
        let list = try CLI.run(["list", "--root", dir.path])
        #expect(list.stdout.hasPrefix("maintenance-lumen-chg-1--acme\tdraft\t1 recipient\t"), Comment(rawValue: list.stdout))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/messages/maintenance-lumen-chg-1--acme/invite.ics").path))

        // Not again into a folder with files, unless --force.
        let again = try CLI.run(["init", dir.path])
        #expect(again.status == 1)
        #expect(again.stderr.hasPrefix("error: \(dir.path) is not empty (.github, .gitignore, contacts.yaml, …); use --force"), Comment(rawValue: again.stderr))
        #expect(try CLI.run(["init", dir.path, "--force"], env: Self.epoch).status == 0)
        // A fresh `git init` folder is empty enough.
        let git = parent.appendingPathComponent("withgit/.git")
        try FileManager.default.createDirectory(at: git, withIntermediateDirectories: true)
        #expect(try CLI.run(["-C", parent.path, "init", "withgit"]).status == 0)
    }

    @Test func schemasAndToolConfigsAreNotData() throws {
        let tree = try HostileTree(["renovate.json": "{\"extends\": [\"config:base\"]}\n", "mkdocs.yml": "site_name: NOC\n"])
        defer { tree.remove() }
        let schema = try CLI.run(["schema"])
        try tree.write("notices.schema.json", schema.stdout)
        try tree.write("docs/other.schema.yaml", "type: object\n")
        let ok = try tree.run("validate", ["--data-only"])
        #expect(ok.status == 0, Comment(rawValue: ok.stderr))
        // A file with a mistyped collection is still data, and still an error.
        try tree.write("extra.yaml", "provders: []\n")
        try tree.write("notes.yaml", "title: x\n")
        let bad = try tree.run("validate", ["--data-only"])
        #expect(bad.status == 1)
        #expect(bad.stderr == """
            extra.yaml:1:1: error: unknown collection 'provders' (did you mean 'providers'?)
            notes.yaml:1:1: error: unknown collection 'title'; if 'notes.yaml' is not notices data, give the data folders in `paths` of notices.yaml

            """)
    }

    @Test func renderInAFolderWithoutRepositoryIsAnError() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        for command in ["render", "validate"] {
            let r = try CLI.run([command, dir.path])
            #expect(r.status == 1)
            #expect(r.stderr == "error: no notices.yaml and no data files in \(dir.path): is this the repository? (`notices init` starts one)\n")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    @Test func validateReportsWhatRenderRejects() throws {
        let tree = try HostileTree(["templates.yaml": HostileTree.template(body: "Hello\\n{% include 'footer.j2' %}")])
        defer { tree.remove() }
        let r = try tree.run("validate")
        #expect(r.status == 1)
        #expect(r.stderr == "templates.yaml:5:20: error: body_template of template 't' (message maintenance-m1--acme), line 2: "
                + "template 'footer.j2' not found (searched: template slugs, templates/ (no such folder))\n", Comment(rawValue: r.stderr))
        // A typo renders as "" unless strict_undefined: then validate says so.
        try tree.write("templates.yaml", HostileTree.template(body: "{{ maintenance.sumary }}"))
        #expect(try tree.run("validate").status == 0)
        try tree.write("notices.yaml", "strict_undefined: true\n")
        let strict = try tree.run("validate")
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("'sumary'"), Comment(rawValue: strict.stderr))
        #expect(try tree.run("validate", ["--data-only"]).status == 0)
    }

    @Test(arguments: [
        ("contacts.yaml", "contacts:\n  - name: Anna Muster\n    email: noc at bigbank\n    assignments: [{tenant: acme}]\n",
         "contacts.yaml:3:12: error: field 'email' of contact: 'noc at bigbank' is not an e-mail address (unexpected ' ' at character 4)\n"),
        ("notices.yaml", "eml:\n  from: not-an-address\n",
         "notices.yaml:2:9: error: eml.from: 'not-an-address' is not an e-mail address (no '<address>' after the name)\n"),
        ("notices.yaml", "organization:\n  email: noc at x\n",
         "notices.yaml:2:10: error: organization.email 'noc at x' is not an e-mail address (expected name@example.net)\n"),
    ])
    func addressesAreChecked(file: String, text: String, error: String) throws {
        let tree = try HostileTree([file: text])
        defer { tree.remove() }
        let r = try tree.run("validate", ["--data-only"])
        #expect(r.status == 1)
        #expect(r.stderr == error)
    }

    static let sanityEvents = """
        maintenances:
          - id: m1
            summary: Work
            provider: zayo
            status: CONFIRMED
            start: 2026-01-01T00:00:00
            end: 2026-01-11T00:00:00Z
            impacts: [{circuit: C1}, {circuit: C2}]
          - id: m2
            summary: Work
            provider: zayo
            status: CONFIRMED
            start: 2026-01-01T00:00:00
            end: 2026-01-11T00:00:00Z
            silence: [naive-timestamp, long-window, past-maintenance, foreign-circuit]
            impacts: [{circuit: C1}, {circuit: C2}]
        outages:
          - id: o1
            summary: Cut
            provider: zayo
            status: REPORTED
            start: 2026-03-01T00:00:00Z
            impacts: [{circuit: C1}]

        """

    @Test func sanityWarningsAndTheirSilencing() throws {
        let templates = HostileTree.template().replacingOccurrences(of: "event_type: maintenance", with: "event_type: both")
        let tree = try HostileTree(["events.yaml": Self.sanityEvents, "notices.yaml": "", "templates.yaml": templates,
                                    "more.yaml": "providers:\n  - slug: lumen\ncircuits:\n  - {cid: C2, provider: lumen, tenant: acme}\n"])
        defer { tree.remove() }
        let r = try tree.run("render", ["--now", "2026-02-01T00:00:00Z"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("3 new, 0 updated, 0 unchanged, 0 revisions, 0 removed, 0 orphaned, 5 warnings\n"))
        #expect(r.stderr == """
            events.yaml:6:12: warning: maintenance 'm1': 'start' has no UTC offset and notices.yaml names no timezone; read as UTC [naive-timestamp]
            events.yaml:7:10: warning: maintenance 'm1' lasts 10.0 days (2026-01-01T00:00:00Z to 2026-01-11T00:00:00Z), more than 7 [long-window]
            events.yaml:7:10: warning: maintenance 'm1' ended at 2026-01-11T00:00:00Z, before its message's render time 2026-02-01T00:00:00Z [past-maintenance]
            events.yaml:8:30: warning: maintenance 'm1' of provider 'zayo' impacts circuit 'C2' of provider 'lumen' [foreign-circuit]
            events.yaml:22:12: warning: outage 'o1' starts at 2026-03-01T00:00:00Z, after its message's render time 2026-02-01T00:00:00Z [future-outage]

            """, Comment(rawValue: r.stderr))
        // validate gives the same warnings, for its own render time.
        let v = try tree.run("validate", ["--now", "2026-02-01T00:00:00Z"])
        #expect(v.status == 0)
        #expect(v.stderr == r.stderr)
        // Everywhere at once, in notices.yaml; a timezone makes naive timestamps fine.
        try tree.write("notices.yaml", "timezone: UTC\nsilence: [long-window, past-maintenance, foreign-circuit, future-outage]\n")
        let quiet = try tree.run("validate", ["--now", "2026-02-01T00:00:00Z"])
        #expect(quiet.status == 0)
        #expect(quiet.stderr == "")
        try tree.write("notices.yaml", "silence: [future]\n")
        let typo = try tree.run("validate")
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("notices.yaml:1:11: error: 'future' is not a valid warning name; expected one of naive-timestamp, "))
    }

    @Test func lifecycleCommandsSayWhatHappened() throws {
        let tree = try HostileTree()
        defer { tree.remove() }
        let root = ["--root", tree.root.path]
        let none = try CLI.run(["list"] + root)
        #expect(none.status == 1)
        #expect(none.stderr == "error: no manifest at \(tree.root.path)/out/manifest.json; run `notices render` first\n")
        #expect(try tree.run("render", ["--now", "2026-01-01T00:00:00Z"]).status == 0)
        let id = "maintenance-m1--acme"
        for step in [["approve", id, "--by", "t"], ["mark", id, "sent"], ["mark", id, "delivered"]] {
            #expect(try CLI.run(step + root).status == 0)
        }
        let viewed = try CLI.run(["mark", id, "viewed"] + root)
        #expect(viewed.stdout == "\(id): viewed\n")
        let again = try CLI.run(["mark", id, "viewed"] + root)
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("\(id): already viewed at 20"), Comment(rawValue: again.stdout))
        let manifest = tree.read("out/manifest.json") ?? ""
        #expect(manifest.components(separatedBy: "\"to\": \"delivered\"").count == 3, Comment(rawValue: manifest))
        let list = try CLI.run(["list"] + root)
        #expect(list.stdout.hasPrefix("\(id)\tdelivered\t1 recipient\t"))
    }

    @Test func usageErrorsShowTheCommandsUsage() throws {
        let jobs = try CLI.run(["render", "--jobs", "0", "examples/carrier"])
        #expect(jobs.status == 2)
        #expect(jobs.stderr.hasPrefix("Error: --jobs must be at least 1 (got 0)\nUsage: notices render "), Comment(rawValue: jobs.stderr))
        let mark = try CLI.run(["mark", "x", "seen", "--root", "examples/carrier"])
        #expect(mark.status == 2)
        #expect(mark.stderr.contains("\nUsage: notices mark "), Comment(rawValue: mark.stderr))
        #expect(mark.stderr.contains("See 'notices mark --help'"))
    }

    @Test func contextFileWithoutAtSaysSo() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("Hi {{ name }}".utf8).write(to: dir.appendingPathComponent("t.j2"))
        try Data("{\"name\": \"Ann\"}".utf8).write(to: dir.appendingPathComponent("ctx.json"))
        let wrong = try CLI.run(["template", "render", "t.j2", "--context", "ctx.json"], cwd: dir)
        #expect(wrong.status == 1)
        #expect(wrong.stderr == "--context:1:1: error: invalid JSON: unexpected character 'c'\n"
                + "note: --context takes JSON text; to read the file 'ctx.json', write --context @ctx.json\n")
        let right = try CLI.run(["template", "render", "t.j2", "--context", "@ctx.json"], cwd: dir)
        #expect(right.stdout == "Hi Ann")
    }

    @Test func duplicateKeyIsReportedAtTheDuplicate() throws {
        let tree = try HostileTree(["more.yaml": "providers:\n  - slug: lumen\n    name: Lumen\n    name: Level3\n"])
        defer { tree.remove() }
        let r = try tree.run("validate")
        #expect(r.stderr == "more.yaml:4:5: error: duplicate key 'name' (first at line 3, column 5)\n")
    }

    /// A template tried with a real message's variables renders what render wrote.
    @Test func templateRenderWithAMessagesContext() throws {
        let id = "maintenance-zayo-2026-0142--acme"
        let body = try CLI.run(["template", "render", "--slug", "maintenance-email", "--message", id], cwd: CLI.repoRoot.appendingPathComponent("examples/carrier"))
        #expect(body.status == 0, Comment(rawValue: body.stderr))
        let written = try String(contentsOf: CLI.repoRoot.appendingPathComponent("examples/carrier/out/messages/\(id)/body.txt"), encoding: .utf8)
        #expect(body.stdout == written)
        // A file of one's own, with the datetimes the context holds.
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{{ maintenance.start.strftime('%d %b %Y %H:%M') }} {{ tenant.slug }} {{ message_sequence }}".utf8).write(to: dir.appendingPathComponent("t.j2"))
        let mine = try CLI.run(["template", "render", dir.appendingPathComponent("t.j2").path, "--message", id, "--root", "examples/carrier"])
        #expect(mine.stdout == "08 Dec 2026 01:00 acme 1", Comment(rawValue: mine.stderr))
        // By slug with a JSON context instead.
        let slug = try CLI.run(["template", "render", "--slug", "announcement", "--root", "examples/carrier", "--context", "{}"])
        #expect(slug.status == 1)
        #expect(slug.stderr.contains("error: "), Comment(rawValue: slug.stderr))
        let unknown = try CLI.run(["template", "render", "--slug", "maintenance-emial", "--root", "examples/carrier"])
        #expect(unknown.stderr == "error: no template 'maintenance-emial' (did you mean 'maintenance-email'?)\n")
        let noMessage = try CLI.run(["template", "render", "--slug", "maintenance-email", "--message", "zayo", "--root", "examples/carrier"])
        #expect(noMessage.status == 1)
        #expect(noMessage.stderr.hasPrefix("error: no message 'zayo' in what a render would make now"))
        let both = try CLI.run(["template", "render", "t.j2", "--slug", "x"])
        #expect(both.status == 2)
        #expect(both.stderr.hasPrefix("Error: give a template FILE or --slug SLUG (one of them)\nUsage: notices template render "))
    }

    @Test func contextPrintsAMessagesVariablesAsJSON() throws {
        let r = try CLI.run(["context", "maintenance-zayo-2026-0142--acme", "--root", "examples/carrier"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let maintenance = json["maintenance"] as! [String: Any]
        #expect(maintenance["start"] as? String == "2026-12-08T01:00:00+00:00")
        #expect((maintenance["provider"] as? [String: Any])?["slug"] as? String == "zayo")
        #expect((json["tenant"] as? [String: Any])?["slug"] as? String == "acme")
        #expect(json["message_sequence"] as? Int == 1)
        #expect((json["now"] as? String)?.hasPrefix("2026-") == true)
    }

    @Test func shellCompletionScripts() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try CLI.run(["--generate-completion-script", shell])
            #expect(r.status == 0)
            #expect(r.stdout.contains("init") && r.stdout.contains("validate") && r.stdout.contains("context"), "\(shell)")
        }
    }
}
