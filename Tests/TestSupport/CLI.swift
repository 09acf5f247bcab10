import Foundation

/// Runs the built `notices` binary, as a user would.
package struct CLI {
    package struct Result {
        package var status: Int32
        package var stdout: String
        package var stderr: String

        package init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    package static var binary: URL {
        // The test bundle sits next to the products of the same build.
        var dir = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("notices")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("notices binary not found near \(Bundle.main.bundleURL.path)")
    }

    package static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @discardableResult
    package static func run(_ args: [String], cwd: URL? = nil, env: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = cwd ?? repoRoot
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        return try capture(p)
    }

    /// Runs a configured process to its end and returns its status and output.
    package static func capture(_ p: Process) throws -> Result {
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read before waiting so a large output cannot fill the pipe and block.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }
}

/// The project's .venv Python (made by .ci/run), for tests that check our output with
/// real consumers written in Python.
package enum VenvPython {
    /// The interpreter when it exists and can import `modules`, else nil.
    package static func with(_ modules: String) -> String? {
        let venv = CLI.repoRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: venv)
        p.arguments = ["-c", "import \(modules)"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        p.waitUntilExit()
        return p.terminationStatus == 0 ? venv : nil
    }

    /// Runs a script of Tests/EndToEndTests/Consumers; returns exit status and all output.
    package static func run(_ python: String, script: String, _ args: [String]) throws -> (status: Int32, output: String) {
        try run(python, path: CLI.repoRoot.appendingPathComponent("Tests/EndToEndTests/Consumers/\(script)").path, args)
    }

    /// Runs the Python script at `path`; returns exit status and all output.
    package static func run(_ python: String, path: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [path] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }
}
