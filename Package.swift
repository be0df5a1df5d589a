// swift-tools-version: 6.0
import PackageDescription

/// Settings shared by every target (the hummingbird model): Swift 6 language
/// mode with strict concurrency is the package default for tools version 6.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// Linux only, hence no `platforms`: slapd and libldap do the storage, and the
// server and its tests use Glibc (signals, process groups, mount namespaces).
let package = Package(
    name: "Annuaire",
    products: [
        .executable(name: "annuaire", targets: ["annuaire"]),
        .library(name: "LDAPProtocol", targets: ["LDAPProtocol"]),
        .library(name: "LibLDAP", targets: ["LibLDAP"]),
        .library(name: "DirectoryBackend", targets: ["DirectoryBackend"]),
        .library(name: "DirectoryServer", targets: ["DirectoryServer"]),
        .library(name: "Messages", targets: ["Messages"]),
        .library(name: "ServerApplication", targets: ["ServerApplication"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Portal (issue #17): the partner web portal.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLDAP",
            pkgConfig: "ldap",
            providers: [.apt(["libldap2-dev"])]
        ),
        // glibc's malloc.h (mallopt), for the executable's arena limit.
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "LDAPProtocol",
            dependencies: [.product(name: "SwiftASN1", package: "swift-asn1")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Messages",
            swiftSettings: swiftSettings
        ),
        // The one libldap wrapper: handle set-up (TLS, SASL EXTERNAL), requests, results, memory
        // rules; the server's pooled connections, the CLI's and the portal's client share it.
        .target(
            name: "LibLDAP",
            dependencies: ["CLDAP", "LDAPProtocol"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DirectoryBackend",
            dependencies: [
                "CLDAP",
                "LDAPProtocol",
                "LibLDAP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HabilitationRules",
            dependencies: ["LDAPProtocol", "Messages"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Habilitations",
            dependencies: [
                "HabilitationRules", "LDAPProtocol", "DirectoryBackend", "CCurl", "Messages",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DirectoryServer",
            dependencies: [
                "LDAPProtocol",
                "DirectoryBackend",
                "Habilitations",
                "Messages",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // Portal (issue #17): "Mon Compte Partenaire", an HTTP front-end that is an LDAP client
        // of the server, bound as the person logged in.
        .target(
            name: "Portal",
            dependencies: [
                "DirectoryBackend", "LDAPProtocol", "LibLDAP", "Messages",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ServerOperations",
            dependencies: [
                "DirectoryBackend", "Habilitations",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The application object: one `annuaire serve` (slapd, store, rules, mail, listeners, portal)
        // built and shut down in one place; the command and the tests' server both run it.
        .target(
            name: "ServerApplication",
            dependencies: [
                "DirectoryBackend", "DirectoryServer", "Habilitations", "Portal", "ServerOperations",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnnuaireCLI",
            dependencies: [
                "DirectoryBackend", "Habilitations", "LDAPProtocol", "LibLDAP", "Messages",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "annuaire",
            dependencies: [
                "CMalloc",
                "AnnuaireCLI",
                "DirectoryServer",
                "DirectoryBackend",
                "LibLDAP",
                "Habilitations",
                "ServerOperations",
                "ServerApplication",
                "Portal",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "annuaire-bench",
            dependencies: [
                "LDAPProtocol",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Benchmarks/LoadGenerator",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "annuaire-bridge-check",
            dependencies: [
                "DirectoryBackend", "Habilitations", "LDAPProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tools/BridgeCheck",
            exclude: ["valgrind.supp"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnnuaireTestSupport",
            dependencies: [
                "AnnuaireCLI", "DirectoryBackend", "DirectoryServer", "Habilitations", "LDAPProtocol", "ServerApplication",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/AnnuaireTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnnuaireCLITests",
            dependencies: ["AnnuaireCLI", "AnnuaireTestSupport", "DirectoryBackend", "DirectoryServer", "Habilitations", "LDAPProtocol", "LibLDAP",
                           "annuaire"],  // the server commands' help (ServerCommandHelpTests)
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServerOperationsTests",
            dependencies: [
                "ServerOperations", "ServerApplication", "AnnuaireTestSupport", "DirectoryBackend", "DirectoryServer", "Habilitations", "LDAPProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MessagesTests",
            dependencies: ["Messages"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LDAPProtocolTests",
            dependencies: ["LDAPProtocol", .product(name: "SwiftASN1", package: "swift-asn1")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DirectoryBackendTests",
            dependencies: ["DirectoryBackend", "LDAPProtocol", "Habilitations", "AnnuaireTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HabilitationsTests",
            dependencies: ["Habilitations", "LDAPProtocol", "DirectoryBackend", "DirectoryServer", "AnnuaireTestSupport", "Messages"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["AnnuaireCLI", "AnnuaireTestSupport", "DirectoryServer", "Habilitations", "LDAPProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PortalTests",
            dependencies: ["Portal", "AnnuaireTestSupport", "DirectoryServer", "Habilitations", "LDAPProtocol", "Messages",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DirectoryServerTests",
            dependencies: [
                "DirectoryServer", "DirectoryBackend", "LDAPProtocol", "Habilitations", "AnnuaireTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
