/// The sanity warnings (docs/DECISIONS.md, "Sanity warnings"): data that loads and
/// renders but is most likely a mistake. Each has a name, shown at the end of the
/// warning as `[name]`; `silence: [name]` on an event or in notices.yaml turns it off.
package enum SanityWarning: String, CaseIterable, Sendable {
    /// A timestamp without an offset while notices.yaml names no `timezone` (read as UTC).
    case naiveTimestamp = "naive-timestamp"
    /// A maintenance (not COMPLETED or CANCELLED) that ended before its message's render time.
    case pastMaintenance = "past-maintenance"
    /// A maintenance window longer than 7 days.
    case longWindow = "long-window"
    /// An outage that starts after its message's render time.
    case futureOutage = "future-outage"
    /// An impacted circuit whose provider is not the event's provider.
    case foreignCircuit = "foreign-circuit"
}

enum SanityChecks {
    static let longWindowSeconds: Int64 = 7 * 24 * 3600

    /// The warnings that do not depend on the render time, for the whole model.
    static func check(_ model: Model) -> [Diagnostic] {
        let global = model.settings.silenced
        var circuits: [String: InventoryObject] = [:]
        for object in model.inventory where object.collection == "circuits" { circuits[object.ref.key] = object }
        var out: [Diagnostic] = []
        for event in model.events {
            let silenced = global.union(event.silenced)
            func warn(_ kind: SanityWarning, _ at: SourceLocation?, _ text: String) {
                if !silenced.contains(kind.rawValue) { out.append(.warning(at ?? event.location, "\(text) [\(kind.rawValue)]")) }
            }
            if !model.settings.timezoneGiven {
                for name in event.naiveTimes {
                    warn(.naiveTimestamp, event.fieldLocations[name],
                         "\(event.ref): '\(name)' has no UTC offset and notices.yaml names no timezone; read as UTC")
                }
            }
            if event.kind == .maintenance, let start = event.start, let end = event.end, end.seconds - start.seconds > longWindowSeconds {
                let days = Double(end.seconds - start.seconds) / 86_400
                warn(.longWindow, event.fieldLocations["end"],
                     "\(event.ref) lasts \(String(format: "%.1f", days)) days (\(start.rfc3339) to \(end.rfc3339)), more than 7")
            }
            for impact in event.impacts where impact.target.type == "circuit" {
                guard let circuit = circuits[impact.target.key], let provider = circuit.provider, !provider.isEmpty,
                      provider != event.provider else { continue }
                warn(.foreignCircuit, impact.location,
                     "\(event.ref) of provider '\(event.provider)' impacts circuit '\(impact.target.key)' of provider '\(provider)'")
            }
        }
        return out
    }

    /// The warnings that depend on a message's render time (its `rendered_at`, fixed
    /// when the message is first made, so an old message does not start warning later).
    static func check(_ event: Event, now: Timestamp, settings: Settings) -> [Diagnostic] {
        let silenced = settings.silenced.union(event.silenced)
        switch event.kind {
        case .maintenance:
            guard let end = event.end, end < now, event.status != .completed, event.status != .cancelled,
                  !silenced.contains(SanityWarning.pastMaintenance.rawValue) else { return [] }
            return [.warning(event.fieldLocations["end"] ?? event.location,
                             "\(event.ref) ended at \(end.rfc3339), before its message's render time \(now.rfc3339) [\(SanityWarning.pastMaintenance.rawValue)]")]
        case .outage:
            guard let start = event.start, now < start, !silenced.contains(SanityWarning.futureOutage.rawValue) else { return [] }
            return [.warning(event.fieldLocations["start"] ?? event.location,
                             "\(event.ref) starts at \(start.rfc3339), after its message's render time \(now.rfc3339) [\(SanityWarning.futureOutage.rawValue)]")]
        }
    }
}
