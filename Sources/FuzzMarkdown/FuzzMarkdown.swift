// libFuzzer entry point for the Markdown path: arbitrary bytes as Markdown go through
// the cost checks and cmark-gfm (Markdown.html, as the `markdown` filter and markdown
// bodies use it), and the HTML comes back as text (HTMLToText, as html bodies use it).
// Build and run as docs/FUZZING.md says.
import Foundation
import NoticesKit

func fuzzMarkdown(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: Data(bytes: start, count: count), as: UTF8.self)
    if let html = try? Markdown.html(text) {
        _ = HTMLToText.convert(html)
    }
    _ = HTMLToText.convert(text)
    return 0
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

@_cdecl("FuzzMarkdown_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v) { fuzzMarkdown($0, $1) }
}
#else
/// Without libFuzzer this is a reproducer: `FuzzMarkdown FILE…` runs each file once.
@main
enum Reproduce {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            _ = data.withUnsafeBytes { fuzzMarkdown($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, data.count) }
            print("ok: \(path)")
        }
    }
}
#endif
