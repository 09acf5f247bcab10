import Foundation
import Testing

/// examples/delivery/deliver.py against a real SMTP server (aiosmtpd on 127.0.0.1).
@Suite struct DeliveryTests {
    static let python: String? = {
        let venv = CLI.repoRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: venv)
        p.arguments = ["-c", "import aiosmtpd"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        p.waitUntilExit()
        return p.terminationStatus == 0 ? venv : nil
    }()

    @Test(.enabled(if: python != nil, "needs .venv with aiosmtpd (bash .ci/run makes it)"))
    func deliveryScriptSendsReadyMessagesAndRecordsOutcomes() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.python!)
        p.arguments = [CLI.repoRoot.appendingPathComponent("Tests/EndToEndTests/Consumers/smtp_delivery.py").path,
                       CLI.binary.path, tree.root.path, CLI.repoRoot.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, Comment(rawValue: text))
        #expect(text.hasSuffix("delivered 5, failed 2: 0 problems\n"), Comment(rawValue: text))
    }
}
