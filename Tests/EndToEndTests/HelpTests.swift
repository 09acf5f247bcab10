import Foundation
import Testing

/// Every subcommand's --help says what it does and shows an example.
@Suite struct HelpTests {
    static let commands = [[], ["validate"], ["render"], ["check"], ["explain"], ["list"], ["approve"], ["discard"],
                           ["mark"], ["retry"], ["preview"], ["schema"], ["template", "render"]]

    @Test(arguments: commands)
    func helpHasAnExample(command: [String]) throws {
        let r = try CLI.run(command + ["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("OVERVIEW: "))
        #expect(r.stdout.contains("\nExample:\n  notices "), Comment(rawValue: r.stdout))
        #expect(r.stdout.contains("USAGE: notices"))
    }
}
