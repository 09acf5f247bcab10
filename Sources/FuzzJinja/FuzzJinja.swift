// libFuzzer entry point for the template engine: arbitrary bytes as a template go
// through the lexer, parser and renderer (with tight limits, and able to include
// and extend themselves), and through the JSON context reader. Build and run as
// docs/FUZZING.md says.
import Foundation
import Jinja

func fuzzJinja(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let source = String(decoding: Data(bytes: start, count: count), as: UTF8.self)
    var env = Environment()
    env.limits.fuel = 20_000
    env.limits.maxValueSize = 1 << 20
    env.limits.maxOutput = 1 << 20
    env.limits.maxDepth = 40
    env.loader = DictionaryLoader(["self.j2": source, "base.j2": "{% block a %}A{% endblock %}{% block b %}{% endblock %}"])
    let context: [String: Value] = ["x": 1, "s": "text", "l": [1, "a", .none], "d": .dict(Dict([("k", "v")])),
                                    "u": "e\u{301}\r\n", "big": (try? JSONReader.value("123456789012345678901234567890")) ?? .none]
    for flags in [LexerOptions(), LexerOptions(trimBlocks: true, lstripBlocks: true, keepTrailingNewline: true)] {
        env.options = flags
        _ = try? env.fromString(source, name: "fuzz").render(context)
    }
    env.autoescape = true
    env.strictUndefined = true
    _ = try? env.fromString(source, name: "fuzz").render(context)
    // The same bytes as a JSON context.
    _ = try? JSONReader.value(source)
    return 0
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

@_cdecl("FuzzJinja_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v) { fuzzJinja($0, $1) }
}
#else
/// Without libFuzzer this is a reproducer: `FuzzJinja FILE…` runs each file once.
@main
enum Reproduce {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            _ = data.withUnsafeBytes { fuzzJinja($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, data.count) }
            print("ok: \(path)")
        }
    }
}
#endif
