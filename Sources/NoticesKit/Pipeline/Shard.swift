import Crypto
import Foundation

/// One of N shards of a render (SPEC §3.6): the events and standalone messages whose
/// key hashes to it. The key is the lineage's event key, `TYPE/ID` (`maintenance/M-1`)
/// or `message/ID`; its SHA-256, read as a big-endian integer, mod N, plus 1, is its
/// shard. A hash and not file order, so shards stay balanced and an event keeps its
/// shard when others come and go.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1 ≤ index ≤ count.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (1...count).contains(index) else {
            throw ShardError("shard \(index)/\(count): I must be between 1 and N (N ≥ 1)")
        }
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    /// `I/N`, as `--shard` takes it.
    public static func parse(_ text: String) throws -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ShardError("--shard: '\(text)' is not I/N (e.g. 2/4) or auto")
        }
        return try Shard(index: i, count: n)
    }

    /// The shard of a key: SHA-256 as a big-endian integer, mod `count`, plus 1.
    public static func of(key: String, count: Int) -> Int {
        var r = 0
        for byte in SHA256.hash(data: Data(key.utf8)) { r = (r * 256 + Int(byte)) % count }
        return r + 1
    }

    func owns(key: String) -> Bool { Self.of(key: key, count: count) == index }

    /// The key of what makes a unit's messages.
    static func key(_ unit: Planner.Unit) -> String {
        switch unit {
        case .event(let e): return "\(e.kind.rawValue)/\(e.id)"
        case .standalone(let m): return "message/\(m.id)"
        }
    }

    func owns(_ unit: Planner.Unit) -> Bool { owns(key: Self.key(unit)) }

    /// Whose a manifest entry is: its event's, or its standalone message's (found by
    /// lineage in `standalone`, lineage → message id). A standalone message that is no
    /// longer in the data is known only by its lineage, which stands in for its id.
    static func key(_ entry: ManifestEntry, standalone: [String: String]) -> String {
        if let event = entry.event { return "\(event.kind.rawValue)/\(event.id)" }
        if let id = standalone[entry.lineage] { return "message/\(id)" }
        return "message/" + (entry.lineage.hasPrefix("message-") ? String(entry.lineage.dropFirst(8)) : entry.lineage)
    }

    /// Lineage → id of every standalone message of the model.
    static func standaloneLineages(_ model: Model) -> [String: String] {
        var map: [String: String] = [:]
        for m in model.messages { map[Planner.sanitizeID("message-\(m.id)")] = m.id }
        return map
    }

    // MARK: - From the environment

    /// The variables `--shard auto` reads, in order (docs: README "Past one machine").
    /// GitLab's `parallel:` numbers from 1; Kubernetes and GitHub Actions from 0.
    public static func fromEnvironment(_ env: [String: String]) throws -> Shard {
        func number(_ name: String) throws -> Int? {
            guard let text = env[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let n = Int(text) else { throw ShardError("--shard auto: \(name)='\(text)' is not a number") }
            return n
        }
        func pair(_ indexName: String, _ totalName: String, base: Int) throws -> Shard? {
            let i = try number(indexName), n = try number(totalName)
            if i == nil && n == nil { return nil }
            guard let i, let n else {
                throw ShardError("--shard auto: \(i == nil ? indexName : totalName) is not set (\(i == nil ? totalName : indexName) is)")
            }
            do {
                return try Shard(index: i - base + 1, count: n)
            } catch {
                throw ShardError("--shard auto: \(indexName)=\(i) and \(totalName)=\(n) do not name a shard "
                                 + "(\(indexName) counts from \(base))")
            }
        }
        // Whose index is set decides (a total alone says nothing: GitLab sets
        // CI_NODE_TOTAL=1 in every job, the Kubernetes recipe sets NOTICES_SHARD_TOTAL).
        let schedulers = [("NOTICES_SHARD_INDEX", "NOTICES_SHARD_TOTAL", 0), ("CI_NODE_INDEX", "CI_NODE_TOTAL", 1),
                          ("JOB_COMPLETION_INDEX", "NOTICES_SHARD_TOTAL", 0)]
        for (index, total, base) in schedulers where try number(index) != nil {
            if let s = try pair(index, total, base: base) { return s }
        }
        throw ShardError("--shard auto: no shard in the environment; set NOTICES_SHARD_INDEX (from 0) and NOTICES_SHARD_TOTAL "
                         + "(GitHub Actions: strategy.job-index, strategy.job-total), or run under GitLab parallel: "
                         + "(CI_NODE_INDEX, CI_NODE_TOTAL) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with "
                         + "NOTICES_SHARD_TOTAL set to its completions)")
    }
}

/// A `--shard` value that names no shard: a usage error.
public struct ShardError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
