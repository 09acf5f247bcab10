import Foundation

/// A progress bar on stderr for long renders on a terminal.
final class ProgressBar: @unchecked Sendable {
    let enabled: Bool
    let start = Date()
    var shown = false
    let lock = NSLock()

    init(enabled: Bool) {
        self.enabled = enabled && isatty(2) != 0
    }

    func update(_ done: Int, _ total: Int) {
        guard enabled, Date().timeIntervalSince(start) > 1 else { return }
        lock.lock()
        defer { lock.unlock() }
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let colour = ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let text = colour ? "\u{1b}[36m[\(bar)]\u{1b}[0m" : "[\(bar)]"
        FileHandle.standardError.write(Data("\r\(text) \(done)/\(total) events".utf8))
        shown = true
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1b}[2K".utf8)) }
        shown = false
    }
}
