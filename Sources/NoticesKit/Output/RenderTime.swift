import Foundation

/// The render time of new messages (SPEC §3.3): `--now`, else `SOURCE_DATE_EPOCH`,
/// else the clock. Like `mark --at`, a given time may not be in the future (a message
/// would be created after its own approval) nor before 1970; SOURCE_DATE_EPOCH must
/// be a whole number of seconds, as reproducible-builds.org defines it.
package enum RenderTime {
    package struct Problem: Error, CustomStringConvertible {
        package var description: String
    }

    package static func resolve(now given: Timestamp?, environment: [String: String] = ProcessInfo.processInfo.environment,
                               clock: Timestamp = current()) -> Result<Timestamp, Problem> {
        if let given { return check(given, what: "--now \(given.rfc3339)", clock: clock) }
        guard let text = environment["SOURCE_DATE_EPOCH"] else { return .success(clock) }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seconds = Int64(text) else {
            return .failure(Problem(description: "SOURCE_DATE_EPOCH '\(text)' is not a whole number of seconds since 1970-01-01T00:00:00Z"))
        }
        return check(Timestamp(seconds: seconds), what: "SOURCE_DATE_EPOCH \(text)", clock: clock)
    }

    static func check(_ t: Timestamp, what: String, clock: Timestamp) -> Result<Timestamp, Problem> {
        if t > clock { return .failure(Problem(description: "\(what) is in the future (the clock says \(clock.rfc3339))")) }
        if t.seconds < 0 { return .failure(Problem(description: "\(what) is before 1970-01-01T00:00:00Z")) }
        return .success(t)
    }

    /// The clock, in whole seconds.
    package static func current() -> Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970)) }
}
