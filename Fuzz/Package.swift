// swift-tools-version: 6.0
// libFuzzer targets for the pure LDAP codec (LDAPProtocol). Not part of the
// root package: build and run them with Fuzz/run.sh (see Fuzz/README.md).
import Foundation
import PackageDescription

/// The root package as a dependency: SwiftPM names a path dependency after its
/// folder, whatever the clone is called (`annuaire`, `main`, a worktree...).
let rootFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootPackage = rootFolder.lastPathComponent

let package = Package(
    name: "AnnuaireFuzz",
    dependencies: [
        .package(path: ".."),
        // Same URL and version as the root Package.swift (resolved offline from /opt/swift-packages).
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // One executable per fuzz target. Each defines LLVMFuzzerTestOneInput and no
        // main(): the fuzzing driver comes from the sanitizer runtime (-sanitize=fuzzer).
        // SwiftPM links every Swift executable with `--defsym main=<Module>_main`
        // (testable executables), so each target also defines `<Module>_main`, a
        // one-line call of the runtime's LLVMFuzzerRunDriver, which is all that
        // libFuzzer's own main() does (see Fuzz/README.md).
        .target(name: "CFuzzerDriver"),
        .executableTarget(name: "FuzzPDU", dependencies: deps),
        .executableTarget(name: "FuzzFilter", dependencies: deps),
        .executableTarget(name: "FuzzDN", dependencies: deps),
        .executableTarget(name: "FuzzControls", dependencies: deps),
        .executableTarget(name: "FuzzLDIF", dependencies: deps),
    ]
)

var deps: [Target.Dependency] {
    [
        .product(name: "LDAPProtocol", package: rootPackage),
        .product(name: "SwiftASN1", package: "swift-asn1"),
        "CFuzzerDriver",
    ]
}
