import Foundation
import Jinja
import Testing

/// Renders seeded random templates with Python Jinja2 (random_templates.py) and with
/// our engine; every output and every failure must agree.
@Suite struct DifferentialTests {
    struct Case: Decodable {
        let template: String
        let context: String
        let templates: [String: String]?
        let flags: [String: Bool]?
        let expected: String?
        let error: String?

        func environment() -> Environment {
            var env = Environment()
            env.loader = DictionaryLoader(templates ?? [:])
            env.autoescape = flags?["autoescape"] ?? false
            env.strictUndefined = flags?["strict_undefined"] ?? false
            env.options = LexerOptions(trimBlocks: flags?["trim_blocks"] ?? false, lstripBlocks: flags?["lstrip_blocks"] ?? false)
            return env
        }
    }

    static let python: String? = {
        for p in ["/usr/bin/python3", "/usr/local/bin/python3"] + (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map({ "\($0)/python3" }) where FileManager.default.isExecutableFile(atPath: p) {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: p)
            check.arguments = ["-c", "import jinja2"]
            check.standardError = FileHandle.nullDevice
            if (try? check.run()) != nil {
                check.waitUntilExit()
                if check.terminationStatus == 0 { return p }
            }
        }
        return nil
    }()

    static func generate(seed: Int, count: Int) throws -> [Case] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("random_templates.py")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python!)
        p.arguments = [script.path, "--seed", String(seed), "--count", String(count)]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONDecoder().decode([Case].self, from: data)
    }

    @Test(.enabled(if: python != nil, "needs python3 with Jinja2"))
    func randomTemplatesMatchPythonJinja2() throws {
        // JINJA_DIFF_SEED explores other seeds locally; CI uses the fixed one.
        let seed = Int(ProcessInfo.processInfo.environment["JINJA_DIFF_SEED"] ?? "") ?? 20261129
        let cases = try Self.generate(seed: seed, count: 2000)
        #expect(cases.count == 2000)
        let vars = try JSONReader.context(cases[0].context)
        var mismatches: [String] = []
        for (i, c) in cases.enumerated() {
            if ProcessInfo.processInfo.environment["JINJA_DIFF_TRACE"] != nil { FileHandle.standardError.write(Data("#\(i) \(c.template)\n".utf8)) }
            let result = Result { try c.environment().fromString(c.template).render(vars) }
            switch (result, c.expected) {
            case (.success(let out), let expected?) where out != expected:
                mismatches.append("#\(i) \(c.flags ?? [:]) \(c.template.debugDescription)\n  ours:   \(out.debugDescription)\n  Jinja2: \(expected.debugDescription)")
            case (.failure(let e), let expected?):
                mismatches.append("#\(i) \(c.template.debugDescription)\n  ours: error \(e)\n  Jinja2: \(expected.debugDescription)")
            case (.success(let out), nil):
                mismatches.append("#\(i) \(c.template.debugDescription)\n  ours: \(out.debugDescription)\n  Jinja2 failed: \(c.error ?? "")")
            default: break
            }
        }
        #expect(mismatches.isEmpty, Comment(rawValue: "\(mismatches.count) of 2000 differ:\n" + mismatches.prefix(40).joined(separator: "\n")))
    }
}
