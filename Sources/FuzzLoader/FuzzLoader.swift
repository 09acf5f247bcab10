// libFuzzer entry point: arbitrary bytes as a YAML and as a JSON data file go through
// the loader and the validator. Build and run as docs/FUZZING.md says.
import Foundation
import NoticesKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoader(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let root = URL(fileURLWithPath: "/nonexistent-fuzz-root")
    let base = Data("providers:\n  - slug: p\ntenants:\n  - slug: t\ncircuits:\n  - {cid: c, provider: p, tenant: t}\n".utf8)
    _ = Loader.load(files: [("base.yaml", base), ("input.yaml", data)], root: root)
    _ = Loader.load(files: [("base.yaml", base), ("input.json", data)], root: root)
    return 0
}

#if !FUZZING
/// Without libFuzzer this is a reproducer: `FuzzLoader FILE…` runs each file once.
@main
enum Reproduce {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            _ = data.withUnsafeBytes { fuzzLoader($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, data.count) }
            print("ok: \(path)")
        }
    }
}
#endif
