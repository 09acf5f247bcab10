import Foundation

extension String {
    /// Whether the string sorts before `other` by code point: the order of Python's
    /// `sorted()` on str and of `json.dumps(sort_keys=True)`. That is UTF-8 byte order,
    /// so it is one memcmp (a generic walk over the UTF-8 views costs many times more,
    /// and sorting keys and ids is done for every file a render writes).
    func precedesByCodePoint(_ other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = Swift.min(x.count, y.count)
                if n > 0 {
                    let c = memcmp(x.baseAddress!, y.baseAddress!, n)
                    if c != 0 { return c < 0 }
                }
                return x.count < y.count
            }
        }
    }
}
