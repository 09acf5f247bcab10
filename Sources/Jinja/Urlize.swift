import Foundation

/// Jinja2's `urlize`.
enum Urlize {
    static let httpRe = try! NSRegularExpression(pattern: #"^((https?://|www\.)(([\w%-]+\.)+)?([a-z]{2,63}|xn--[\w%]{2,59})|([\w%-]{2,63}\.)+(com|net|int|edu|gov|org|info|mil)|(https?://)((([\d]{1,3})(\.[\d]{1,3}){3})|(\[([\da-f]{0,4}:){2}([\da-f]{0,4}:?){1,6}])))(?::[\d]{1,5})?(?:[/?#]\S*)?$"#, options: [.caseInsensitive])
    static let emailRe = try! NSRegularExpression(pattern: #"^\S+@\w[\w.-]*\.\w+$"#)

    static func matches(_ re: NSRegularExpression, _ s: String) -> Bool {
        re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    static func urlize(_ text: String, trimLimit: Int?, rel: String, target: String?, extraSchemes: [String]) -> String {
        func trim(_ x: String) -> String {
            guard let l = trimLimit, PyText.length(x) > l else { return x }
            return PyText.string(x.unicodeScalars.prefix(l)) + "..."
        }
        let escaped = htmlEscape(text)
        // Split keeping whitespace runs.
        var words: [String] = []
        var cur = ""
        var curSpace = false
        for c in escaped {
            let sp = c.unicodeScalars.allSatisfy(PyText.isSpace)
            if !cur.isEmpty && sp != curSpace { words.append(cur); cur = "" }
            cur.append(c)
            curSpace = sp
        }
        if !cur.isEmpty { words.append(cur) }
        let relAttr = rel.isEmpty ? "" : " rel=\"\(htmlEscape(rel))\""
        let targetAttr = target.map { " target=\"\(htmlEscape($0))\"" } ?? ""
        return words.map { word in
            var head = "", middle = word, tail = ""
            while true {
                if middle.hasPrefix("(") || middle.hasPrefix("<") { head.append(middle.removeFirst()); continue }
                if middle.hasPrefix("&lt;") { head += "&lt;"; middle.removeFirst(4); continue }
                break
            }
            while true {
                if let l = middle.last, ")>.,\n".contains(l) { tail.insert(l, at: tail.startIndex); middle.removeLast(); continue }
                if middle.hasSuffix("&gt;") { tail = "&gt;" + tail; middle.removeLast(4); continue }
                break
            }
            for (open, close) in [("(", ")"), ("<", ">"), ("&lt;", "&gt;")] {
                let startCount = middle.components(separatedBy: open).count - 1
                if startCount <= middle.components(separatedBy: close).count - 1 { continue }
                for _ in 0..<min(startCount, tail.components(separatedBy: close).count - 1) {
                    guard let r = tail.range(of: close) else { break }
                    middle += tail[..<r.upperBound]
                    tail = String(tail[r.upperBound...])
                }
            }
            if matches(httpRe, middle) {
                if middle.hasPrefix("https://") || middle.hasPrefix("http://") {
                    middle = "<a href=\"\(middle)\"\(relAttr)\(targetAttr)>\(trim(middle))</a>"
                } else {
                    middle = "<a href=\"https://\(middle)\"\(relAttr)\(targetAttr)>\(trim(middle))</a>"
                }
            } else if middle.hasPrefix("mailto:") && matches(emailRe, String(middle.dropFirst(7))) {
                middle = "<a href=\"\(middle)\">\(middle.dropFirst(7))</a>"
            } else if middle.contains("@") && !middle.hasPrefix("www.") && !middle.hasPrefix("@") && !middle.contains(":") && matches(emailRe, middle) {
                middle = "<a href=\"mailto:\(middle)\">\(middle)</a>"
            } else {
                for scheme in extraSchemes where middle != scheme && middle.hasPrefix(scheme) {
                    middle = "<a href=\"\(middle)\"\(relAttr)\(targetAttr)>\(middle)</a>"
                }
            }
            return head + middle + tail
        }.joined()
    }
}
