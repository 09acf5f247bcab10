import ArgumentParser
import Foundation
import NoticesKit

/// Options of every command that changes message status.
struct LifecycleOptions: ParsableArguments {
    @Option(help: "The input tree.", completion: .directory)
    var root: String = "."

    @Option(help: "The output folder (default: the tree's settings.output).", completion: .directory)
    var out: String?

    @Flag(help: "Act on every message with --status.")
    var all = false

    @Option(help: "With --all: the status of the messages to act on.")
    var status: String?

    @Flag(help: "Print the changed manifest entries as JSON.")
    var json = false

    var outURL: URL {
        if let out { return URL(fileURLWithPath: out).standardizedFileURL }
        let root = URL(fileURLWithPath: self.root).standardizedFileURL
        let loaded = Loader.load(root: root)
        return RenderPipeline.outputURL(root: root, settings: loaded.model.settings, override: nil)
    }

    /// The IDs to act on: those given, or with --all those of --status.
    func ids(_ given: [String], out: URL) throws -> [String] {
        if all {
            guard let status, let s = MessageStatus(rawValue: status) else {
                throw ValidationError("--all needs --status (draft, ready, sent, delivered or failed)")
            }
            let manifest = try Manifest.read(out.appendingPathComponent("manifest.json")) ?? Manifest()
            return manifest.entries.filter { $0.status == s }.map(\.id).sorted()
        }
        guard !given.isEmpty else { throw ValidationError("give one or more message IDs, or --all --status S") }
        return given
    }

    func perform(_ action: Lifecycle.Action, ids given: [String], at: String?, by: String?, message: String?) throws {
        let out = outURL
        let at = try at.map { try parseTimestamp($0, option: "--at") }
        do {
            let changed = try Lifecycle.run(action, ids: try ids(given, out: out), out: out, at: at, by: by, message: message)
            if json {
                print(JSONValue.array(changed.map { .object([("id", .string($0.id)), ("status", .string($0.status.rawValue))]) }).pythonDumps())
            } else {
                for id in try ids(given, out: out) where !changed.contains(where: { $0.id == id }) || action == .discard {
                    print("\(id): discarded")
                }
                for e in changed { print("\(e.id): \(e.status.rawValue)") }
            }
        } catch let r as Lifecycle.Refusal {
            printError("error: \(r.description)")
            throw ExitCode(1)
        } catch let e as DiagnosticsError {
            report(e.diagnostics)
            throw ExitCode(1)
        }
    }
}

struct Approve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Approve draft messages: draft → ready.",
        discussion: """
        Recipients must not be empty; they are snapshotted into the manifest and \
        recipients.json is frozen from then on.

        Example:
          notices approve maintenance-zayo-2026-0142--acme --by noc@example.net
          notices approve --all --status draft --root examples/carrier
        """
    )
    @Argument(help: "Message IDs.") var ids: [String] = []
    @OptionGroup var options: LifecycleOptions
    @Option(help: "Who approves (default: NOTICES_USER, git user.email, login name).") var by: String?
    @Option(help: "A note for the journal.") var message: String?

    func run() throws {
        try options.perform(.approve, ids: ids, at: nil, by: by ?? Lifecycle.defaultUser(), message: message)
    }
}

struct Discard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete draft messages (folder and manifest entry).",
        discussion: "Example:\n  notices discard maintenance-lumen-2026-77 --root examples/carrier"
    )
    @Argument(help: "Message IDs.") var ids: [String] = []
    @OptionGroup var options: LifecycleOptions

    func run() throws {
        try options.perform(.discard, ids: ids, at: nil, by: Lifecycle.defaultUser(), message: nil)
    }
}

struct Mark: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record delivery: ready → sent, sent → delivered or failed, delivered → viewed.",
        discussion: """
        --at may not be in the future; sent_at ≥ approved_at and delivered_at ≥ sent_at.

        Example:
          notices mark maintenance-zayo-2026-0142--acme sent --at 2026-12-01T10:00:00Z
          notices mark maintenance-zayo-2026-0142--acme failed --message "550 mailbox unavailable"
        """
    )
    @Argument(help: "Message IDs, then the new state: sent, delivered, failed or viewed.") var arguments: [String] = []
    @OptionGroup var options: LifecycleOptions
    @Option(help: "When it happened (RFC 3339; default: now).") var at: String?
    @Option(help: "A note for the journal.") var message: String?

    func run() throws {
        guard let last = arguments.last, let action = Lifecycle.Action(rawValue: last),
              [.sent, .delivered, .failed, .viewed].contains(action) else {
            throw ValidationError("the last argument must be sent, delivered, failed or viewed")
        }
        try options.perform(action, ids: Array(arguments.dropLast()), at: at, by: Lifecycle.defaultUser(), message: message)
    }
}

struct Retry: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Queue failed messages again: failed → ready.",
        discussion: "Example:\n  notices retry maintenance-zayo-2026-0142--acme --message \"relay back up\""
    )
    @Argument(help: "Message IDs.") var ids: [String] = []
    @OptionGroup var options: LifecycleOptions
    @Option(help: "A note for the journal.") var message: String?

    func run() throws {
        try options.perform(.retry, ids: ids, at: nil, by: Lifecycle.defaultUser(), message: message)
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the messages of the manifest.",
        discussion: """
        Example:
          notices list --root examples/carrier
          notices list --status ready --json     # what a mail tool picks up
        """
    )
    @Option(help: "The input tree.", completion: .directory) var root: String = "."
    @Option(help: "The output folder (default: the tree's settings.output).") var out: String?
    @Option(help: "Only messages with this status.") var status: String?
    @Flag(help: "JSON: id, status, folder, subject, recipients, files.") var json = false

    func run() throws {
        let opts = try LifecycleOptions.parse(["--root", root] + (out.map { ["--out", $0] } ?? []))
        let outURL = opts.outURL
        if let status, MessageStatus(rawValue: status) == nil {
            throw ValidationError("--status must be draft, ready, sent, delivered or failed")
        }
        let manifest: Manifest
        do {
            manifest = try Manifest.read(outURL.appendingPathComponent("manifest.json")) ?? Manifest()
        } catch let e as DiagnosticsError {
            report(e.diagnostics)
            throw ExitCode(1)
        }
        let entries = manifest.entries.filter { status == nil || $0.status.rawValue == status }
            .sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        // JSON rows are printed as they are made (the same bytes as one dumped array):
        // a large manifest's list is hundreds of megabytes as one value.
        if json { print(entries.isEmpty ? "[]" : "[") }
        for (n, e) in entries.enumerated() {
            let folder = outURL.appendingPathComponent("messages/\(e.id)")
            let subject = FileManager.default.contents(atPath: folder.appendingPathComponent("subject").path).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let recipients = e.recipients ?? readRecipientsJSON(folder)
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            if json {
                var row = "  "
                JSONValue.object([
                    ("id", .string(e.id)), ("status", .string(e.status.rawValue)), ("sequence", .int(e.sequence)),
                    ("folder", .string(folder.path)), ("subject", .string(subject)),
                    ("recipients", .array(recipients.map { .object([("name", .string($0.name)), ("email", .string($0.email))]) })),
                    ("files", .array(files.map { .string($0) })), ("orphaned", .bool(e.orphaned)),
                ]).write(into: &row, indent: 2)
                print(n == entries.count - 1 ? row : row + ",")
            } else {
                let flag = e.orphaned ? " (orphaned)" : ""
                print("\(e.id)\t\(e.status.rawValue)\(flag)\t\(recipients.count) recipients\t\(subject)")
            }
        }
        if json && !entries.isEmpty { print("]") }
    }

    func readRecipientsJSON(_ folder: URL) -> [Recipient] {
        Lifecycle.recipients(in: folder) ?? []
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how an event's messages come about: groups, templates and scores, fields, recipients.",
        discussion: """
        Example:
          notices explain examples/carrier zayo-2026-0142
          notices explain examples/carrier zayo-2026-0142 --tenant acme
        """
    )
    @Argument(help: "The input tree.", completion: .directory) var root: String = "."
    @Argument(help: "An event id (or a standalone message id).") var event: String
    @Option(help: "Only the group of this tenant.") var tenant: String?

    func run() throws {
        let loaded = Loader.load(root: URL(fileURLWithPath: root).standardizedFileURL)
        if loaded.hasErrors {
            report(loaded.diagnostics)
            throw ExitCode(1)
        }
        do {
            print(try NoticesKit.Explain.report(ModelIndex(loaded.model), event: event, tenant: tenant), terminator: "")
        } catch let e as DiagnosticsError {
            report(e.diagnostics)
            throw ExitCode(1)
        }
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a JSON Schema (draft 2020-12) of the data files, or of notices.yaml.",
        discussion: """
        Editors that speak yaml-language-server (VS Code's YAML extension, Neovim,         Helix…) complete and check data files with it; CI can check files with any         JSON Schema validator.

        Example:
          notices schema > notices.schema.json
          # then, as the first line of each data file:
          # yaml-language-server: $schema=notices.schema.json
          notices schema --settings > notices-settings.schema.json   # for notices.yaml
        """
    )
    @Flag(help: "The schema of notices.yaml (the settings) instead of the data files.") var settings = false

    func run() throws {
        print((settings ? Schema.settingsDocument() : Schema.document()).pythonDumps())
    }
}
