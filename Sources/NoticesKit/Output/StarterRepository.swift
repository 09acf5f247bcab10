import Foundation

/// `notices init`: a repository that renders one message with a recipient right away
/// (docs/DECISIONS.md, "notices init"): settings, the schemas for editors, the starter
/// library (templates/, compiled into the binary), one provider, tenant, circuit,
/// contact and maintenance, a .gitignore and a GitHub Actions recipe.
package enum StarterRepository {
    /// Names that may already be in DIR without making it "not empty" (`git init` first).
    static let ignorable: Set<String> = [".git"]

    /// The files, by path relative to DIR. The maintenance starts two weeks after
    /// `now` (the clock, or SOURCE_DATE_EPOCH), so it renders without a
    /// past-maintenance warning.
    package static func files(now: Timestamp) -> [(path: String, text: String)] {
        let day = Int64(86_400)
        let date = Timestamp(seconds: (now.seconds / day + 14) * day).rfc3339.prefix(10)
        let next = Timestamp(seconds: (now.seconds / day + 15) * day).rfc3339.prefix(10)
        func text(_ data: [UInt8]) -> String { String(decoding: data, as: UTF8.self) }
        var files: [(String, String)] = [
            ("notices.yaml", settings),
            ("notices.schema.json", Schema.document().pythonDumps() + "\n"),
            ("notices-settings.schema.json", Schema.settingsDocument().pythonDumps() + "\n"),
            ("network.yaml", network),
            ("contacts.yaml", contacts),
            ("events/maintenances.yaml", maintenance(start: "\(date)T22:00:00Z", end: "\(next)T02:00:00Z")),
            (".gitignore", gitignore),
            (".github/workflows/notices.yml", text(PackageResources.github_actions_yml)),
        ]
        let library: [(String, [UInt8])] = [
            ("README.md", PackageResources.README_md), ("starter.yaml", PackageResources.starter_yaml),
            ("announcement.md.j2", PackageResources.announcement_md_j2), ("bcop.ics.j2", PackageResources.bcop_ics_j2),
            ("layout.html.j2", PackageResources.layout_html_j2), ("lifecycle.j2", PackageResources.lifecycle_j2),
            ("mail.css", PackageResources.mail_css), ("maintenance.html.j2", PackageResources.maintenance_html_j2),
            ("maintenance.md.j2", PackageResources.maintenance_md_j2), ("outage.txt.j2", PackageResources.outage_txt_j2),
        ]
        files += library.map { ("templates/\($0.0)", text($0.1)) }
        return files.map { (path: $0.0, text: $0.1) }
    }

    /// Writes the files into `dir` (made if missing). A folder with anything in it
    /// besides `.git` is refused unless `force`, which overwrites only these files.
    package static func write(to dir: URL, now: Timestamp, force: Bool) throws -> [String] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir.path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw Lifecycle.Refusal(description: "\(dir.path) is a file, not a folder") }
            let present = try fm.contentsOfDirectory(atPath: dir.path).filter { !ignorable.contains($0) }.sorted()
            if !present.isEmpty && !force {
                let shown = present.prefix(3).joined(separator: ", ") + (present.count > 3 ? ", …" : "")
                throw Lifecycle.Refusal(description: "\(dir.path) is not empty (\(shown)); "
                                        + "use --force to write the starter files into it anyway (files of the same name are replaced)")
            }
        }
        let files = files(now: now)
        for file in files {
            let url = dir.appendingPathComponent(file.path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.text.utf8).write(to: url, options: .atomic)
        }
        return files.map(\.path)
    }

    static let settings = """
        # notices settings. Editors that speak yaml-language-server check this file with:
        # yaml-language-server: $schema=notices-settings.schema.json
        # (the data files use notices.schema.json; `notices schema` writes both anew).
        organization:
          name: Example Networks NOC
          email: noc@example.net
          website: https://status.example.net
        timezone: UTC
        # An undefined variable (a typo such as maintenance.sumary) is an error, not "".
        strict_undefined: true
        eml:
          from: "Example Networks NOC <noc@example.net>"

        """

    static let network = """
        # yaml-language-server: $schema=notices.schema.json
        providers:
          - slug: lumen
            name: Lumen
        tenants:
          - slug: acme
            name: ACME Corp
        circuits:
          - cid: LUMEN-100-200
            provider: lumen
            tenant: acme
            description: Internet transit, Amsterdam

        """

    static let contacts = """
        # yaml-language-server: $schema=notices.schema.json
        contacts:
          - name: Anna Muster
            email: noc@acme.example
            assignments:
              - tenant: acme
                priority: primary

        """

    static func maintenance(start: String, end: String) -> String {
        """
        # yaml-language-server: $schema=notices.schema.json
        # One message per tenant, made by the starter template maintenance-email
        # (templates/starter.yaml); `notices explain . lumen-chg-1` shows why.
        maintenances:
          - id: lumen-chg-1
            name: LUMEN-CHG-1
            provider: lumen
            summary: Fibre repair between Amsterdam and Frankfurt
            status: CONFIRMED
            start: \(start)
            end: \(end)
            impacts:
              - circuit: LUMEN-100-200
                impact: OUTAGE

        """
    }

    static let gitignore = """
        # notices: the review site (CI builds it with `notices preview`), and the output
        # folder's lock, staging area and caches. Commit the rest of out/.
        out/preview/
        out/.lock
        out/.staging/
        out/.fingerprints
        out/.render-state

        """
}
