public import Foundation

/// The portal's templates, stylesheet and script: `Resources/` of the Portal
/// target, copied by SwiftPM next to the executable
/// (`Annuaire_Portal.resources/Resources`), else found in the checkout
/// (`Sources/Portal/Resources`) above the executable or the working
/// directory, or where `ANNUAIRE_PORTAL_RESOURCES` says.
public struct PortalResources: Sendable {
    public let root: URL

    public var templates: URL { root.appendingPathComponent("templates") }
    public var staticFiles: URL { root.appendingPathComponent("static") }

    public struct NotFound: Error, CustomStringConvertible {
        public var description: String {
            "cannot find the portal's templates (Annuaire_Portal.resources next to the executable, or Sources/Portal/Resources in the checkout); set ANNUAIRE_PORTAL_RESOURCES to the folder that holds templates/ and static/"
        }
    }

    public init(root: URL) { self.root = root }

    public static func locate() throws -> PortalResources {
        let files = FileManager.default
        func complete(_ url: URL) -> Bool { files.fileExists(atPath: url.appendingPathComponent("templates/login.mustache").path) }
        if let explicit = ProcessInfo.processInfo.environment["ANNUAIRE_PORTAL_RESOURCES"], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit)
            guard complete(url) else { throw NotFound() }
            return PortalResources(root: url)
        }
        var starts: [URL] = []
        if let executable = try? files.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
            let bundled = folder.appendingPathComponent("Annuaire_Portal.resources/Resources")
            if complete(bundled) { return PortalResources(root: bundled) }
            starts.append(folder)
        }
        starts.append(URL(fileURLWithPath: files.currentDirectoryPath))
        for start in starts {
            var candidate = start.standardizedFileURL
            while true {
                let source = candidate.appendingPathComponent("Sources/Portal/Resources")
                if complete(source) { return PortalResources(root: source) }
                let parent = candidate.deletingLastPathComponent()
                if parent.path == candidate.path { break }
                candidate = parent
            }
        }
        throw NotFound()
    }
}
