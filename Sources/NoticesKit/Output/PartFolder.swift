import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder a shard writes (`render --shard I/N --out PART`) and a merge reads:
///
/// ```
/// PART/.notices-part        marks a part; SHA-256 of part.json and manifest.json
/// PART/part.json            shard, tree digest, now, base manifest, settled messages (Part)
/// PART/manifest.json        the settled messages' manifest entries (manifest format)
/// PART/messages/ID/NAME     the files of messages a merge may write
/// ```
///
/// A part is written beside its place and renamed into it when complete, so a part
/// is whole or absent. The loader and the tree digest skip part folders: parts may lie
/// inside ROOT without being read as data or changing the tree.
package struct PartFolder: Sendable, CustomStringConvertible {
    package let url: URL
    static let markerName = ".notices-part"
    static let header = "notices-part 1"

    package init(_ url: URL) { self.url = url }

    package var description: String { url.path }

    /// Whether the folder at `path` is a part.
    static func isPart(_ path: String) -> Bool { access(path + "/" + markerName, F_OK) == 0 }

    static func digest(_ data: Data) -> String { Hex.string(SHA256.hash(data: data)) }
    static func digest(_ bytes: [UInt8]) -> String { Hex.string(SHA256.hash(data: bytes)) }

    /// Writes a new file from pieces; returns the SHA-256 (hex) of its bytes.
    static func writeHashed(_ path: String, _ produce: ((Data) throws -> Void) throws -> Void) throws -> String {
        // createFile empties a file already there, so no old bytes can trail the new ones.
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw FileIO.posixError("cannot create \(path)")
        }
        defer { try? handle.close() }
        var hash = SHA256()
        try produce { piece in
            hash.update(data: piece)
            try handle.write(contentsOf: piece)
        }
        return Hex.string(hash.finalize())
    }

    /// A message's files as the part records them.
    static func digest(files: [String: Data]) -> String { Manifest.contentHash(files, includeRecipients: true) }

    // MARK: - Writing

    /// A part being written: into a temporary folder beside PART, moved into place by
    /// `finish`. Message files are written from the render threads.
    package final class Writer: Sendable {
        let target: PartFolder
        let temporary: URL

        /// Refuses a PART that exists and is not a part (never overwrite something else).
        package init(_ target: PartFolder) throws {
            self.target = target
            let fm = FileManager.default
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: target.url.path, isDirectory: &isDir) {
                let empty = isDir.boolValue && ((try? fm.contentsOfDirectory(atPath: target.url.path))?.isEmpty ?? false)
                guard empty || (isDir.boolValue && PartFolder.isPart(target.url.path)) else {
                    throw DiagnosticsError([.error(nil, "\(target.url.path) exists and is not a part of a sharded render; "
                                                   + "give --out a new folder (or a part to replace)")])
                }
            }
            let parent = target.url.deletingLastPathComponent()
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            temporary = parent.appendingPathComponent(".\(target.url.lastPathComponent).tmp-\(getpid())", isDirectory: true)
            try? fm.removeItem(at: temporary)
            try fm.createDirectory(at: temporary.appendingPathComponent("messages"), withIntermediateDirectories: true)
        }

        /// Writes a message's files; returns their digest for part.json.
        package func write(_ id: String, files: [String: Data]) throws -> String {
            let dir = temporary.path + "/messages/" + id
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
            for (name, data) in files { try FileIO.write(data, toPath: dir + "/" + name) }
            return PartFolder.digest(files: files)
        }

        /// Writes the part's description and moves the part into place.
        package func finish(_ part: Part) throws {
            // Both written in pieces, hashed as they go: a part of a large tree is big.
            let entries = try PartFolder.writeHashed(temporary.path + "/manifest.json") { emit in
                try Manifest(entries: part.messages.map(\.settlement.entry)).write(emit)
            }
            let description = try PartFolder.writeHashed(temporary.path + "/part.json") { emit in try part.writeJSON(emit) }
            let marker = "\(PartFolder.header)\npart.json \(description)\nmanifest.json \(entries)\n"
            try FileIO.write(Data(marker.utf8), toPath: temporary.path + "/" + PartFolder.markerName)
            sync()
            try? FileManager.default.removeItem(at: target.url)
            guard rename(temporary.path, target.url.path) == 0 else { throw FileIO.posixError("cannot move the part into \(target.url.path)") }
        }

        package func discard() { try? FileManager.default.removeItem(at: temporary) }
    }

    // MARK: - Reading

    /// The part, checked whole: its marker, the checksums of part.json and
    /// manifest.json, and that its messages folder holds exactly the messages it lists.
    /// The message files are checked as they are read (`files(of:)`).
    package func read() -> Result<Part, PartDamage> {
        let fm = FileManager.default
        guard let marker = fm.contents(atPath: url.path + "/" + Self.markerName) else {
            var isDir: ObjCBool = false
            let exists = fm.fileExists(atPath: url.path, isDirectory: &isDir)
            return .failure(PartDamage(!exists ? "no such folder" : !isDir.boolValue ? "not a folder"
                                       : "not a part of a sharded render (no \(Self.markerName); written by `notices render --shard I/N --out PART`)"))
        }
        let lines = String(decoding: marker, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.first == Self.header, lines.count == 3 else { return .failure(PartDamage("\(Self.markerName) is damaged")) }
        var digests: [String: String] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 2, ["part.json", "manifest.json"].contains(fields[0]) else {
                return .failure(PartDamage("\(Self.markerName) is damaged"))
            }
            digests[fields[0]] = fields[1]
        }
        guard digests.count == 2 else { return .failure(PartDamage("\(Self.markerName) is damaged")) }
        // One file at a time, its bytes dropped once parsed: a part of a large tree holds
        // tens of megabytes of each, and a merge reads every part while holding the others.
        func checked(_ name: String) -> Result<[UInt8], PartDamage> {
            guard let bytes = FileIO.regularBytes(atPath: url.path + "/" + name) else { return .failure(PartDamage("\(name) is missing")) }
            guard Self.digest(bytes) == digests[name] else { return .failure(PartDamage("\(name) was changed after the part was written")) }
            return .success(bytes)
        }
        let entries: [ManifestEntry]
        switch checked("manifest.json") {
        case .failure(let damage): return .failure(damage)
        case .success(let bytes):
            do {
                entries = try Manifest.parse(bytes, file: "manifest.json").entries
            } catch {
                return .failure(PartDamage("manifest.json: \(ErrorText.describe(error))"))
            }
        }
        return checked("part.json").flatMap { Part.decode($0, entries: entries) }.flatMap { part in
            let held = Set((try? fm.contentsOfDirectory(atPath: url.path + "/messages")) ?? [])
            let listed = Set(part.files.keys)
            if let extra = held.subtracting(listed).sorted().first { return .failure(PartDamage("messages/\(extra) is not listed in part.json")) }
            if let missing = listed.subtracting(held).sorted().first { return .failure(PartDamage("messages/\(missing) is missing")) }
            return .success(part)
        }
    }

    /// A message's files, checked against the part's digest of them.
    package func files(of id: String, digest: String) -> Result<[String: Data], PartDamage> {
        let dir = url.path + "/messages/" + id
        var files: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            guard let data = FileManager.default.contents(atPath: dir + "/" + name) else {
                return .failure(PartDamage("messages/\(id)/\(name) cannot be read"))
            }
            files[name] = data
        }
        guard Self.digest(files: files) == digest else { return .failure(PartDamage("the files of messages/\(id) were changed after the part was written")) }
        return .success(files)
    }
}
