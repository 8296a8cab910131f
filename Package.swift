// swift-tools-version: 6.1
import PackageDescription

/// Upcoming features every target enables (see ../shared/STYLE.md §4).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// A benchmark executable under `Benchmarks/<name>`, run with `swift run -c release <name>`.
func benchmark(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: dependencies, path: "Benchmarks/\(name)", swiftSettings: strictSettings)
}

let package = Package(
    name: "swift-serving",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "serve", targets: ["serve"]),
        .library(name: "ModelServer", targets: ["ModelServer"]),
        .library(name: "FeatureEnrich", targets: ["FeatureEnrich"]),
        .library(name: "ServingGraph", targets: ["ServingGraph"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "CLinuxShim"),
        // DWARF 4: valgrind 3.19 (callgrind, used by the instruction-count benchmarks) cannot read this
        // target's DWARF 5 debug info and refuses to start.
        .target(name: "CSQLiteWAL", dependencies: ["CSQLite"], cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        .target(name: "ServingGraph", swiftSettings: strictSettings),
        .target(
            name: "FeatureEnrich", dependencies: ["ServingGraph", "CSQLite", "CSQLiteWAL"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ModelServer",
            dependencies: ["ServingGraph", "FeatureEnrich", "CLinuxShim"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "serve", dependencies: ["ModelServer", "FeatureEnrich"], swiftSettings: strictSettings),
        .testTarget(name: "ServingGraphTests", dependencies: ["ServingGraph"], swiftSettings: strictSettings),
        .testTarget(
            name: "FeatureEnrichTests",
            dependencies: ["FeatureEnrich", "ServingGraph", "CSQLite"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ModelServerTests",
            dependencies: ["ModelServer", "ServingGraph", "FeatureEnrich", "CLinuxShim"],
            swiftSettings: strictSettings
        ),
        // Benchmarks: one executable each, printing a table and the command that reproduces it.
        benchmark("JSONBench", ["ServingGraph"]),
        benchmark("GraphBench", ["ServingGraph"]),
        benchmark("AggregationBench", ["FeatureEnrich"]),
        benchmark("StoreBench", ["FeatureEnrich"]),
        benchmark("OnlineStoreBench", ["FeatureEnrich", "ServingGraph"]),
        benchmark("HTTPBench", ["ModelServer", "ServingGraph"]),
        .executableTarget(
            name: "OpenLoop",
            dependencies: ["CLinuxShim"],
            path: "Benchmarks/OpenLoop/Sources",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OpenLoopTests",
            dependencies: ["OpenLoop"],
            path: "Benchmarks/OpenLoop/Tests",
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
