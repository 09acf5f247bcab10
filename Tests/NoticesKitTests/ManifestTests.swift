import Foundation
import Testing
@testable import NoticesKit

@Suite struct ManifestTests {
    static let entry = """
        {"id": "message-m1", "lineage": "message-m1", "sequence": 1, "status": "draft", "template": "t", "event": null, "tenant": null,
         "target": null, "content_hash": "\(String(repeating: "0", count: 64))", "rendered_at": "2026-01-01T00:00:00Z",
         "approved_by": null, "approved_at": null, "sent_at": null, "delivered_at": null, "viewed_at": null, "withdrawn_at": null, "orphaned": false,
         "recipients": null, "journal": []}
        """

    @Test func entriesAreReadWhereverTheListStands() throws {
        let before = try Manifest.parse(Array("{\"messages\": [\(Self.entry)], \"format\": 1}".utf8), file: "manifest.json")
        #expect(before.entries.map(\.id) == ["message-m1"])
        let after = try Manifest.parse(Array("{\"format\": 1, \"messages\": [\(Self.entry), \(Self.entry.replacingOccurrences(of: "message-m1", with: "message-m2"))]}".utf8), file: "manifest.json")
        #expect(after.entries.map(\.id) == ["message-m1", "message-m2"])
    }

    @Test func invalidUTF8InAStringIsDamage() {
        var bytes = Array("{\"format\": 1, \"messages\": [\(Self.entry.replacingOccurrences(of: "\"t\"", with: "\"t@\""))]}".utf8)
        bytes[bytes.firstIndex(of: UInt8(ascii: "@"))!] = 0xFF
        #expect(throws: DiagnosticsError.self) { try Manifest.parse(bytes, file: "manifest.json") }
        do {
            _ = try Manifest.parse(bytes, file: "manifest.json")
        } catch {
            #expect("\(error)".contains("manifest.json:1:") && "\(error)".contains("invalid JSON: a string is not valid UTF-8"), Comment(rawValue: "\(error)"))
        }
    }

    @Test func aDamagedEntryStopsTheRead() {
        let bad = Self.entry.replacingOccurrences(of: "\"sequence\": 1", with: "\"sequence\": 0")
        do {
            _ = try Manifest.parse(Array("{\"format\": 1, \"messages\": [\(Self.entry), \(bad)]}".utf8), file: "manifest.json")
            Issue.record("accepted a damaged entry")
        } catch {
            #expect("\(error)".contains("manifest.json:4:96: error: damaged manifest: message 'message-m1': 'sequence' must be at least 1, not 0"), Comment(rawValue: "\(error)"))
        }
    }
}
