import ArgumentParser
import Foundation
import NoticesKit
#if canImport(Glibc)
import Glibc
#endif

@main
struct Notices: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices",
        abstract: "Render maintenance and outage notifications from a GitOps repository.",
        discussion: """
        notices reads providers, tenants, inventory, contacts, events and Jinja templates \
        from YAML/JSON files under ROOT and turns them into customer notifications.

        Example:
          notices validate examples/carrier
          notices render examples/carrier
          notices explain examples/carrier zayo-2026-0142 --tenant acme
          notices check examples/carrier          # in CI: exit 1 when out/ is stale
        """,
        subcommands: [Validate.self, Render.self, Check.self, Explain.self, List.self, Approve.self, Discard.self, Mark.self, Retry.self, PreviewCommand.self, SchemaCommand.self, TemplateCommand.self]
    )

    /// Like ArgumentParser's own `main`, but usage errors exit with 2 (SPEC §4),
    /// not EX_USAGE (64).
    static func main() {
        #if canImport(Glibc)
        // Keep freed memory in the process instead of trimming it back to the kernel
        // after every message: with two render threads the trim/fault churn tripled
        // the render time (docs/PERFORMANCE.md).
        _ = glibcMallopt(-1 /* M_TRIM_THRESHOLD */, 256 << 20)
        _ = glibcMallopt(-2 /* M_TOP_PAD */, 64 << 20)
        #endif
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // File-system errors that escape a command: a readable line, exit 1.
            if ErrorText.isFoundation(error) {
                printError("error: \(ErrorText.describe(error))")
                Foundation.exit(1)
            }
            let code = exitCode(for: error)
            if code.rawValue == 64 {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

#if canImport(Glibc)
/// glibc's `mallopt` (malloc.h is not part of the Glibc module).
@_silgen_name("mallopt")
func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32
#endif
