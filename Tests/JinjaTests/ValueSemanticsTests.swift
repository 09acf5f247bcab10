import Jinja
import Testing

/// Values behave as values: a copy of a dict is independent of the original (the
/// entries live in a shared class and are copied on the first write).
@Suite struct ValueSemanticsTests {
    @Test func dictCopiesAreIndependent() {
        var a = Dict()
        a["k"] = .int(1)
        var b = a
        b["k"] = .int(2)
        b["n"] = .string("new")
        #expect(a["k"].map { try! $0.repr() } == "1")
        #expect(a["n"] == nil)
        #expect(a.count == 1 && b.count == 2)
        var c = b
        c[.string("k")] = nil
        #expect(c.count == 1 && b.count == 2)
        #expect(b.keys.map { try! $0.repr() } == ["'k'", "'n'"])
        #expect(c.keys.map { try! $0.repr() } == ["'n'"])
        #expect(c["n"].map { try! $0.str() } == "new")
    }

    @Test func dictKeepsInsertionOrderAndFindsKeysPastTheLinearLimit() {
        var d = Dict()
        for i in 0..<20 { d["key\(i)"] = .int(i) }
        #expect(d.count == 20)
        #expect(d["key17"].map { try! $0.repr() } == "17")
        d[.string("key3")] = nil
        #expect(d["key17"].map { try! $0.repr() } == "17")
        #expect(d["key3"] == nil)
        #expect(d.keys.first.map { try! $0.repr() } == "'key0'")
    }
}
