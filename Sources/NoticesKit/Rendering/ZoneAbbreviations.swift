import Foundation

/// Time zone abbreviations (`CEST`, `EST`) as Python's zoneinfo prints them for `%Z`,
/// read from the system's TZif files; Foundation on Linux only offers `GMT+2`.
enum ZoneAbbreviations {
    struct Info {
        var offset: Int
        var isDST: Bool
        var abbreviation: String
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: [Info]] = [:]

    /// The abbreviation in `zone` for a moment with this UTC offset and DST flag.
    static func abbreviation(zone: String, offset: Int, isDST: Bool) -> String? {
        let infos = load(zone)
        // The last matching entry is the most recent rule's name.
        return infos.last { $0.offset == offset && $0.isDST == isDST }?.abbreviation
            ?? infos.last { $0.offset == offset }?.abbreviation
    }

    private static func load(_ zone: String) -> [Info] {
        lock.lock()
        defer { lock.unlock() }
        if let c = cache[zone] { return c }
        let infos = parse(zone) ?? []
        cache[zone] = infos
        return infos
    }

    /// The local time types of a TZif file (version 2+ body), in file order of use.
    private static func parse(_ zone: String) -> [Info]? {
        guard !zone.contains(".."), let data = FileManager.default.contents(atPath: "/usr/share/zoneinfo/" + zone) else { return nil }
        let b = [UInt8](data)
        func u32(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        func header(_ at: Int) -> (isut: Int, isstd: Int, leap: Int, time: Int, type: Int, char: Int)? {
            guard at + 44 <= b.count, b[at] == 0x54, b[at + 1] == 0x5A, b[at + 2] == 0x69, b[at + 3] == 0x66 else { return nil }
            return (u32(at + 20), u32(at + 24), u32(at + 28), u32(at + 32), u32(at + 36), u32(at + 40))
        }
        guard let h1 = header(0) else { return nil }
        var at = 0
        var timeSize = 4
        var h = h1
        if b[4] >= 0x32 { // version 2+: skip the 32-bit body to the 64-bit one
            let skip = 44 + h1.time * 5 + h1.type * 6 + h1.char + h1.leap * 8 + h1.isstd + h1.isut
            guard let h2 = header(skip) else { return nil }
            at = skip
            h = h2
            timeSize = 8
        }
        var p = at + 44
        let transitions = p
        p += h.time * timeSize
        let indices = Array(b[p..<min(b.count, p + h.time)])
        p += h.time
        let typesAt = p
        p += h.type * 6
        guard p + h.char <= b.count else { return nil }
        let chars = Array(b[p..<(p + h.char)])
        _ = transitions
        var types: [Info] = []
        for t in 0..<h.type {
            let o = typesAt + t * 6
            var off = u32(o)
            if off >= 1 << 31 { off -= 1 << 32 }
            let idx = Int(b[o + 5])
            let end = chars[idx...].firstIndex(of: 0) ?? chars.count
            types.append(Info(offset: off, isDST: b[o + 4] != 0, abbreviation: String(decoding: chars[idx..<end], as: UTF8.self)))
        }
        // Types in the order transitions use them, so the last match is the newest.
        var ordered: [Info] = []
        for i in indices where Int(i) < types.count { ordered.append(types[Int(i)]) }
        return ordered.isEmpty ? types : ordered + types.filter { t in !ordered.contains { $0.abbreviation == t.abbreviation && $0.offset == t.offset } }
    }
}
