import Foundation
import Testing
import TestSupport

/// The sharded CI recipes of examples/ci run as their scheduler would run them: the
/// test reads each recipe (PyYAML), plays its render jobs one per shard with the
/// variables the scheduler sets (GitHub's matrix, GitLab's CI_NODE_INDEX, Kubernetes'
/// JOB_COMPLETION_INDEX), then its merge, on a generated repository with a committed
/// out/ and a newer commit; the merged out/ must be the bytes of one `notices render`,
/// and the recipe's sharded `check` jobs must then pass.
@Suite(.serialized) struct ShardRecipeTests {
    static let python = VenvPython.with("yaml")
    static let genTree = CLI.repoRoot.appendingPathComponent("../shared/bench/gen_tree.py").standardizedFileURL.path
    static let ready = python != nil && FileManager.default.fileExists(atPath: genTree)
    static let firstEpoch = "1795000000"
    /// The commit time of the newer commit, and the SOURCE_DATE_EPOCH the Kubernetes recipe sets.
    static let epoch = "1796115600"

    /// A git repository with a rendered and committed out/, then a commit that changes
    /// events; `expected` is what one render of it writes.
    struct Repository {
        let work: URL
        var repo: URL { work.appendingPathComponent("repo") }
        let expected: [String: Data]

        init() throws {
            work = FileManager.default.temporaryDirectory.appendingPathComponent("recipe-\(UUID().uuidString)")
            let repo = work.appendingPathComponent("repo")
            let gen = try VenvPython.run(ShardRecipeTests.python!, path: ShardRecipeTests.genTree,
                                         ["--seed", "7", "--events", "24", "--impacts-per-event", "3", "--exercise-edges", repo.path])
            try #require(gen.status == 0, Comment(rawValue: gen.output))
            let first = try CLI.run(["render", repo.path, "-q"], env: ["SOURCE_DATE_EPOCH": ShardRecipeTests.firstEpoch])
            try #require(first.status == 0, Comment(rawValue: first.stderr))
            try Self.git(repo, ["init", "-q"])
            try Self.git(repo, ["add", "-A"])
            try Self.git(repo, ["commit", "-q", "-m", "first"], date: ShardRecipeTests.firstEpoch)
            let events = repo.appendingPathComponent("events/maintenances/batch-000.yaml")
            let text = try String(contentsOf: events, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "\n  status: CONFIRMED\n", with: "\n  status: RE-SCHEDULED\n").utf8).write(to: events)
            try Self.git(repo, ["commit", "-q", "-a", "-m", "second"], date: ShardRecipeTests.epoch)
            // One render of a copy (the same tree: the render state covers it).
            let expected = work.appendingPathComponent("expected")
            try FileManager.default.copyItem(at: repo, to: expected)
            let render = try CLI.run(["render", expected.path, "-q"], env: ["SOURCE_DATE_EPOCH": ShardRecipeTests.epoch])
            try #require(render.status == 0, Comment(rawValue: render.stderr))
            self.expected = try ShardTests.files(expected.appendingPathComponent("out"))
            #expect(self.expected != (try ShardTests.files(repo.appendingPathComponent("out"))), "the new commit changes the output")
        }

        static func git(_ dir: URL, _ args: [String], date: String? = nil) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-c", "user.name=t", "-c", "user.email=t@example.net", "-c", "commit.gpgsign=false"] + args
            p.currentDirectoryURL = dir
            var env = ProcessInfo.processInfo.environment
            if let date { env["GIT_COMMITTER_DATE"] = "@\(date) +0000"; env["GIT_AUTHOR_DATE"] = "@\(date) +0000" }
            p.environment = env
            let r = try CLI.capture(p)
            try #require(r.status == 0, Comment(rawValue: r.stderr))
        }

        func remove() { try? FileManager.default.removeItem(at: work) }

        /// Runs a job's shell script as its runner would, with `notices` on the PATH.
        func run(_ script: String, env: [String: String], in dir: URL? = nil) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-ec", script]
            p.currentDirectoryURL = dir ?? repo
            var environment = ProcessInfo.processInfo.environment
            for name in ["CI_NODE_INDEX", "CI_NODE_TOTAL", "JOB_COMPLETION_INDEX", "NOTICES_SHARD_INDEX", "NOTICES_SHARD_TOTAL", "SOURCE_DATE_EPOCH"] {
                environment[name] = nil
            }
            environment["PATH"] = CLI.binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            for (k, v) in env { environment[k] = v }
            p.environment = environment
            let r = try CLI.capture(p)
            #expect(r.status == 0, Comment(rawValue: "\(script)\n\(r.stdout)\(r.stderr)"))
        }

        /// The merged out/ is the bytes of one render.
        func expectRendered() throws {
            let got = try ShardTests.files(repo.appendingPathComponent("out"))
            let differing = Set(expected.keys).union(got.keys).filter { expected[$0] != got[$0] }.sorted()
            #expect(differing.isEmpty, "\(differing.count) files differ: \(differing.prefix(8))")
        }
    }

    /// A recipe's documents as JSON values.
    static func documents(_ recipe: String) throws -> [Any] {
        let path = CLI.repoRoot.appendingPathComponent("examples/ci/\(recipe)").path
        let r = try VenvPython.run(python!, path: "-c", ["import sys, yaml, json; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))", path])
        try #require(r.status == 0, Comment(rawValue: r.output))
        return try #require(try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [Any])
    }

    /// The lines of a script that run notices or set the environment for it (not the
    /// build, not git pushes).
    static func noticesLines(_ lines: [String]) -> String {
        lines.flatMap { $0.split(separator: "\n").map(String.init) }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("notices ") || $0.hasPrefix("export ") }
            .joined(separator: "\n")
    }

    @Test(.enabled(if: ready, "needs .venv with pyyaml (bash .ci/run makes it) and ../shared/bench/gen_tree.py"))
    func gitHubActionsMatrixAndMerge() throws {
        let r = try Repository()
        defer { r.remove() }
        let jobs = try #require((try Self.documents("sharded-github-actions.yml").first as? [String: Any])?["jobs"] as? [String: [String: Any]])
        func play(_ name: String) throws {
            let job = try #require(jobs[name])
            let scripts = (job["steps"] as? [[String: Any]] ?? []).compactMap { $0["run"] as? String }
                .filter { $0.range(of: #"(?m)^\s*notices "#, options: .regularExpression) != nil }
            try #require(!scripts.isEmpty)
            let matrix = (job["strategy"] as? [String: Any])?["matrix"] as? [String: Any]
            let total = (matrix?["shard"] as? [Any])?.count ?? 1
            for index in 0..<total {
                var env: [String: String] = [:]
                for (k, v) in job["env"] as? [String: String] ?? [:] {
                    env[k] = v.replacingOccurrences(of: "${{ strategy.job-index }}", with: "\(index)")
                        .replacingOccurrences(of: "${{ strategy.job-total }}", with: "\(total)")
                }
                for script in scripts { try r.run(Self.noticesLines([script]), env: env) }
            }
        }
        try play("render")
        #expect(try FileManager.default.contentsOfDirectory(atPath: r.repo.appendingPathComponent("parts").path).sorted() == ["0", "1", "2", "3"])
        try play("merge")
        try r.expectRendered()
        try play("check")
    }

    @Test(.enabled(if: ready, "needs .venv with pyyaml (bash .ci/run makes it) and ../shared/bench/gen_tree.py"))
    func gitLabParallelAndMerge() throws {
        let r = try Repository()
        defer { r.remove() }
        let jobs = try #require(try Self.documents("sharded-gitlab-ci.yml").first as? [String: Any])
        func play(_ name: String) throws {
            let job = try #require(jobs[name] as? [String: Any])
            let script = Self.noticesLines((job["script"] as? [Any] ?? []).compactMap { $0 as? String })
            try #require(!script.isEmpty)
            guard let total = job["parallel"] as? Int else { return try r.run(script, env: ["CI_NODE_TOTAL": "1"]) }
            for index in 1...total { try r.run(script, env: ["CI_NODE_INDEX": "\(index)", "CI_NODE_TOTAL": "\(total)"]) }
        }
        try play("notices-render")
        try play("notices-merge")
        try r.expectRendered()
        try play("notices-check")
    }

    @Test(.enabled(if: ready, "needs .venv with pyyaml (bash .ci/run makes it) and ../shared/bench/gen_tree.py"))
    func kubernetesIndexedJobAndMerge() throws {
        let r = try Repository()
        defer { r.remove() }
        let jobs = try Self.documents("sharded-kubernetes.yml").compactMap { $0 as? [String: Any] }
        #expect(jobs.map { $0["kind"] as? String } == ["Job", "Job"])
        for job in jobs {
            let spec = try #require(job["spec"] as? [String: Any])
            let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
            let container = try #require((pod["containers"] as? [[String: Any]])?.first)
            let command = try #require(container["command"] as? [String])
            try #require(command.count == 3 && command[0] == "sh" && command[1] == "-c")
            // The volume's mount point is the test's folder.
            let script = command[2].replacingOccurrences(of: "/work", with: r.work.path)
            var env: [String: String] = [:]
            for e in container["env"] as? [[String: String]] ?? [] { env[e["name"]!] = e["value"] }
            if spec["completionMode"] as? String == "Indexed" {
                let total = try #require(spec["completions"] as? Int)
                #expect(env["NOTICES_SHARD_TOTAL"] == "\(total)")
                for index in 0..<total {
                    var shardEnv = env
                    shardEnv["JOB_COMPLETION_INDEX"] = "\(index)"
                    try r.run(script, env: shardEnv, in: r.work)
                }
            } else {
                try r.run(script, env: env, in: r.work)
            }
        }
        try r.expectRendered()
    }
}
