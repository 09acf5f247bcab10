import Foundation

/// Reads `notices.yaml` (SPEC §1.10) by its table.
enum SettingsReader {
    /// The settings of the tree at `root` (the defaults when it has no notices.yaml)
    /// and the problems found in them.
    static func settings(root: URL, tables: Tables = .standard) -> (settings: Settings, diagnostics: [Diagnostic]) {
        let url = root.appendingPathComponent("notices.yaml", isDirectory: false)
        guard FileManager.default.fileExists(atPath: url.path) else { return (Settings(), []) }
        let sink = DiagnosticSink()
        return (read(url: url, root: root.standardizedFileURL, sink: sink, tables: tables), sink.diagnostics)
    }

    static func read(url: URL, root: URL, sink: DiagnosticSink, tables: Tables = .standard) -> Settings {
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
        let reader = RecordReader(sink: sink, timezone: TimeZone(identifier: "UTC")!, root: root, file: file)
        guard let (f, read) = reader.read(doc, tables.settings) else { return settings }
        var v = read
        settings.netboxURL = v.text("netbox_url") ?? ""
        if let out = v.text("output") {
            if out.hasPrefix("/") || InputTree.normalize(out) == nil || InputTree.normalize(out)!.isEmpty {
                sink.error(f.location(of: "output"), "output folder '\(out)' must be a folder inside the input root")
            } else {
                settings.output = InputTree.normalize(out)!
            }
        }
        if let tz = v.text("timezone") {
            if TimestampParser.zone(named: tz) == nil {
                sink.error(f.location(of: "timezone"), "unknown time zone '\(tz)' (expected an IANA name such as Europe/Paris)")
            } else {
                settings.timezone = tz
            }
            settings.timezoneGiven = true
        }
        settings.silenced = Set(v.texts("silence") ?? [])
        func relativePaths(_ key: String) -> [String]? {
            guard v[key] != nil, case .sequence(let items, _)? = f[key] else { return nil }
            var out: [String] = []
            for item in items where !item.isNull {
                guard case .scalar(let p, _, let loc) = item else { continue }
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
        settings.strictUndefined = v.bool("strict_undefined") ?? false
        if case .record(let table)? = tables.settings["jinja"]?.type, let j = f["jinja"], let (_, jv) = reader.read(j, table) {
            v["jinja"] = .record(jv)
            settings.jinja.trimBlocks = jv.bool("trim_blocks") ?? false
            settings.jinja.lstripBlocks = jv.bool("lstrip_blocks") ?? false
            settings.jinja.keepTrailingNewline = jv.bool("keep_trailing_newline") ?? false
        }
        if case .record(let table)? = tables.settings["eml"]?.type, let e = f["eml"], let (ef, ev) = reader.read(e, table) {
            v["eml"] = .record(ev)
            if let from = ev.text("from") {
                switch MailAddress.mailbox(from) {
                case .success: settings.emlFrom = from
                case .failure(let problem): sink.error(ef.location(of: "from"), "eml.from: \(problem)")
                }
            }
        }
        if case .record(let table)? = tables.settings["organization"]?.type, let o = f["organization"], let read = reader.read(o, table) {
            v["organization"] = .record(read.1)
            settings.organization = OrganizationReader.read(read, emlFrom: settings.emlFrom, sink: sink)
        } else {
            settings.organization = OrganizationReader.read(nil, emlFrom: settings.emlFrom, sink: sink)
        }
        if case .map(let vars)? = v.data("vars") { settings.vars = vars }
        settings.values = v
        return settings
    }
}
