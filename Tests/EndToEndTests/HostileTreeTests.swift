import Foundation
import Testing
import TestSupport

/// Issue 20: input trees built to leak files, crash, or be skipped in silence
/// (docs/SECURITY.md). Each case runs the CLI as CI would on a pull request.
@Suite struct HostileTreeTests {
    /// Item 3: a template folder linked out of ROOT cannot serve `{% include %}`.
    @Test func linkedTemplateFolderCannotLeakFiles() throws {
        let tree = try HostileTree(["templates.yaml": HostileTree.template(body: "{% include 'environ' %}")])
        defer { tree.remove() }
        try FileManager.default.createSymbolicLink(atPath: tree.url("templates").path, withDestinationPath: "/proc/self")
        let v = try tree.run("validate")
        #expect(v.status == 1)
        #expect(v.stderr == "templates:1:1: error: symbolic link leads outside the input root\n")
        let r = try tree.run("render", ["--now", "2026-01-01T00:00:00Z"], env: ["NOTICES_SECRET": "s3cret"])
        #expect(r.status == 1)
        #expect(!FileManager.default.fileExists(atPath: tree.url("out/manifest.json").path))
        #expect(!(r.stdout + r.stderr).contains("s3cret"))

        // Named in template_paths: the error points at the entry too.
        try tree.write("notices.yaml", "template_paths:\n  - templates\n")
        #expect(try tree.run("validate").stderr
                == "notices.yaml:2:5: error: template folder 'templates' is a symbolic link that leads outside the input root\n"
                + "templates:1:1: error: symbolic link leads outside the input root\n")
        // Left out of the data search, the default folder is still checked.
        try tree.write("notices.yaml", "paths:\n  - data.yaml\n  - events.yaml\n  - contacts.yaml\n  - templates.yaml\n")
        #expect(try tree.run("validate").stderr
                == "templates:1:1: error: template folder 'templates' is a symbolic link that leads outside the input root\n")
    }

    /// Item 3: a file inside the template folder that links out is refused where it is
    /// included, even with `ignore missing`.
    @Test func linkedTemplateFileCannotLeakFiles() throws {
        let tree = try HostileTree(["templates.yaml": HostileTree.template(body: "{% include 'passwd.j2' ignore missing %}")])
        defer { tree.remove() }
        try FileManager.default.createDirectory(at: tree.url("templates"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tree.url("templates/passwd.j2").path, withDestinationPath: "/etc/passwd")
        let refusal = "templates.yaml:5:20: error: body_template of template 't' (message maintenance-m1--acme), line 1: "
            + "template 'passwd.j2' is a symbolic link that leads outside its template folder (included from t.body_template:1:4)\n"
        // validate renders in memory, so it refuses what render refuses.
        let v = try tree.run("validate")
        #expect(v.status == 1)
        #expect(v.stderr == refusal)
        let r = try tree.run("render", ["--now", "2026-01-01T00:00:00Z"])
        #expect(r.status == 1)
        #expect(r.stderr == refusal)
        #expect(!FileManager.default.fileExists(atPath: tree.url("out/manifest.json").path))
    }

    /// Item 9: nested aliases fail fast in little memory (8 levels of 9 aliases are
    /// 43 million nodes), and an alias used as a key is refused before parsing.
    @Test func yamlAliasBombsFailFast() throws {
        var lines = ["a0: &a0 [x,x,x,x,x,x,x,x,x]"]
        for i in 1...8 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ",") + "]") }
        let bomb = lines.joined(separator: "\n") + "\n"
        #expect(bomb.utf8.count < 400)
        let tree = try HostileTree(["bomb.yaml": bomb])
        defer { tree.remove() }
        let (r, seconds) = try CLI.limited(["validate", tree.root.path], memory: 512 << 20, seconds: 60)
        #expect(r.status == 1)
        #expect(r.stderr == "bomb.yaml:5:5: error: aliases of '&a4' and others expand to more than 100000 nodes "
                + "(an alias is a full copy of its anchor); write the data out or use fewer nested aliases\n")
        #expect(seconds < 10)

        try tree.write("bomb.yaml", bomb + "? *a8\n: 1\n")
        let (k, keySeconds) = try CLI.limited(["validate", tree.root.path], memory: 512 << 20, seconds: 60)
        #expect(k.stderr.hasPrefix("bomb.yaml:10:1: error: an explicit key ('? ') in a file with anchors"))
        #expect(keySeconds < 10)
        try tree.write("bomb.yaml", bomb + "*a8 : 1\n")
        #expect(try tree.run("validate").stderr.hasPrefix("bomb.yaml:10:1: error: an alias used as a key in a file with anchors"))

        // Aliases within bounds still work.
        try tree.write("bomb.yaml", "x: &x {cid: C2, provider: zayo}\ncircuits: [*x]\n")
        #expect(try tree.run("validate").stderr.contains("unknown collection 'x'"))
    }

    /// Item 16: what cannot be read is an error in validate and render, never skipped.
    @Test func unreadableEntriesAreErrors() throws {
        let tree = try HostileTree()
        defer { tree.remove() }
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: tree.url("dangling.yaml").path, withDestinationPath: "missing.yaml")
        try fm.createSymbolicLink(atPath: tree.url("loop.yaml").path, withDestinationPath: "loop.yaml")
        try fm.createDirectory(at: tree.url("real"), withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: tree.url("linked").path, withDestinationPath: "real")
        #expect(try CLI.run(["/usr/bin/mkfifo", tree.url("fifo.yaml").path], tool: true).status == 0)
        let expected = """
            dangling.yaml:1:1: error: symbolic link does not exist (or is a symbolic link to nothing)
            fifo.yaml:1:1: error: is a FIFO (named pipe), not a data file
            linked:1:1: error: symbolic link to a folder: not followed (it could loop or read files twice); use the folder itself
            loop.yaml:1:1: error: symbolic link is a loop of symbolic links

            """
        try tree.expectValidateAndRenderFail(expected)
    }

    /// Item 16: a folder that cannot be listed is an error, for validate and render.
    @Test func unlistableFolderIsAnError() throws {
        let tree = try HostileTree(["more/events.yaml": "maintenances: []\n"])
        defer { tree.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: tree.url("more").path)
        let v = try CLI.unprivileged(["validate", tree.root.path])
        #expect(v.status == 1)
        #expect(v.stderr == "more:1:1: error: cannot list folder: permission denied\n")
        let r = try CLI.unprivileged(["render", tree.root.path, "--now", "2026-01-01T00:00:00Z"])
        #expect(r.status == 1)
        #expect(r.stderr == "more:1:1: error: cannot list folder: permission denied\n")
    }

    /// Items 8 and 18: keys are one printable line, and cannot make an ID that reads as
    /// a revision (tenant `acme--2` would be revision 2 of `…--acme`).
    @Test func keysAreOnePrintableLineAndNeverLookLikeRevisions() throws {
        let tree = try HostileTree(["data.yaml": """
            providers:
              - slug: "zayo\\r\\nATTENDEE:mailto:evil@x.example"
              - slug: "\\u202Ecod"
            tenants:
              - slug: acme--2
              - slug: "2"
              - slug: "acme  3"
              - slug: acme-2
            circuits:
              - {cid: "-4", provider: zayo}
            maintenances:
              - {id: m1--5, summary: s, provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z}

            """, "events.yaml": nil, "contacts.yaml": nil])
        defer { tree.remove() }
        let v = try tree.run("validate")
        #expect(v.status == 1)
        let revision = "which is how revisions are numbered; use a key whose ID form does not end in '--' and digits "
            + "(IDs are lowercased, with every character outside a-z, 0-9, '.', '_' and '-' turned into '-')"
        #expect(v.stderr.components(separatedBy: "\n").filter { !$0.isEmpty } == [
            "data.yaml:2:11: error: field 'slug' of provider contains a line break (U+000D); keys are one line of printable text",
            "data.yaml:3:11: error: field 'slug' of provider contains the invisible formatting character U+202E; keys are one line of printable text",
            "data.yaml:5:11: error: field 'slug' of tenant would make message IDs that end in '--2', \(revision)",
            "data.yaml:6:11: error: field 'slug' of tenant would make message IDs that end in '--2', \(revision)",
            "data.yaml:7:11: error: field 'slug' of tenant would make message IDs that end in '--3', \(revision)",
            "data.yaml:10:11: error: field 'cid' of circuit would make message IDs that end in '--4', \(revision)",
            "data.yaml:12:10: error: field 'id' of maintenance would make message IDs that end in '--5', \(revision)",
        ], Comment(rawValue: v.stderr))
    }

    /// A message's Message-ID is `<ID@domain>` (SPEC §3.1) and its left part must be an
    /// RFC 5322 dot-atom, so keys whose ID form would put `..` into an ID or end one with
    /// `.` are refused (Python's email package reports such a Message-ID as a defect).
    /// A key that ends in `.` but is never last in an ID (an `objects` type) is fine.
    @Test func keysNeverMakeMessageIDsThatAreNotDotAtoms() throws {
        let tree = try HostileTree(["data.yaml": """
            providers:
              - slug: zayo..x
            tenants:
              - slug: acme.
              - slug: ok.globex
            circuits:
              - {cid: "C..1", provider: zayo..x}
            objects:
              - {type: "rack..a", id: R1}
              - {type: "rack.", id: R2}
            maintenances:
              - {id: "CHG.", summary: s, provider: zayo..x, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z}

            """, "events.yaml": nil, "contacts.yaml": nil])
        defer { tree.remove() }
        let v = try tree.run("validate")
        #expect(v.status == 1)
        let rule = "which a Message-ID (<ID@domain>, RFC 5322) cannot hold; use a key whose ID form has no '..' and does not end "
            + "in '.' (IDs are lowercased, with every character outside a-z, 0-9, '.', '_' and '-' turned into '-')"
        #expect(v.stderr.components(separatedBy: "\n").filter { !$0.isEmpty } == [
            "data.yaml:4:11: error: field 'slug' of tenant would make message IDs with a final '.', \(rule)",
            "data.yaml:7:11: error: field 'cid' of circuit would make message IDs with '..', \(rule)",
            "data.yaml:9:12: error: field 'type' of object would make message IDs with '..', \(rule)",
            "data.yaml:12:10: error: field 'id' of maintenance would make message IDs with a final '.', \(rule)",
        ], Comment(rawValue: v.stderr))
    }

    /// Item 19: an ID too long for a folder name (with room for `--N`) is a validate
    /// error, not a file-system failure later.
    @Test func overlongIDsAreValidateErrors() throws {
        let id = String(repeating: "x", count: 190)
        let tree = try HostileTree(["events.yaml": """
            maintenances:
              - id: \(id)
                summary: s
                provider: zayo
                status: CONFIRMED
                start: 2026-01-01T00:00:00Z
                end: 2026-01-01T01:00:00Z
                impacts: [{circuit: C1}]

            """])
        defer { tree.remove() }
        let expected = "events.yaml:2:5: error: the message ID of maintenance '\(id)' for tenant 'acme' would be 208 bytes long "
            + "('maintenance-xxxxxxxxxxxxxxxxxxxxxxxxxxxx…'); IDs name folders and may be at most 200 bytes "
            + "(room left for '--N' revisions within the file-name limit of 255); shorten a key\n"
        try tree.expectValidateAndRenderFail(expected)
    }
}
