import Foundation

/// Lowercase hexadecimal of bytes (digests in the manifest, fingerprints, MIME
/// boundaries). Foundation's `String(format:)` per byte was a tenth of a no-change render.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Zero-padded decimal (`pad(7, 2)` is "07"), for dates and times written many times
/// per message; `String(format:)` goes through Foundation's formatter every call.
func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(abs(value))
    let body = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    return value < 0 ? "-" + body : body
}

/// `pad(value, width)` appended as UTF-8 bytes.
func appendPadded(_ value: Int, _ width: Int, to out: inout [UInt8]) {
    if value < 0 { out.append(0x2D) }
    var v = value.magnitude
    var n = 1
    var scale: UInt = 1
    while v / scale >= 10 { scale *= 10; n += 1 }
    if n < width { out.append(contentsOf: repeatElement(0x30, count: width - n)) }
    while scale > 0 {
        out.append(0x30 + UInt8(v / scale))
        v %= scale
        scale /= 10
    }
}

/// Undoes backslash escapes: a backslash and a character of `meanings` stands for its
/// meaning, a backslash and any other character for that character.
func backslashUnescape(_ s: String, _ meanings: [Character: Character]) -> String {
    guard s.contains("\\") else { return s }
    var out = ""
    var escaping = false
    for c in s {
        if escaping {
            out.append(meanings[c] ?? c)
            escaping = false
        } else if c == "\\" {
            escaping = true
        } else {
            out.append(c)
        }
    }
    return out
}

/// "1 warning", "3 warnings": a count with its noun in the right number.
package func counted(_ count: Int, _ one: String, _ many: String? = nil) -> String {
    "\(count) \(count == 1 ? one : many ?? one + "s")"
}
