import Foundation
import Logging

/// Brings the cn=config of a data folder made by an earlier version up to
/// this version's `Schema/`, offline (slapd stopped), at every start: the
/// system schemas the configuration template includes and the folder lacks
/// are added (slapadd), the project schema's attribute types and object
/// classes are replaced when `Schema/annuaire.ldif` changed (slapmodify;
/// OpenLDAP refuses to drop a definition still in use, so the schema only
/// grows), and the argon2 module gets the configured cost.
extension EmbeddedSlapd {
    static func upgradeConfiguration(_ configuration: Configuration, logger: Logger) throws {
        try addMissingSchemas(configuration, logger: logger)
        try updateProjectSchema(configuration, logger: logger)
        try applyArgon2(configuration, logger: logger)
        try addMissingIndexes(configuration, logger: logger)
        try applyAccessControl(configuration, logger: logger)
        try applyConfigDatabaseAccess(configuration, logger: logger)
    }

    /// The configuration database's access control is this version's: a folder made before the
    /// transaction barrier (`TransactionSettling`) gets the client identity's one grant on it.
    private static func applyConfigDatabaseAccess(_ configuration: Configuration, logger: Logger) throws {
        let file = configuration.dataDirectory.configDirectory.appendingPathComponent("cn=config")
            .appendingPathComponent("olcDatabase={0}config.ldif")
        guard let installedText = try? String(contentsOf: file, encoding: .utf8),
            !schemaValues("olcAccess", in: installedText).contains(where: { $0.contains(TransactionSettling.barrierValue) }),
            let wantedEntry = try templateEntry(holding: "olcDatabase: {0}config", configuration)
        else { return }
        logger.info("bringing the configuration database's access control up to date")
        try slapmodify(
            ["dn: olcDatabase={0}config,cn=config", "changetype: modify"] + replacement(of: "olcAccess", in: wantedEntry), configuration,
            name: "config-access.ldif")
    }

    /// The template's entry, rendered for this folder, whose text holds `marker`.
    private static func templateEntry(holding marker: String, _ configuration: Configuration) throws -> String? {
        let rendered = try ProjectResources.render(configuration.resources.configTemplate, templateValues(configuration))
        return rendered.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").first(where: { $0.contains(marker) })
    }

    /// The LDIF lines that replace `attribute` with the values `entry` gives it, in order (`{0}`, `{1}`…).
    private static func replacement(of attribute: String, in entry: String) -> [String] {
        ["replace: \(attribute)"] + schemaValues(attribute, in: entry).enumerated().map { "\(attribute): {\($0.offset)}\($0.element)" }
    }

    /// The data database's access control and limits are this version's: a folder made before
    /// clients' operations had their own identity (`EmbeddedSlapd.frontEndDN`) gets them replaced.
    private static func applyAccessControl(_ configuration: Configuration, logger: Logger) throws {
        let folder = configuration.dataDirectory.configDirectory.appendingPathComponent("cn=config")
        guard let file = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .first(where: { $0.hasPrefix("olcDatabase={") && $0.hasSuffix("mdb.ldif") })
        else { return }
        let installedText = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        // slapd rewrites these values in its own words (olcLimits' size=, DNs normalised): a folder is
        // up to date when its access control already names the client identity.
        let frontEnd = frontEndDN(suffix: configuration.suffix).lowercased()
        guard !schemaValues("olcAccess", in: installedText).contains(where: { $0.lowercased().contains(frontEnd) }),
            let wantedEntry = try templateEntry(holding: "olcDatabase: {1}mdb", configuration)
        else { return }
        var lines: [String] = []
        for attribute in ["olcAccess", "olcLimits"] {
            lines += replacement(of: attribute, in: wantedEntry) + ["-"]
        }
        lines += ["replace: olcAddContentAcl", "olcAddContentAcl: TRUE", "-"]
        logger.info("bringing the data database's access control up to date")
        let database = file.dropLast(5) + ",cn=config"
        try slapmodify(["dn: \(database)", "changetype: modify"] + lines.dropLast(), configuration, name: "access.ldif")
    }

    /// The data database's index lines the template has and the folder lacks are added, and the
    /// attributes they name are indexed offline (slapindex), so that filters on them (the
    /// reconciler's date windows, say) stop scanning the whole directory.
    private static func addMissingIndexes(_ configuration: Configuration, logger: Logger) throws {
        let folder = configuration.dataDirectory.configDirectory.appendingPathComponent("cn=config")
        guard let file = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .first(where: { $0.hasPrefix("olcDatabase={") && $0.hasSuffix("mdb.ldif") })
        else { return }
        let installed = Set(schemaValues("olcDbIndex", in: try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)))
        let template = try String(contentsOf: configuration.resources.configTemplate, encoding: .utf8)
        let missing = schemaValues("olcDbIndex", in: template).filter { !installed.contains($0) }
        guard !missing.isEmpty else { return }
        logger.info("adding indexes to the data folder's database", metadata: ["indexes": "\(missing.joined(separator: "; "))"])
        let database = file.dropLast(5) + ",cn=config"  // olcDatabase={1}mdb.ldif: the entry olcDatabase={1}mdb
        try slapmodify(["dn: \(database)", "changetype: modify", "add: olcDbIndex"] + missing.map { "olcDbIndex: \($0)" }, configuration, name: "indexes.ldif")
        let attributes = missing.flatMap { $0.split(separator: " ").first.map { $0.split(separator: ",").map(String.init) } ?? [] }
        let directory = configuration.dataDirectory
        try ChildProcess.run(
            configuration.slapindexPath, ["-q", "-F", directory.configDirectory.path, "-b", configuration.suffix] + attributes,
            logPath: directory.slapdLog.path)
    }

    private static func schemaFolder(_ configuration: Configuration) -> URL {
        configuration.dataDirectory.configDirectory.appendingPathComponent("cn=config").appendingPathComponent("cn=schema")
    }

    /// Installed schema entries by name (`cn={4}annuaire.ldif` → "annuaire": its file).
    private static func installedSchemas(_ configuration: Configuration) throws -> [String: URL] {
        let folder = schemaFolder(configuration)
        var schemas: [String: URL] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasPrefix("cn={") && file.hasSuffix(".ldif") {
            guard let brace = file.firstIndex(of: "}") else { continue }
            schemas[String(file[file.index(after: brace)...].dropLast(5))] = folder.appendingPathComponent(file)
        }
        return schemas
    }

    /// The schema files the template includes, in order, with the project's.
    private static func wantedSchemas(_ configuration: Configuration) throws -> [(name: String, file: URL)] {
        let template = try String(contentsOf: configuration.resources.configTemplate, encoding: .utf8)
        var wanted: [(String, URL)] = []
        for line in template.split(separator: "\n") where line.hasPrefix("include: file://") {
            let path = String(line.dropFirst("include: file://".count))
            if path == "{{PROJECT_SCHEMA}}" {
                wanted.append(("annuaire", configuration.resources.projectSchema))
            } else if path.hasPrefix("{{SYSTEM_SCHEMA_DIR}}/") {
                let file = String(path.dropFirst("{{SYSTEM_SCHEMA_DIR}}/".count))
                wanted.append((String(file.dropLast(5)), URL(fileURLWithPath: configuration.systemSchemaDirectory).appendingPathComponent(file)))
            }
        }
        return wanted
    }

    private static func addMissingSchemas(_ configuration: Configuration, logger: Logger) throws {
        let installed = try installedSchemas(configuration)
        for (name, file) in try wantedSchemas(configuration) where installed[name] == nil {
            logger.info("adding a schema to the data folder's configuration", metadata: ["schema": "\(name)"])
            try ChildProcess.run(
                configuration.slapaddPath, ["-n0", "-F", configuration.dataDirectory.configDirectory.path, "-l", file.path],
                logPath: configuration.dataDirectory.slapdLog.path)
        }
    }

    /// The values of `attribute` in an LDIF text, unfolded, without slapd's `{N}` ordering prefixes, spaces collapsed.
    static func schemaValues(_ attribute: String, in text: String) -> [String] {
        let unfolded = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n ", with: "")
        let prefix = attribute.lowercased() + ":"
        return unfolded.split(separator: "\n").compactMap { line -> String? in
            guard line.lowercased().hasPrefix(prefix) else { return nil }
            var value = line.dropFirst(prefix.count).drop { $0 == " " }
            if value.hasPrefix("{"), let close = value.firstIndex(of: "}") { value = value[value.index(after: close)...] }
            return value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        }
    }

    private static func updateProjectSchema(_ configuration: Configuration, logger: Logger) throws {
        guard let installedFile = try installedSchemas(configuration)["annuaire"] else { return }
        let installed = try String(contentsOf: installedFile, encoding: .utf8)
        let project = try String(contentsOf: configuration.resources.projectSchema, encoding: .utf8)
        let kinds = ["olcAttributeTypes", "olcObjectClasses"]
        guard kinds.contains(where: { schemaValues($0, in: installed) != schemaValues($0, in: project) }) else { return }
        logger.info("updating the Annuaire schema of the data folder", metadata: [
            "attributeTypes": "\(schemaValues("olcAttributeTypes", in: installed).count) -> \(schemaValues("olcAttributeTypes", in: project).count)",
            "objectClasses": "\(schemaValues("olcObjectClasses", in: installed).count) -> \(schemaValues("olcObjectClasses", in: project).count)",
        ])
        let entry = "cn=" + installedFile.deletingPathExtension().lastPathComponent.dropFirst(3) + ",cn=schema,cn=config"
        var lines = ["dn: \(entry)", "changetype: modify"]
        for (index, kind) in kinds.enumerated() {
            if index > 0 { lines.append("-") }
            lines.append("replace: \(kind)")
            lines += schemaValues(kind, in: project).map { "\(kind): \($0)" }
        }
        try slapmodify(lines, configuration, name: "schema.ldif")
    }

    /// Sets the argon2 module's parameters when the folder was made with others.
    private static func applyArgon2(_ configuration: Configuration, logger: Logger) throws {
        let file = configuration.dataDirectory.configDirectory.appendingPathComponent("cn=config").appendingPathComponent("cn=module{0}.ldif")
        let loads = schemaValues("olcModuleLoad", in: try String(contentsOf: file, encoding: .utf8))
        let numbered = loads.enumerated().map { "{\($0.offset)}\($0.element)" }
        let wanted = numbered.map { value -> String in
            guard let brace = value.firstIndex(of: "}"), value[value.index(after: brace)...].hasPrefix("argon2") else { return value }
            return "\(value[...brace])argon2 \(configuration.argon2.moduleArguments)"
        }
        guard wanted != numbered else { return }
        logger.info("setting the argon2 password hash parameters", metadata: ["argon2": "\(configuration.argon2)"])
        try slapmodify(
            ["dn: cn=module{0},cn=config", "changetype: modify", "replace: olcModuleLoad"] + wanted.map { "olcModuleLoad: \($0)" },
            configuration, name: "argon2.ldif")
    }

    private static func slapmodify(_ lines: [String], _ configuration: Configuration, name: String) throws {
        let directory = configuration.dataDirectory
        let change = directory.runDirectory.appendingPathComponent(name)
        defer { try? FileManager.default.removeItem(at: change) }
        try (lines.joined(separator: "\n") + "\n").write(to: change, atomically: true, encoding: .utf8)
        try ChildProcess.run(configuration.slapmodifyPath, ["-n0", "-F", directory.configDirectory.path, "-l", change.path], logPath: directory.slapdLog.path)
    }
}
