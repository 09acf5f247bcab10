import Foundation

extension String {
    /// Whether nothing is left once Unicode whitespace is trimmed, as
    /// `trimmingCharacters(in: .whitespaces)` (or `.whitespacesAndNewlines` with
    /// `newlines`) tells, without Foundation's cost for ASCII text (an invite's
    /// properties and a message's CSS are checked for every message): any other ASCII
    /// character decides at once; only text of spaces and non-ASCII characters is left
    /// to Foundation.
    func isBlank(newlines: Bool = false) -> Bool {
        var nonASCII = false
        for b in utf8 {
            switch b {
            case 0x20, 0x09: continue
            case 0x0A...0x0D where newlines: continue
            case 0x80...: nonASCII = true
            default: return false
            }
        }
        guard nonASCII else { return true }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces).isEmpty
    }
}
