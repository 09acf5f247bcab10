import Foundation

/// Reads `notices.yaml` (SPEC §1.10).
enum SettingsReader {
    static func read(url: URL, root: URL, sink: DiagnosticSink) -> Settings {
        var settings = Settings()
        let file = "notices.yaml"
        // The settings file, like any input, must be a regular file inside ROOT.
        let real = SafeFile.realPath(url.path)
        if case .success(let r) = real, !SafeFile.isInside(r, SafeFile.rootReal(root)) {
            sink.error(SourceLocation(file: file, line: 1, column: 1), "symbolic link leads outside the input root")
            return settings
        }
        let data: Data
        switch SafeFile.read(url.path) {
        case .success(let d): data = d
        case .failure(let why):
            sink.error(SourceLocation(file: file, line: 1, column: 1), "cannot read settings: \(why)")
            return settings
        }
        guard let text = String(data: data, encoding: .utf8) else {
            sink.error(SourceLocation(file: file, line: 1, column: 1), "cannot read settings (not UTF-8 text)")
            return settings
        }
        let docs: [DataNode]
        switch DocumentParser.parseYAML(text, file: file) {
        case .success(let d): docs = d
        case .failure(let diag): sink.diagnostics.append(diag); return settings
        }
        guard let doc = docs.first, !doc.isNull else { return settings }
        if docs.count > 1 { sink.error(docs[1].location, "settings must be a single YAML document") }
        let utc = TimeZone(identifier: "UTC")!
        let keys = ["netbox_url", "output", "timezone", "paths", "template_paths", "strict_undefined", "jinja", "eml", "organization", "vars"]
        guard let f = Fields(doc, what: "settings", allowed: keys, sink: sink, timezone: utc) else { return settings }
        settings.netboxURL = f.text("netbox_url") ?? ""
        if let out = f.text("output") {
            if out.hasPrefix("/") || InputTree.normalize(out) == nil || InputTree.normalize(out)!.isEmpty {
                sink.error(f.location(of: "output"), "output folder '\(out)' must be a folder inside the input root")
            } else {
                settings.output = InputTree.normalize(out)!
            }
        }
        if let tz = f.text("timezone") {
            if TimestampParser.zone(named: tz) == nil {
                sink.error(f.location(of: "timezone"), "unknown time zone '\(tz)' (expected an IANA name such as Europe/Paris)")
            } else {
                settings.timezone = tz
            }
        }
        func relativePaths(_ key: String) -> [String]? {
            guard let list = f.textList(key) else { return nil }
            var out: [String] = []
            for (p, loc) in list {
                guard !p.hasPrefix("/"), let n = InputTree.normalize(p) else {
                    sink.error(loc, "path '\(p)' in '\(key)' must stay inside the input root")
                    continue
                }
                // Template folders are read by name later: they must not lead out of ROOT.
                if key == "template_paths", let problem = TemplateFolders.problem(root: root, rel: n) {
                    sink.error(loc, problem)
                }
                out.append(n)
            }
            return out
        }
        settings.paths = relativePaths("paths")
        settings.templatePaths = relativePaths("template_paths")
        settings.strictUndefined = f.bool("strict_undefined") ?? false
        if let j = f["jinja"], let jf = Fields(j, what: "jinja settings", allowed: ["trim_blocks", "lstrip_blocks", "keep_trailing_newline"], sink: sink, timezone: utc) {
            settings.jinja.trimBlocks = jf.bool("trim_blocks") ?? false
            settings.jinja.lstripBlocks = jf.bool("lstrip_blocks") ?? false
            settings.jinja.keepTrailingNewline = jf.bool("keep_trailing_newline") ?? false
        }
        if let e = f["eml"], let ef = Fields(e, what: "eml settings", allowed: ["from"], sink: sink, timezone: utc) {
            if let from = ef.text("from", required: true) {
                switch MailAddress.mailbox(from) {
                case .success: settings.emlFrom = from
                case .failure(let problem): sink.error(ef.location(of: "from"), "eml.from: \(problem)")
                }
            }
        }
        settings.organization = OrganizationReader.read(f["organization"], emlFrom: settings.emlFrom, sink: sink)
        settings.vars = f.mapData("vars")
        return settings
    }
}
