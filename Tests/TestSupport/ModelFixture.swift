import Foundation
import NoticesKit

/// Providers, tenants, roles and inventory the model fixtures start from.
package let baseYAML = """
providers: [{slug: zayo, name: Zayo}, {slug: lumen, name: Lumen}]
tenants: [{slug: acme, name: ACME}, {slug: globex, name: Globex}, {slug: initech, name: Initech}]
contact_roles: [{slug: noc}, {slug: billing}]
sites: [{slug: ams1, name: Amsterdam}]
circuits:
  - {cid: C1, provider: zayo, tenant: acme, site: ams1}
  - {cid: C2, provider: zayo, tenant: globex}
  - {cid: C3, provider: zayo, tenant: acme}
  - {cid: C4, provider: zayo}
devices: [{name: d1, tenant: initech}]
"""

/// A model built from YAML text, for the matching, grouping and recipient rules.
package func model(_ yaml: String, extra: [String: String] = [:]) throws -> (ModelIndex, [Diagnostic]) {
    var files = [
        "base.yaml": baseYAML,
        "data.yaml": yaml,
    ]
    for (k, v) in extra { files[k] = v }
    let tree = try TreeFixture(files)
    defer { tree.remove() }
    let loaded = tree.load()
    return (ModelIndex(loaded.model), loaded.diagnostics)
}

package let maintenanceC1C2 = """
maintenances:
  - id: m1
    summary: Work
    provider: zayo
    status: CONFIRMED
    start: 2026-01-22T14:30:00Z
    end: 2026-01-22T18:00:00Z
    impacts:
      - {circuit: C1, impact: OUTAGE}
      - {circuit: C2, impact: DEGRADED}
      - {circuit: C3}
      - {circuit: C4, impact: NO-IMPACT}
outages:
  - {id: o1, summary: Cut, provider: lumen, status: REPORTED, start: 2026-01-22T10:00:00Z, impacts: [{circuit: C1}]}
"""

/// The same model as `model(_:extra:)`, loaded from memory: no file is written or read
/// (template files aside), so stage tests run without a disk.
package func memoryModel(_ yaml: String, settings: Settings = Settings()) -> (ModelIndex, [Diagnostic]) {
    let loaded = Loader.load(files: [("base.yaml", Data(baseYAML.utf8)), ("data.yaml", Data(yaml.utf8))],
                             root: URL(fileURLWithPath: "/nonexistent-notices-root"), settings: settings)
    return (ModelIndex(loaded.model), loaded.diagnostics)
}
