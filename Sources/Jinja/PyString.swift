/// Python's `str` methods that search, split and pad, with Python's results (code
/// points, no normalization). Searching works on UTF-8 bytes.
enum PyString {
    /// `s.replace(old, new, count)`; count < 0 replaces all.
    static func replace(_ s: String, _ old: String, _ new: String, _ count: Int) -> String {
        if count == 0 { return s }
        return withBytes(s) { hay in
            withBytes(old) { needle in
                withBytes(new) { repl in
                    if needle.isEmpty {
                        // Python inserts `new` before every code point and at the end.
                        var out = ByteBuilder(capacity: hay.count + repl.count * (hay.count + 1))
                        var n = 0
                        for i in 0..<hay.count {
                            if hay[i] & 0xC0 != 0x80 && (count < 0 || n < count) { out.append(repl); n += 1 }
                            out.append(hay[i])
                        }
                        if count < 0 || n < count { out.append(repl) }
                        return out.string
                    }
                    guard let first = findBytes(hay, needle) else { return s }
                    // Count first, then write the result in place: one allocation.
                    var n = 0
                    var at: Int? = first
                    while let k = at, count < 0 || n < count {
                        n += 1
                        at = findBytes(hay, needle, from: k + needle.count)
                    }
                    let total = hay.count + n * (repl.count - needle.count)
                    return String(unsafeUninitializedCapacity: total) { out in
                        var w = 0, start = 0
                        var k = first
                        for m in 0..<n {
                            if m > 0 { k = findBytes(hay, needle, from: start)! }
                            let run = k - start
                            if run > 0 { UnsafeMutableRawPointer(out.baseAddress! + w).copyMemory(from: hay.baseAddress! + start, byteCount: run) }
                            w += run
                            if repl.count > 0 { UnsafeMutableRawPointer(out.baseAddress! + w).copyMemory(from: repl.baseAddress!, byteCount: repl.count) }
                            w += repl.count
                            start = k + needle.count
                        }
                        let rest = hay.count - start
                        if rest > 0 { UnsafeMutableRawPointer(out.baseAddress! + w).copyMemory(from: hay.baseAddress! + start, byteCount: rest) }
                        return w + rest
                    }
                }
            }
        }
    }

    /// How long `replace` would make its result, to check size limits before building it.
    static func replacedLength(_ s: String, _ old: String, _ new: String, _ count: Int) -> Int {
        let hits: Int
        if old.isEmpty {
            hits = PyText.length(s) + 1
        } else if new.utf8.count <= old.utf8.count {
            return s.utf8.count
        } else {
            hits = occurrences(s, old)
        }
        let n = count < 0 ? hits : min(count, hits)
        return s.utf8.count + n * (new.utf8.count - (old.isEmpty ? 0 : old.utf8.count))
    }

    /// `s.count(sub)`: non-overlapping occurrences.
    static func occurrences(_ s: String, _ sub: String) -> Int {
        if sub.isEmpty { return PyText.length(s) + 1 }
        return withBytes(s) { hay in
            withBytes(sub) { needle in
                var n = 0, from = 0
                while let at = findBytes(hay, needle, from: from) { n += 1; from = at + needle.count }
                return n
            }
        }
    }

    /// `s.find(sub)` / `s.rfind(sub)` as a code point index, or nil.
    static func find(_ s: String, _ sub: String, last: Bool) -> Int? {
        withBytes(s) { hay in
            withBytes(sub) { needle in
                let at = last ? findLastBytes(hay, needle) : findBytes(hay, needle)
                return at.map { codePointCount(hay, upTo: $0) }
            }
        }
    }

    /// Splits around the first (or last) occurrence of `sep`: (before, after), or nil.
    static func partition(_ s: String, _ sep: String, last: Bool) -> (String, String)? {
        withBytes(s) { hay in
            withBytes(sep) { needle in
                guard let at = last ? findLastBytes(hay, needle) : findBytes(hay, needle) else { return nil }
                return (makeString(UnsafeBufferPointer(rebasing: hay[0..<at])),
                        makeString(UnsafeBufferPointer(rebasing: hay[(at + needle.count)...])))
            }
        }
    }

    static func hasPrefix(_ s: String, _ p: String) -> Bool {
        s.utf8.count >= p.utf8.count && s.utf8.starts(with: p.utf8)
    }

    static func hasSuffix(_ s: String, _ p: String) -> Bool {
        s.utf8.count >= p.utf8.count && s.utf8.reversed().starts(with: p.utf8.reversed())
    }

    static func dropPrefix(_ s: String, bytes n: Int) -> String {
        withBytes(s) { makeString(UnsafeBufferPointer(rebasing: $0[n...])) }
    }

    static func dropSuffix(_ s: String, bytes n: Int) -> String {
        withBytes(s) { makeString(UnsafeBufferPointer(rebasing: $0[..<($0.count - n)])) }
    }

    /// `s.split(sep, maxsplit)`; nil sep splits on runs of whitespace.
    static func split(_ s: String, _ sep: String?, _ maxsplit: Int) -> [String] {
        let limit = maxsplit < 0 ? Int.max : maxsplit
        guard let sep else {
            let u = PyText.scalars(s)
            var out: [String] = []
            var i = 0
            while i < u.count {
                while i < u.count && PyText.isSpace(u[i]) { i += 1 }
                if i == u.count { break }
                if out.count == limit {
                    var end = u.count
                    while end > i && PyText.isSpace(u[end - 1]) { end -= 1 }
                    out.append(PyText.string(u[i..<end]))
                    break
                }
                let start = i
                while i < u.count && !PyText.isSpace(u[i]) { i += 1 }
                out.append(PyText.string(u[start..<i]))
            }
            return out
        }
        return withBytes(s) { hay in
            withBytes(sep) { needle in
                var out: [String] = []
                var start = 0
                while out.count < limit, let at = findBytes(hay, needle, from: start) {
                    out.append(makeString(UnsafeBufferPointer(rebasing: hay[start..<at])))
                    start = at + needle.count
                }
                out.append(makeString(UnsafeBufferPointer(rebasing: hay[start...])))
                return out
            }
        }
    }

    /// `s.rsplit(sep, maxsplit)`.
    static func rsplit(_ s: String, _ sep: String?, _ maxsplit: Int) -> [String] {
        if maxsplit < 0 { return split(s, sep, -1) }
        guard let sep else {
            let reversed = PyText.string(s.unicodeScalars.reversed())
            return split(reversed, nil, maxsplit).map { PyText.string($0.unicodeScalars.reversed()) }.reversed()
        }
        return withBytes(s) { hay in
            withBytes(sep) { needle in
                var out: [String] = []
                var end = hay.count
                while out.count < maxsplit, let at = findLastBytes(hay, needle, end: end) {
                    out.append(makeString(UnsafeBufferPointer(rebasing: hay[(at + needle.count)..<end])))
                    end = at
                }
                out.append(makeString(UnsafeBufferPointer(rebasing: hay[..<end])))
                return out.reversed()
            }
        }
    }

    /// `s.splitlines(keepends)`: \n, \r, \r\n, \v, \f, \x1c-\x1e, \x85, \u2028, \u2029.
    static func splitlines(_ s: String, keepends: Bool = false) -> [String] {
        let u = PyText.scalars(s)
        var out: [String] = []
        var start = 0, i = 0
        while i < u.count {
            if PyText.isLineBreak(u[i]) {
                var end = i + 1
                if u[i] == "\r" && end < u.count && u[end] == "\n" { end += 1 }
                out.append(PyText.string(u[start..<(keepends ? end : i)]))
                start = end
                i = end
            } else {
                i += 1
            }
        }
        if start < u.count { out.append(PyText.string(u[start...])) }
        return out
    }

    /// `s.strip(chars)`, `lstrip`, `rstrip`; nil chars strips whitespace.
    static func strip(_ s: String, _ chars: String?, left: Bool, right: Bool) -> String {
        if chars == nil {
            // Whitespace at the ends is mostly ASCII: trim bytes while they are; only
            // a non-ASCII byte at an end needs the code point rules.
            let fast: String? = withBytes(s) { b in
                func space(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) }
                var lo = 0, hi = b.count
                if left { while lo < hi, space(b[lo]) { lo += 1 } }
                if right { while hi > lo, space(b[hi - 1]) { hi -= 1 } }
                if (left && lo < hi && b[lo] >= 0x80) || (right && hi > lo && b[hi - 1] >= 0x80) { return nil }
                if lo == 0 && hi == b.count { return s }
                return makeString(UnsafeBufferPointer(rebasing: b[lo..<hi]))
            }
            if let fast { return fast }
        }
        let set = chars.map { Set($0.unicodeScalars) }
        func drop(_ c: Unicode.Scalar) -> Bool { set.map { $0.contains(c) } ?? PyText.isSpace(c) }
        let u = s.unicodeScalars
        var start = u.startIndex, end = u.endIndex
        if left { while start < end, drop(u[start]) { start = u.index(after: start) } }
        if right { while end > start, drop(u[u.index(before: end)]) { end = u.index(before: end) } }
        if start == u.startIndex && end == u.endIndex { return s }
        return String(u[start..<end])
    }

    static func center(_ s: String, _ width: Int, _ fill: Unicode.Scalar) -> String {
        let n = PyText.length(s)
        guard width > n else { return s }
        let marg = width - n
        let left = marg / 2 + (marg & width & 1)
        return repeated(fill, left) + s + repeated(fill, marg - left)
    }

    static func ljust(_ s: String, _ width: Int, _ fill: Unicode.Scalar) -> String {
        let n = PyText.length(s)
        return n >= width ? s : s + repeated(fill, width - n)
    }

    static func rjust(_ s: String, _ width: Int, _ fill: Unicode.Scalar) -> String {
        let n = PyText.length(s)
        return n >= width ? s : repeated(fill, width - n) + s
    }

    static func zfill(_ s: String, _ width: Int) -> String {
        let n = PyText.length(s)
        guard n < width else { return s }
        let pad = String(repeating: "0", count: width - n)
        if let f = s.unicodeScalars.first, f == "+" || f == "-" { return String(f) + pad + String(s.unicodeScalars.dropFirst()) }
        return pad + s
    }

    static func repeated(_ c: Unicode.Scalar, _ n: Int) -> String {
        n <= 0 ? "" : String(repeating: String(c), count: n)
    }

    /// `sep.join(parts)`, written into one allocation.
    static func join(_ parts: [String], separator sep: String) -> String {
        guard parts.count > 1 else { return parts.first ?? "" }
        let total = parts.reduce(0) { $0 + $1.utf8.count } + sep.utf8.count * (parts.count - 1)
        return withBytes(sep) { sepBytes in
            String(unsafeUninitializedCapacity: total) { out in
                var w = 0
                for (i, part) in parts.enumerated() {
                    if i > 0, let base = sepBytes.baseAddress {
                        UnsafeMutableRawPointer(out.baseAddress! + w).copyMemory(from: base, byteCount: sepBytes.count)
                        w += sepBytes.count
                    }
                    withBytes(part) { b in
                        if let base = b.baseAddress { UnsafeMutableRawPointer(out.baseAddress! + w).copyMemory(from: base, byteCount: b.count) }
                        w += b.count
                    }
                }
                return w
            }
        }
    }

    /// The code points of `s` selected by a Python slice.
    static func slice(_ s: String, _ indices: [Int]) -> String {
        let u = PyText.scalars(s)
        var out = String.UnicodeScalarView()
        for i in indices { out.append(u[i]) }
        return String(out)
    }
}
