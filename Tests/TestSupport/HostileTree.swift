import Foundation
import Testing

/// A small input tree that renders one message, written from `path → text` over a base
/// (a nil text removes a base file), for the hostile-input tests (issue 20,
/// docs/SECURITY.md). Files are world-readable so a test can run `notices` as another
/// user.
package struct HostileTree {
    package let root: URL

    package static let base: [String: String] = [
        "notices.yaml": """
        eml:
          from: "Example NOC <noc@example.net>"

        """,
        "data.yaml": """
        providers:
          - slug: zayo
            name: Zayo
        tenants:
          - slug: acme
            name: ACME
        circuits:
          - cid: C1
            provider: zayo
            tenant: acme

        """,
        "contacts.yaml": """
        contacts:
          - name: Ann Smith
            email: ann@acme.example
            assignments: [{tenant: acme}]

        """,
        "events.yaml": """
        maintenances:
          - id: m1
            summary: Fibre work
            provider: zayo
            status: CONFIRMED
            start: 2026-01-01T00:00:00Z
            end: 2026-01-01T01:00:00Z
            impacts: [{circuit: C1, impact: OUTAGE}]

        """,
        "templates.yaml": """
        templates:
          - slug: t
            event_type: maintenance
            subject_template: "Work {{ maintenance.id }}"
            body_template: "{{ maintenance.summary }}"
            body_format: text

        """,
    ]

    /// templates.yaml with one maintenance template `t` (subject "Work", a text body)
    /// and `extra` fields, one per line, from line 7 on.
    package static func template(body: String = "Body", _ extra: String...) -> String {
        "templates:\n  - slug: t\n    event_type: maintenance\n    subject_template: \"Work\"\n"
            + "    body_template: \"\(body)\"\n    body_format: text\n" + extra.map { "    \($0)\n" }.joined()
    }

    package init(_ files: [String: String?] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        var all: [String: String?] = Self.base
        for (k, v) in files { all[k] = v }
        for (path, text) in all {
            guard let text else { continue }
            try write(path, text)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: root.path)
    }

    package func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    package func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    package func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: url(path).path).map { String(decoding: $0, as: UTF8.self) }
    }

    package func remove() {
        _ = try? CLI.run(["/bin/chmod", "-R", "u+rwx", root.path], tool: true)
        try? FileManager.default.removeItem(at: root)
    }

    /// Both `validate` and `render` fail with exactly `stderr`.
    package func expectValidateAndRenderFail(_ stderr: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        for args in [["validate"], ["render", "--now", "2026-01-01T00:00:00Z"]] {
            let r = try CLI.run([args[0], root.path] + args.dropFirst())
            #expect(r.status == 1, sourceLocation: sourceLocation)
            #expect(r.stderr == stderr, sourceLocation: sourceLocation)
        }
    }

    @discardableResult
    package func run(_ command: String, _ args: [String] = [], env: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run([command, root.path] + args, env: env)
    }
}

extension CLI {
    /// Runs an executable other than `notices` (chmod, mkfifo) when `tool` is true.
    package static func run(_ args: [String], tool: Bool) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: args[0])
        p.arguments = Array(args.dropFirst())
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: "", stderr: "")
    }

    package static let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

    /// `notices` as the user nobody when the tests run as root (root may list any
    /// folder), else as ourselves.
    package static func unprivileged(_ args: [String]) throws -> Result {
        guard getuid() == 0 else { return try run(args) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: asNobody[0])
        p.arguments = Array(asNobody.dropFirst()) + [binary.path] + args
        return try capture(p)
    }

    /// `notices` under resource limits, as a hostile input would meet them in CI: at
    /// most `memory` bytes of address space, killed after `seconds`; optionally as the
    /// unprivileged user `nobody` with at most `processes` processes (limits on
    /// processes do not bind root).
    package static func limited(_ args: [String], memory: Int = 512 << 20, seconds: Int = 60,
                        processes: Int? = nil) throws -> (result: Result, elapsed: TimeInterval) {
        var wrapper = ["/usr/bin/timeout", "-s", "KILL", String(seconds), "/usr/bin/prlimit", "--as=\(memory)"]
        if let processes {
            // Root is not bound by RLIMIT_NPROC: run as nobody then.
            if getuid() == 0 { wrapper.insert(contentsOf: asNobody, at: 4) }
            wrapper.append("--nproc=\(processes)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: wrapper[0])
        p.arguments = Array(wrapper.dropFirst()) + [binary.path] + args
        let start = Date()
        let result = try capture(p)
        return (result, Date().timeIntervalSince(start))
    }
}
