import Crypto
import Foundation
import Jinja
import Testing
import TestSupport
@testable import NoticesKit

@Suite struct BoundedCacheTests {
    @Test func forgetsEverythingWhenFullAndKeepsWorking() {
        let cache = BoundedCache<Int, String>(limit: 3)
        for i in 0..<3 { cache.set(i, "v\(i)") }
        #expect((0..<3).map { cache[$0] } == ["v0", "v1", "v2"])
        cache.set(3, "v3")
        #expect((0..<4).map { cache[$0] } == [nil, nil, nil, "v3"])
    }

    @Test func eventObjectsAreRebuiltAlikeAfterEviction() throws {
        var events = "maintenances:\n"
        for i in 0..<1_100 {
            events += "  - {id: m\(i), summary: s, provider: zayo, status: CONFIRMED, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z, impacts: [{circuit: C1}]}\n"
        }
        let (idx, _) = try model(events)
        let objects = ModelObjects(idx)
        let first = try #require(objects.eventObjects(EventRef(kind: .maintenance, id: "m0")))
        for i in 1..<1_100 { _ = objects.eventObjects(EventRef(kind: .maintenance, id: "m\(i)")) }
        let again = try #require(objects.eventObjects(EventRef(kind: .maintenance, id: "m0")))
        let cache = InputFingerprint.makeCache()
        func digest(_ v: Value) -> String {
            var h = SHA256()
            InputFingerprint.digest(v, &h, cache)
            return Hex.string(h.finalize())
        }
        guard case .object(let a) = first.event, case .object(let b) = again.event else { Issue.record("not objects"); return }
        #expect(a !== b, "m0 should have been evicted and rebuilt")
        #expect(digest(first.event) == digest(again.event))
        #expect(first.impacts.map(digest) == again.impacts.map(digest))
    }
}
