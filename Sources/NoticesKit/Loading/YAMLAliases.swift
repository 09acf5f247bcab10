import Foundation
import Yams

/// YAML aliases with bounded cost. An alias stands for a copy of its anchor's node, so
/// a few hundred bytes of nested aliases ("billion laughs": 8 levels of 9 aliases) mean
/// 43 million nodes. Each anchored node is converted once and shared; an alias adds
/// its anchor's full size to a budget, and a file whose aliases would add more nodes
/// than max(100,000, the file's own nodes) is an error at the alias's anchor.
struct AliasExpansion {
    struct Exceeded: Error { let diagnostic: Diagnostic }
    /// A key written twice in one mapping in two spellings (`name:` and `"name":`),
    /// which Yams does not see as the same key.
    struct DuplicateKey: Error { let diagnostic: Diagnostic }

    static let minimumBudget = 100_000

    let file: String
    /// Nodes written in the file itself, and nodes that aliases add.
    private var ownNodes = 0
    private var aliasNodes = 0
    /// Converted anchored nodes and their sizes, by anchor and position: Yams hands an
    /// alias over as the anchored node itself, with the anchor's name and place.
    private var anchored: [String: (node: DataNode, size: Int)] = [:]

    init(file: String) { self.file = file }

    mutating func convert(_ node: Node) throws -> DataNode {
        var size = 0
        return try convert(node, adding: &size)
    }

    /// Converts `node` and adds its size (with aliases expanded) to `size`.
    private mutating func convert(_ node: Node, adding size: inout Int) throws -> DataNode {
        let loc = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        var key: String?
        if let anchor = node.anchor {
            let k = "\(anchor.rawValue)@\(loc.line):\(loc.column)"
            if let seen = anchored[k] {
                aliasNodes += seen.size
                if aliasNodes > max(Self.minimumBudget, ownNodes) {
                    throw Exceeded(diagnostic: .error(loc, "aliases of '&\(anchor.rawValue)' and others expand to more than "
                        + "\(max(Self.minimumBudget, ownNodes)) nodes (an alias is a full copy of its anchor); "
                        + "write the data out or use fewer nested aliases"))
                }
                size += seen.size
                return seen.node
            }
            key = k
        }
        ownNodes += 1
        var total = 1
        let result: DataNode
        switch node {
        case .scalar(let s):
            // Quoted, block and `!!str`-tagged scalars are always text.
            let quoted = (s.style != .plain && s.style != .any) || s.tag.description == "tag:yaml.org,2002:str"
            result = .scalar(s.string, quoted: quoted, loc)
        case .mapping(let map):
            var pairs: [(key: DataNode, value: DataNode)] = []
            pairs.reserveCapacity(map.count)
            for (k, v) in map { pairs.append((try convert(k, adding: &total), try convert(v, adding: &total))) }
            try Self.checkKeys(pairs)
            result = .mapping(pairs, loc)
        case .sequence(let seq):
            var items: [DataNode] = []
            items.reserveCapacity(seq.count)
            for item in seq { items.append(try convert(item, adding: &total)) }
            result = .sequence(items, loc)
        case .alias(let alias):
            result = .scalar(alias.anchor.rawValue, quoted: true, loc)
        }
        if let key { anchored[key] = (result, total) }
        size += total
        return result
    }

    /// The second of two keys with the same text is an error, at the second. Records
    /// have few keys: a linear search then, a dictionary for large mappings.
    private static func checkKeys(_ pairs: [(key: DataNode, value: DataNode)]) throws {
        guard pairs.count > 1 else { return }
        func refuse(_ key: DataNode, _ text: String, _ first: SourceLocation) -> DuplicateKey {
            DuplicateKey(diagnostic: .error(key.location, "duplicate key '\(text)' (first at line \(first.line), column \(first.column))"))
        }
        if pairs.count <= 16 {
            for i in 1..<pairs.count {
                guard let text = pairs[i].key.scalarText else { continue }
                for j in 0..<i where pairs[j].key.scalarText == text { throw refuse(pairs[i].key, text, pairs[j].key.location) }
            }
            return
        }
        var seen: [String: SourceLocation] = [:]
        for (k, _) in pairs {
            guard let text = k.scalarText else { continue }
            if let first = seen[text] { throw refuse(k, text, first) }
            seen[text] = k.location
        }
    }

    /// Before Yams composes a file: Yams compares mapping keys in full to find
    /// duplicates, so a key that is (or holds) an alias would be walked node by node
    /// with no bound. Data files only take text keys; in a file with anchors, a key that
    /// is an alias, a list or a mapping is refused before parsing. Nil when none is found.
    static func complexKey(in text: String, file: String) -> Diagnostic? {
        guard text.utf8.contains(UInt8(ascii: "&")), text.utf8.contains(UInt8(ascii: "*")) else { return nil }
        var blockParent: Int?
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let chars = Array(line.unicodeScalars)
            var i = 0
            while i < chars.count, chars[i] == " " { i += 1 }
            // Lines of a block scalar (`|` or `>`) are text, whatever they hold.
            if let parent = blockParent {
                if i == chars.count || chars[i] == "\r" || i > parent { continue }
                blockParent = nil
            }
            let indent = i
            while i + 1 < chars.count, chars[i] == "-", chars[i + 1] == " " { i += 2; while i < chars.count, chars[i] == " " { i += 1 } }
            if i < chars.count, chars[i] == "?", i + 1 == chars.count || chars[i + 1] == " " || chars[i + 1] == "\r" {
                return refusal(n + 1, i + 1, file, "an explicit key ('? ')")
            }
            var nodeStart = true
            var j = i
            while j < chars.count {
                let c = chars[j]
                if c == "#" && (j == 0 || chars[j - 1] == " ") { break }
                if nodeStart && (c == "\"" || c == "'") {
                    // A quoted scalar: skip to its end on this line.
                    j += 1
                    while j < chars.count {
                        if chars[j] == "\\" && c == "\"" { j += 2; continue }
                        if chars[j] == c { break }
                        j += 1
                    }
                    j += 1
                    nodeStart = false
                    continue
                }
                if nodeStart && c == "?" && (j + 1 == chars.count || " \r".unicodeScalars.contains(chars[j + 1])) {
                    return refusal(n + 1, j + 1, file, "an explicit key ('? ')")
                }
                if nodeStart && c == "*" {
                    var k = j + 1
                    while k < chars.count, isAnchorChar(chars[k]) { k += 1 }
                    var m = k
                    while m < chars.count, chars[m] == " " { m += 1 }
                    if m < chars.count, chars[m] == ":", m + 1 == chars.count || " \r,]}".unicodeScalars.contains(chars[m + 1]) {
                        return refusal(n + 1, j + 1, file, "an alias used as a key")
                    }
                    j = k
                    nodeStart = false
                    continue
                }
                if c == "]" || c == "}" {
                    var m = j + 1
                    while m < chars.count, chars[m] == " " { m += 1 }
                    if m < chars.count, chars[m] == ":", m + 1 == chars.count || " \r,]}".unicodeScalars.contains(chars[m + 1]) {
                        return refusal(n + 1, j + 1, file, "a list or mapping used as a key")
                    }
                }
                if c == "|" || c == ">", nodeStart, isBlockHeader(chars[(j + 1)...]) {
                    blockParent = indent
                    break
                }
                nodeStart = c == " " || c == "[" || c == "{" || c == ","
                j += 1
            }
        }
        return nil
    }

    /// libyaml's anchor names: letters, digits, `_` and `-`.
    static func isAnchorChar(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }

    /// `|`/`>` followed only by indicators (`-`, `+`, a digit), spaces and a comment.
    static func isBlockHeader(_ rest: ArraySlice<Unicode.Scalar>) -> Bool {
        var i = rest.startIndex
        while i < rest.endIndex, rest[i] == "-" || rest[i] == "+" || ("1"..."9").contains(rest[i]) { i += 1 }
        while i < rest.endIndex, rest[i] == " " || rest[i] == "\r" { i += 1 }
        return i == rest.endIndex || rest[i] == "#"
    }

    private static func refusal(_ line: Int, _ column: Int, _ file: String, _ what: String) -> Diagnostic {
        .error(SourceLocation(file: file, line: line, column: column),
               "\(what) in a file with anchors: keys that are aliases, lists or mappings are refused "
               + "(each use would be compared in full, with no bound); write keys as plain text")
    }
}
