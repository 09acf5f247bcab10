// Renders one template with one JSON context N times in one process and prints the
// mean time per render. `bench.py` does the same with Python Jinja2 and minijinja.
//   swift build -c release --product JinjaBench
//   .build/release/JinjaBench Sources/JinjaBench/maintenance.md.j2 Sources/JinjaBench/context.json 100000
//   .build/release/JinjaBench TEMPLATE CONTEXT.json 1 --print    (one render to stdout)
// Tests/Benchmarks/jinja_bench.sh runs all three engines side by side.
import Foundation
import Jinja

let args = CommandLine.arguments
guard args.count >= 3 else {
    FileHandle.standardError.write(Data("usage: JinjaBench TEMPLATE CONTEXT.json [ITERATIONS]\n".utf8))
    exit(2)
}
let source = try String(contentsOfFile: args[1], encoding: .utf8)
let context = try JSONReader.context(String(contentsOfFile: args[2], encoding: .utf8))
let iterations = args.count > 3 ? Int(args[3]) ?? 100_000 : 100_000
if args.contains("--print") {
    // One render to standard output, for comparing bytes with the other engines.
    FileHandle.standardOutput.write(Data(try Environment().fromString(source, name: "bench").render(context).utf8))
    exit(0)
}
let env = Environment()
let template = try env.fromString(source, name: "bench")
var bytes = 0
_ = try template.render(context) // warm up
let start = DispatchTime.now().uptimeNanoseconds
for _ in 0..<iterations { bytes &+= try template.render(context).utf8.count }
let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3
print(String(format: "swift-jinja: %.2f µs per render (%d renders, %d bytes each)", elapsed / Double(iterations), iterations, bytes / iterations))
