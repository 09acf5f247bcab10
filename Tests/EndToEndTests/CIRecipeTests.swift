import Foundation
import Testing
import TestSupport

/// The CI recipes in examples/ci are valid YAML and every `notices` command in them
/// works on a repository laid out like examples/carrier (committed output, `out`).
@Suite struct CIRecipeTests {
    static let recipes = ["examples/ci/github-actions.yml", "examples/ci/gitlab-ci.yml"]

    /// `notices …` command lines of a recipe, as written (a `run:` value or a list item).
    static func commands(in text: String) -> [[String]] {
        text.split(separator: "\n").compactMap { line in
            var s = line.trimmingCharacters(in: .whitespaces)
            for prefix in ["run: ", "- "] where s.hasPrefix(prefix) { s.removeFirst(prefix.count) }
            guard s.hasPrefix("notices ") else { return nil }
            return s.split(separator: " ").dropFirst().map(String.init)
        }
    }

    @Test(arguments: recipes)
    func everyNoticesCommandRunsOnTheCarrierExample(recipe: String) throws {
        let text = String(decoding: try Data(contentsOf: CLI.repoRoot.appendingPathComponent(recipe)), as: UTF8.self)
        let commands = Self.commands(in: text)
        #expect(commands.map { $0[0] } == ["validate", "preview", "check"])
        let tree = try TreeCopy("examples/carrier")
        defer { tree.remove() }
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("examples/carrier/out"), to: tree.root.appendingPathComponent("out"))
        for args in commands {
            let r = try CLI.run(args, cwd: tree.root)
            #expect(r.status == 0, Comment(rawValue: "notices \(args.joined(separator: " ")): \(r.stdout)\(r.stderr)"))
        }
        #expect(FileManager.default.fileExists(atPath: tree.root.appendingPathComponent("out/preview/index.html").path))
        // The check step fails a stale pull request and shows the diff.
        try tree.edit("events/outages.yaml", "splicing crew on site.", "splicing crew on site, ETA moved.")
        let stale = try CLI.run(commands[2], cwd: tree.root)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("+Fibre cut on the Amsterdam metro ring; splicing crew on site, ETA moved."))
    }

    static let python = VenvPython.with("yaml")

    @Test(.enabled(if: python != nil, "needs .venv with pyyaml (bash .ci/run makes it)"), arguments: recipes)
    func recipeIsValidYAML(recipe: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.python!)
        p.arguments = ["-c", "import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(sorted(map(str, d)))",
                       CLI.repoRoot.appendingPathComponent(recipe).path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        // PyYAML reads the GitHub `on:` key as the boolean True.
        #expect(text == (recipe.contains("github") ? "['True', 'env', 'jobs', 'name']\n" : "['default', 'notices-check', 'notices-deliver', 'variables']\n"))
    }
}
