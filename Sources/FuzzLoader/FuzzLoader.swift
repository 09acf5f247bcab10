// libFuzzer entry point: arbitrary bytes as a YAML and as a JSON data file go through
// the loader and the validator, and as a manifest through its streaming reader. Build and run as docs/FUZZING.md says.
import Foundation
import NoticesKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoader(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let root = URL(fileURLWithPath: "/nonexistent-fuzz-root")
    let base = Data("providers:\n  - slug: p\ntenants:\n  - slug: t\ncircuits:\n  - {cid: c, provider: p, tenant: t}\n".utf8)
    _ = Loader.load(files: [("base.yaml", base), ("input.yaml", data)], root: root)
    _ = Loader.load(files: [("base.yaml", base), ("input.json", data)], root: root)
    _ = try? Manifest.parse([UInt8](data), file: "manifest.json")
    return 0
}

#if FUZZING
// SwiftPM links an executable's entry point as `<module>_main`; hand control to
// libFuzzer's driver from there.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

@_cdecl("FuzzLoader_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v) { fuzzLoader($0, $1) }
}
#else
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
