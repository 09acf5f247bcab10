import Foundation
import Testing
@testable import NoticesKit

@Suite struct InputFingerprintTests {
    /// `.fingerprints` is written in pieces; its bytes are those of the whole object as
    /// `json.dumps(indent=2, sort_keys=True)` writes it (JSONValue), plus a newline.
    @Test func theFileInPiecesIsTheWholeDump() throws {
        let warning = Diagnostic.warning(SourceLocation(file: "events/a \"b\".yaml", line: 3, column: 7), "no recipients\tat all")
        var cases: [[String: InputFingerprint.Cached]] = [[:], ["only": .init(fingerprint: "f")]]
        var many: [String: InputFingerprint.Cached] = [:]
        for n in 0..<5_000 {
            let id = n % 3 == 0 ? "maintenance-é\(n)" : "m\(n)"
            many[id] = .init(fingerprint: String(n, radix: 16), warnings: n % 5 == 0 ? [warning, .warning(nil, "w\(n)")] : [])
        }
        cases.append(many)
        for fingerprints in cases {
            let whole = JSONValue.object(fingerprints.map { id, cached in
                guard !cached.warnings.isEmpty else { return (id, .string(cached.fingerprint)) }
                return (id, .array([.string(cached.fingerprint)] + cached.warnings.map { w in
                    .array([.string(w.location?.file ?? ""), .int(w.location?.line ?? 0), .int(w.location?.column ?? 0), .string(w.message)])
                }))
            }).pythonDumps() + "\n"
            var pieces = Data()
            InputFingerprint.write(fingerprints) { pieces.append($0) }
            #expect(pieces == Data(whole.utf8))
            // And what is read back is what was written.
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("fingerprints-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: url) }
            try pieces.write(to: url)
            #expect(InputFingerprint.read(url) == fingerprints)
        }
    }
}
