import Foundation
import Testing
import TestSupport

/// examples/delivery/deliver.py against a real SMTP server (aiosmtpd on 127.0.0.1).
@Suite struct DeliveryTests {
    static let python = VenvPython.with("aiosmtpd")

    @Test(.enabled(if: python != nil, "needs .venv with aiosmtpd (bash .ci/run makes it)"))
    func deliveryScriptSendsReadyMessagesAndRecordsOutcomes() throws {
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        let r = try VenvPython.run(Self.python!, script: "smtp_delivery.py", [CLI.binary.path, tree.root.path, CLI.repoRoot.path])
        #expect(r.status == 0, Comment(rawValue: r.output))
        #expect(r.output.hasSuffix("delivered 5, failed 2: 0 problems\n"), Comment(rawValue: r.output))
    }
}
