// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "notices",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "notices", targets: ["notices"]),
        .library(name: "Jinja", targets: ["Jinja"]),
        .library(name: "NoticesKit", targets: ["NoticesKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
    ],
    targets: [
        // GitHub's cmark-gfm, from the Debian packages libcmark-gfm-dev and
        // libcmark-gfm-extensions-dev.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // The template engine: knows nothing of notices, and builds without unsafe
        // flags, so its library product can be depended on.
        .target(name: "Jinja", dependencies: [.product(name: "BigInt", package: "BigInt")]),
        .target(
            name: "NoticesKit",
            dependencies: [
                "Jinja",
                "CCmarkGFM",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The review site's templates and the starter repository, compiled into the binary (PackageResources).
            // Resources/Starter links to templates/ and examples/ci/ for `notices init`.
            resources: [.embedInCode("Resources/preview.html.j2"), .embedInCode("Resources/preview-message.html.j2"),
                        .embedInCode("Resources/preview.css")]
                + ["README.md", "announcement.md.j2", "bcop.ics.j2", "layout.html.j2", "lifecycle.j2", "mail.css",
                   "maintenance.html.j2", "maintenance.md.j2", "outage.txt.j2", "starter.yaml", "github-actions.yml"]
                .map { .embedInCode("Resources/Starter/\($0)") }
        ),
        .executableTarget(
            name: "notices",
            dependencies: [
                "NoticesKit",
                "Jinja",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets (docs/FUZZING.md); plain builds link them as ordinary tools.
        .executableTarget(name: "FuzzLoader", dependencies: ["NoticesKit"],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(name: "FuzzJinja", dependencies: ["Jinja"],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(name: "FuzzMarkdown", dependencies: ["NoticesKit"],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        // Template benchmark (docs/PERFORMANCE.md).
        .executableTarget(name: "JinjaBench", dependencies: ["Jinja"],
                          exclude: ["bench.py", "maintenance.md.j2", "filters.md.j2", "context.json", "filters.json"]),
        .testTarget(name: "JinjaTests", dependencies: ["Jinja"],
                    exclude: ["generate_fixtures.py", "random_templates.py"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "NoticesKitTests", dependencies: ["NoticesKit", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
                    exclude: ["markdown_reference.py", "netbox_docs_reference.py"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EndToEndTests", dependencies: ["notices", "TestSupport"], exclude: ["Consumers", "HelpSnapshots"]),
        // Helpers shared by the test targets: input trees, the CLI runner, seeded randomness.
        .target(name: "TestSupport", dependencies: ["NoticesKit"], path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
