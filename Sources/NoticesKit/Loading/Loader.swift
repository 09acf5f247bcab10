import Foundation

/// What loading a tree gives: the model and every problem found (errors and warnings).
public struct LoadResult: Sendable {
    package var model: Model
    public var diagnostics: [Diagnostic]
    public var hasErrors: Bool { diagnostics.hasErrors }
    /// With a parse cache: the entries of the files parsed this time, and the entry name
    /// of every YAML data file (what the cache keeps after the render).
    package var parseCacheEntries: [ParseCache.Entry] = []
    package var parseCacheNames: Set<String> = []
}

/// The collections a data file may hold (SPEC §1).
package enum DataCollection: String, CaseIterable, Sendable {
    case providers, tenants, contact_roles, circuits, devices, sites, virtual_machines,
         power_feeds, objects, contacts, contact_assignments, maintenances, outages,
         impacts, templates, messages
}

/// Inventory collections: key field and type name (SPEC §1.4).
struct InventoryKind {
    let collection: String
    let typeName: String
    let keyField: String

    static let all: [InventoryKind] = [
        InventoryKind(collection: "circuits", typeName: "circuit", keyField: "cid"),
        InventoryKind(collection: "devices", typeName: "device", keyField: "name"),
        InventoryKind(collection: "sites", typeName: "site", keyField: "slug"),
        InventoryKind(collection: "virtual_machines", typeName: "virtual_machine", keyField: "name"),
        InventoryKind(collection: "power_feeds", typeName: "power_feed", keyField: "name"),
        InventoryKind(collection: "objects", typeName: "object", keyField: "id"),
    ]
    static let builtinTypeNames = ["circuit", "device", "site", "virtual_machine", "power_feed"]
}

package enum Loader {
    /// Reads the whole tree at `root`. Never throws: problems are diagnostics. `out` is
    /// the output folder given with --out: inside ROOT, it is not data either. With
    /// `cache`, YAML files whose bytes did not change since the last render are not
    /// parsed again (ParseCache).
    package static func load(root: URL, out: URL? = nil, tables: Tables = .standard, cache: ParseCache? = nil) -> LoadResult {
        let sink = DiagnosticSink()
        var model = Model(root: root.standardizedFileURL)
        model.tables = tables
        (model.settings, sink.diagnostics) = SettingsReader.settings(root: root, tables: tables)
        TemplateFolders.check(root: model.root, settings: model.settings, sink: sink)
        let zone = TimestampParser.zone(named: model.settings.timezone) ?? TimeZone(identifier: "UTC")!
        // The settings' output folder comes from the (untrusted) tree: no link on its way.
        if out == nil, let problem = OutputFolder.problem(out: model.root.appendingPathComponent(model.settings.output), root: model.root, fromSettings: true) {
            sink.error(SourceLocation(file: model.settings.output, line: 1, column: 1), "the output folder \(problem)")
        }
        let outputs = [model.settings.output] + (out.flatMap { OutputFolder.relativePath(out: $0, root: model.root) }.map { [$0] } ?? [])
        let files = InputTree.dataFiles(root: model.root, outputs: Set(outputs), only: model.settings.paths, sink: sink)
        model.files = files
        // Nothing to read is a wrong folder (or a typo in ROOT), not an empty success.
        if files.isEmpty && !FileManager.default.fileExists(atPath: model.root.appendingPathComponent("notices.yaml").path) {
            sink.error(nil, "no notices.yaml and no data files in \(root.path): is this the repository? (`notices init` starts one)")
        }
        var reader = RecordDecoder(root: model.root, sink: sink, zone: zone, tables: tables)
        // Files are parsed a few at a time on the processors and read in order: parsing is
        // most of loading, and only as many document trees are held as files in a window.
        let window = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var entries: [ParseCache.Entry] = []
        var next = 0
        while next < files.count {
            let some = Array(files[next..<min(files.count, next + window)])
            next += some.count
            let parsed = Parallel.map(some, jobs: window) { file -> (RecordDecoder.Parsed, ParseCache.Entry?) in
                switch SafeFile.read(model.root.appendingPathComponent(file).path) {
                case .success(let data):
                    if let cache, !RecordDecoder.isJSON(file) { return cache.parse(data: data, file: file) }
                    return (RecordDecoder.parse(data: data, file: file), nil)
                case .failure(let why):
                    return (.failure(.error(SourceLocation(file: file, line: 1, column: 1), "cannot read file: \(why)")), nil)
                }
            }
            for (file, (p, entry)) in zip(some, parsed) {
                reader.read(p, file: file)
                if let entry { entries.append(entry) }
            }
        }
        reader.finish(into: &model)
        CrossReferences.check(&model, sink: sink)
        for i in model.events.indices { model.events[i].setAsideSilencedImpacts() }
        sink.diagnostics += SanityChecks.check(model)
        var result = LoadResult(model: model, diagnostics: sink.diagnostics.sortedByLocation())
        if cache != nil {
            result.parseCacheEntries = entries
            result.parseCacheNames = Set(files.filter { !RecordDecoder.isJSON($0) }.map(ParseCache.name(of:)))
        }
        return result
    }

    /// Loads data files given in memory (for fuzzing and tests); `*_file` references
    /// are still resolved under `root`.
    package static func load(files: [(path: String, data: Data)], root: URL, settings: Settings = Settings(),
                             tables: Tables = .standard) -> LoadResult {
        let sink = DiagnosticSink()
        var model = Model(root: root)
        model.tables = tables
        model.settings = settings
        let zone = TimestampParser.zone(named: settings.timezone) ?? TimeZone(identifier: "UTC")!
        var reader = RecordDecoder(root: root, sink: sink, zone: zone, tables: tables)
        let sorted = files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        for f in sorted { reader.readFile(data: f.data, file: f.path) }
        model.files = sorted.map(\.path)
        reader.finish(into: &model)
        CrossReferences.check(&model, sink: sink)
        for i in model.events.indices { model.events[i].setAsideSilencedImpacts() }
        return LoadResult(model: model, diagnostics: sink.diagnostics.sortedByLocation())
    }
}

/// Turns document nodes into records, collection by collection.
struct RecordDecoder {
    let root: URL
    let sink: DiagnosticSink
    let zone: TimeZone
    let tables: Tables

    var providers: [Provider] = []
    var tenants: [Tenant] = []
    var roles: [ContactRole] = []
    var inventory: [InventoryObject] = []
    var contacts: [Contact] = []
    var assignments: [ContactAssignment] = []
    var events: [Event] = []
    var looseImpacts: [(Impact, SourceLocation)] = []
    var templates: [MessageTemplate] = []
    var messages: [StandaloneMessage] = []

    init(root: URL, sink: DiagnosticSink, zone: TimeZone, tables: Tables) {
        self.root = root
        self.sink = sink
        self.zone = zone
        self.tables = tables
    }

    mutating func readFile(data: Data, file: String) { read(Self.parse(data: data, file: file), file: file) }

    typealias Parsed = Result<[DataNode], Diagnostic>

    /// A data file's documents (pure: files are parsed in parallel).
    static func parse(data: Data, file: String) -> Parsed {
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(.error(SourceLocation(file: file, line: 1, column: 1), "file is not valid UTF-8"))
        }
        if isJSON(file) { return DocumentParser.parseJSON(text, file: file).map { [$0] } }
        return DocumentParser.parseYAML(text, file: file)
    }

    static func isJSON(_ file: String) -> Bool { file.lowercased().hasSuffix(".json") }

    /// The records of a parsed data file.
    mutating func read(_ parsed: Parsed, file: String) {
        let docs: [DataNode]
        switch parsed {
        case .success(let d): docs = d
        case .failure(let diag): sink.diagnostics.append(diag); return
        }
        if let first = docs.first, NonDataFiles.isJSONSchema(first) { return }
        // Whether any top-level key of the file is a collection: when none is, the
        // first unknown one says how to keep a file that is not data out.
        var hinted = docs.contains { doc in
            guard case .mapping(let entries, _) = doc else { return false }
            return entries.contains { $0.key.scalarText.flatMap(DataCollection.init(rawValue:)) != nil }
        }
        for doc in docs where !doc.isNull {
            guard case .mapping(let entries, _) = doc else {
                sink.error(doc.location, "a data file must be a mapping of collection names to lists, not \(doc.kindName)")
                continue
            }
            for (k, v) in entries {
                guard let name = k.scalarText else {
                    sink.error(k.location, "a collection name must be text, not \(k.kindName)")
                    continue
                }
                guard let collection = DataCollection(rawValue: name) else {
                    var suggestion = didYouMean(name, in: DataCollection.allCases.map(\.rawValue))
                    if suggestion.isEmpty && !hinted {
                        suggestion = "; if '\(file)' is not notices data, give the data folders in `paths` of notices.yaml"
                        hinted = true
                    }
                    sink.error(k.location, "unknown collection '\(name)'\(suggestion)")
                    continue
                }
                if v.isNull { continue }
                guard case .sequence(let records, _) = v else {
                    sink.error(v.location, "collection '\(name)' must be a list of records, not \(v.kindName)")
                    continue
                }
                for record in records { read(record, in: collection, file: file) }
            }
        }
    }

    /// Attaches top-level impacts to their events and moves everything into the model.
    func finish(into model: inout Model) {
        var events = self.events
        var byRef: [EventRef: Int] = [:]
        for (i, e) in events.enumerated() where byRef[e.ref] == nil { byRef[e.ref] = i }
        for (impact, loc) in looseImpacts {
            if let i = byRef[impact.event] {
                events[i].impacts.append(impact)
            } else {
                let known = events.filter { $0.kind == impact.event.kind }.map(\.id)
                sink.error(loc, "unknown \(impact.event.kind.rawValue) '\(impact.event.id)'\(didYouMean(impact.event.id, in: known))")
            }
        }
        model.providers = providers
        model.tenants = tenants
        model.contactRoles = roles
        model.inventory = inventory
        model.contacts = contacts
        model.assignments = assignments
        model.events = events
        model.templates = templates
        model.messages = messages
    }
}
