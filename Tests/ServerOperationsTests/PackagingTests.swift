import AnnuaireTestSupport
import Foundation
import Testing

/// Issue #20, item 1: the systemd unit passes `systemd-analyze verify` with
/// the hardening asked for, the maintainer scripts parse, and a package built
/// by `Packaging/build-deb.sh` carries what an installation needs. (Installing
/// it is `make test-package`, as root, outside the suite.)
@Suite("Packaging: systemd unit and Debian package", .serialized)
struct PackagingTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var packaging: URL { repository.appendingPathComponent("Packaging") }
    static var hasSystemdAnalyze: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") }

    @Test("systemd-analyze verify passes without a warning; the unit is Type=notify, runs as annuaire, hardened, without capabilities", .enabled(if: PackagingTests.hasSystemdAnalyze))
    func unitVerifies() async throws {
        let executable = try #require(ServeOperabilityTests.executable)
        let unit = try String(contentsOf: Self.packaging.appendingPathComponent("systemd/annuaire.service"), encoding: .utf8)
        for line in [
            "Type=notify", "User=annuaire", "ProtectSystem=strict", "ReadWritePaths=/var/lib/annuaire", "NoNewPrivileges=yes",
            "PrivateTmp=yes", "CapabilityBoundingSet=", "AmbientCapabilities=", "KillMode=mixed",
            "ExecStart=/usr/bin/annuaire serve --config /etc/annuaire/annuaire.conf",
        ] {
            #expect(unit.split(separator: "\n").contains(Substring(line)), "the unit lacks \(line)")
        }
        // verify checks that ExecStart's program exists: point it at the built one.
        let folder = try TestDirectory.makeTemporaryFolder("unit")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try unit.replacingOccurrences(of: "/usr/bin/annuaire", with: executable)
            .write(toFile: folder + "/annuaire.service", atomically: true, encoding: .utf8)
        let verify = try await CommandLineTool.run("systemd-analyze", ["verify", folder + "/annuaire.service"])
        #expect(verify.status == 0, "\(verify.error)")
        #expect(verify.error.isEmpty, "systemd-analyze warned: \(verify.error)")
        // The low-ports drop-in grants exactly one capability.
        let dropIn = try String(contentsOf: Self.packaging.appendingPathComponent("systemd/low-ports.conf"), encoding: .utf8)
        #expect(dropIn.contains("AmbientCapabilities=CAP_NET_BIND_SERVICE"))
        #expect(dropIn.contains("CapabilityBoundingSet=CAP_NET_BIND_SERVICE"))
    }

    @Test("the package: Depends on slapd, ldap-utils and the linked libraries' packages; the program, schema, unit, conffile and maintainer scripts inside", .enabled(if: ServeOperabilityTests.executable != nil), .timeLimit(.minutes(5)))
    func debianPackage() async throws {
        let executable = try #require(ServeOperabilityTests.executable)
        for script in ["postinst", "prerm", "postrm"] {
            let check = try await CommandLineTool.run("sh", ["-n", Self.packaging.appendingPathComponent("debian/\(script)").path])
            #expect(check.status == 0, "\(script): \(check.error)")
        }
        let folder = try TestDirectory.makeTemporaryFolder("deb")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The debug build links the toolchain's Swift runtime, which no package ships: allowed here only.
        let build = try await CommandLineTool.run(
            "sh", [Self.packaging.appendingPathComponent("build-deb.sh").path, executable, "0.0.0-test", folder],
            environment: ["ALLOW_UNPACKAGED_LIBS": "1", "DEB_COMPRESSION": "none", "TMPDIR": folder])
        #expect(build.status == 0, "\(build.error)")
        let deb = build.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let depends = try await CommandLineTool.run("dpkg-deb", ["-f", deb, "Depends"])
        for package in ["slapd (>= 2.5)", "ldap-utils", "adduser", "libldap-2.5-0", "libcurl4", "libc6"] {
            #expect(depends.output.contains(package), "Depends: \(depends.output)")
        }
        let contents = try await CommandLineTool.run("dpkg-deb", ["-c", deb])
        for path in [
            "./usr/bin/annuaire", "./usr/share/annuaire/Schema/annuaire.ldif", "./usr/share/annuaire/Schema/slapd-config.ldif.template",
            "./usr/share/annuaire/Fixtures/demo.ldif", "./lib/systemd/system/annuaire.service", "./etc/annuaire/annuaire.conf",
            "./usr/share/doc/annuaire/operations.md", "./usr/share/doc/annuaire/LICENSE", "./usr/share/doc/annuaire/examples/low-ports.conf",
        ] {
            #expect(contents.output.contains(path), "the package lacks \(path)")
        }
        #expect(contents.output.contains("root/root"), "files belong to root")
        let conffiles = try await CommandLineTool.run("dpkg-deb", ["-I", deb, "conffiles"])
        #expect(conffiles.output.contains("/etc/annuaire/annuaire.conf"))
        let postinst = try await CommandLineTool.run("dpkg-deb", ["-I", deb, "postinst"])
        #expect(postinst.output.contains("adduser --system"))
        // The shipped configuration file is one the server accepts, every value parsed and
        // validated as serve does (status reads it so; no data folder there: 4).
        let status = try await CommandLineTool.run(executable, ["status", "--config", Self.packaging.appendingPathComponent("annuaire.conf").path])
        #expect(status.status == 4, "\(status.error)")
        #expect(status.error.isEmpty, "\(status.error)")
    }
}
