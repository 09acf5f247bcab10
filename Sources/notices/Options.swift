import ArgumentParser
import Foundation
import NoticesKit

/// `-C DIR`, on every command: run as if started in DIR (as git and make do), so a
/// script never needs to know which commands take ROOT as an argument.
/// Repeatable after the command as before it (`notices render -C a -C b` is
/// `notices -C a -C b render`): each DIR relative to the one before, as git does.
struct DirectoryOption: ParsableArguments {
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if started in DIR.", valueName: "dir"), completion: .directory)
    var directories: [String] = []

    /// Changes into each DIR in turn; call once, before any path is resolved.
    func enter() throws {
        for directory in directories { try changeDirectory(directory) }
    }
}

/// Changes the working directory, or fails as a usage error.
func changeDirectory(_ path: String) throws {
    guard FileManager.default.changeCurrentDirectoryPath(path) else {
        throw ValidationError("-C: cannot change to '\(path)'")
    }
}

/// The output folder option shared by every command that reads or writes OUT.
struct OutOption: ParsableArguments {
    @Option(help: "The output folder (default: the tree's settings.output, usually ROOT/out).", completion: .directory)
    var out: String?

    var url: URL? { out.map { URL(fileURLWithPath: $0).standardizedFileURL } }

    /// --out, checked against ROOT: the tree itself, a folder holding it, the file-system
    /// root or a symbolic link cannot be the output folder (a usage error).
    func checked(root: URL) throws -> URL? {
        guard let url else { return nil }
        if let problem = OutputFolder.problem(out: url, root: root, fromSettings: false) {
            throw ValidationError("--out: \(url.path) \(problem)")
        }
        return url
    }
}

/// An input tree given as ROOT (render, check, validate, explain, preview).
struct TreeOptions: ParsableArguments {
    @OptionGroup var directory: DirectoryOption

    @Argument(help: "The input tree.", completion: .directory)
    var root: String = "."

    var rootURL: URL { URL(fileURLWithPath: root).standardizedFileURL }

    /// Enters -C DIR and checks that ROOT is a folder.
    func enter() throws {
        try directory.enter()
        try checkFolder(root)
    }
}

/// An input tree given with --root (list and the lifecycle commands, whose arguments
/// are message IDs), and its output folder.
struct OutputOptions: ParsableArguments {
    @OptionGroup var directory: DirectoryOption

    @Option(help: "The input tree.", completion: .directory)
    var root: String = "."

    @OptionGroup var out: OutOption

    /// Enters -C DIR and finds OUT: --out, else the settings' output under ROOT (only
    /// notices.yaml is read).
    func enter() throws -> OutputFolder {
        try directory.enter()
        let rootURL = URL(fileURLWithPath: root).standardizedFileURL
        let outURL = try out.checked(root: rootURL)
        return try reportingFailures { try OutputFolder.locate(root: rootURL, override: outURL) }
    }
}

func checkFolder(_ path: String) throws {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: URL(fileURLWithPath: path).path, isDirectory: &isDir), isDir.boolValue else {
        throw ValidationError("'\(path)' is not a folder")
    }
}

extension MessageStatus: ExpressibleByArgument {}
extension Lifecycle.Action: ExpressibleByArgument {}

/// `--shard I/N`, or `auto`: from the environment of the CI (Shard.fromEnvironment).
func parseShard(_ text: String) throws -> Shard {
    do {
        return text == "auto" ? try Shard.fromEnvironment(ProcessInfo.processInfo.environment) : try Shard.parse(text)
    } catch let e as ShardError {
        throw ValidationError(e.description)
    }
}
