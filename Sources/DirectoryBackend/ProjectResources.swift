public import Foundation

/// The project's files that the server reads at run time: `Schema/` (slapd's
/// configuration template, the schema, the suffix tree) and `Fixtures/` (the
/// demo directory). Found through `ANNUAIRE_RESOURCES`, else next to the
/// executable or the working directory, or one of their parents (a checkout
/// running `.build/debug/annuaire`), or in `share/annuaire` below one of
/// them (an installation: `/usr/bin/annuaire` finds `/usr/share/annuaire`).
public struct ProjectResources: Sendable {
    public var root: URL

    public init(root: URL) { self.root = root }

    public var schemaDirectory: URL { root.appendingPathComponent("Schema") }
    public var fixturesDirectory: URL { root.appendingPathComponent("Fixtures") }
    public var projectSchema: URL { schemaDirectory.appendingPathComponent("annuaire.ldif") }
    public var configTemplate: URL { schemaDirectory.appendingPathComponent("slapd-config.ldif.template") }
    public var baseTemplate: URL { schemaDirectory.appendingPathComponent("base.ldif.template") }
    public var demoFixture: URL { fixturesDirectory.appendingPathComponent("demo.ldif") }

    public static func locate() throws -> ProjectResources {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["ANNUAIRE_RESOURCES"], !explicit.isEmpty {
            let resources = ProjectResources(root: URL(fileURLWithPath: explicit))
            guard resources.isComplete else {
                throw EmbeddedSlapdError("ANNUAIRE_RESOURCES=\(explicit) has no Schema/annuaire.ldif")
            }
            return resources
        }
        var starts: [URL] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for start in starts {
            var candidate = start.standardizedFileURL
            while true {
                let resources = ProjectResources(root: candidate)
                if resources.isComplete { return resources }
                let installed = ProjectResources(root: candidate.appendingPathComponent("share").appendingPathComponent("annuaire"))
                if installed.isComplete { return installed }
                let parent = candidate.deletingLastPathComponent()
                if parent.path == candidate.path { break }
                candidate = parent
            }
        }
        throw EmbeddedSlapdError(
            "cannot find the project's Schema/ folder next to the executable or the working directory, nor in share/annuaire above them; set ANNUAIRE_RESOURCES to the folder that holds Schema/ and Fixtures/"
        )
    }

    var isComplete: Bool {
        FileManager.default.fileExists(atPath: projectSchema.path)
            && FileManager.default.fileExists(atPath: configTemplate.path)
            && FileManager.default.fileExists(atPath: baseTemplate.path)
    }

    /// A template's text with each `{{NAME}}` replaced.
    public static func render(_ template: URL, _ values: [String: String]) throws -> String {
        var text = try String(contentsOf: template, encoding: .utf8)
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{{\(name)}}", with: value)
        }
        if let range = text.range(of: #"\{\{[A-Z_]+\}\}"#, options: .regularExpression) {
            throw EmbeddedSlapdError("\(template.lastPathComponent): no value for placeholder \(text[range])")
        }
        return text
    }
}
