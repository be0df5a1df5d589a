public import DirectoryBackend
public import Foundation

/// A copy of the project's `Schema/` and `Fixtures/` in a temporary folder, to
/// edit into what another version ships (a schema without a type, a template
/// without an index, one more system schema) for the upgrade tests.
public struct EditedResources {
    public let resources: ProjectResources

    public init() throws {
        resources = ProjectResources(root: URL(fileURLWithPath: try TestDirectory.makeTemporaryFolder("res")))
        try FileManager.default.copyItem(at: TestDirectory.resources.schemaDirectory, to: resources.schemaDirectory)
        try FileManager.default.copyItem(at: TestDirectory.resources.fixturesDirectory, to: resources.fixturesDirectory)
    }

    /// Rewrites one of the copied files.
    public func edit(_ file: URL, _ change: (String) throws -> String) throws {
        try change(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: resources.root)
    }
}
