import Foundation
import Jinja

/// Keeps data from adding lines to an invite. An iCal template's own text decides
/// where properties start; a value printed by `{{ … }}` with a line break in it would
/// end its property and start another (a provider summary that adds an ATTENDEE).
/// Such a value is an error at its template line; `ical_text` escapes line breaks as
/// `\n` for TEXT values (docs/SECURITY.md).
enum ICalLineGuard {
    static func finalize(_ value: Value) throws -> Value {
        if try value.str().unicodeScalars.contains(where: isLineBreak) {
            throw TemplateError(.value, "a printed value contains a line break, which would start a new iCal property line; "
                                + "print text with the ical_text filter")
        }
        return value
    }

    /// What ICal.normalize (and iCal readers) split lines at.
    static func isLineBreak(_ u: Unicode.Scalar) -> Bool { u == "\n" || u == "\r" }
}
