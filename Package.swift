// swift-tools-version: 6.1
// s2s: a sequence-to-sequence (RNN + attention) translation toolkit for Linux.
//
// Dependencies point one way:
//   s2s → S2SDecode / S2SEval → S2SModel → S2SLayers → S2SNumerics
//   S2SText and S2SCorpus stand beside them and know nothing of the network.
//   S2STraining → S2SDistributed (MPI collectives) for data-parallel training.
// System libraries each sit behind a target of their own: ICU behind a C shim whose header
// carries no ICU types (Foundation ships its own ICU and the clang modules clash), oneDNN and
// SQLite as system libraries.
import PackageDescription

let package = Package(
    name: "s2s",
    products: [
        .executable(name: "s2s", targets: ["s2s"]),
        // One library product for Swift programs: a small API over every stage (module S2S).
        .library(name: "S2S", targets: ["S2S"]),
        // The HTTP service (`s2s serve` runs it), apart so that `s2s` never links or waits for SwiftNIO.
        .executable(name: "s2s-serve", targets: ["s2s-serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // `make docs`: the DocC documentation of the S2S library (a command plugin only).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", exact: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    ],
    targets: [
        // MARK: System libraries
        .target(
            name: "CICU",
            path: "Sources/CICU",
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3"),
        // Open MPI (Debian's libopenmpi-dev); only `s2s train` under `mpirun` initializes it.
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c"),
        // Fused elementwise kernels in C (runtime ISA dispatch) and the oneDNN helpers that
        // Swift cannot import (function-like macros).
        .target(name: "CKernels", dependencies: ["CDNNL"], path: "Sources/CKernels", linkerSettings: [.linkedLibrary("gomp")]),

        // MARK: Libraries, one per stage
        // The seeded generator every stage draws from (no system library behind it).
        .target(name: "S2SRandom", exclude: ["README.md"]),
        .target(name: "S2SNumerics", dependencies: ["CDNNL", "CKernels", "S2SRandom"], exclude: ["README.md"]),
        .target(name: "S2SText", dependencies: ["CICU"], exclude: ["README.md"]),
        .target(name: "S2SCorpus", dependencies: ["CSQLite", "S2SText", "S2SRandom"], exclude: ["README.md"]),
        .target(name: "S2SLayers", dependencies: ["S2SNumerics"], exclude: ["README.md"]),
        .target(name: "S2SModel", dependencies: ["S2SLayers", "S2SNumerics", "S2SText"], exclude: ["README.md"]),
        // The safetensors format and model bundles (a trained model's directory), the catalog
        // and the model search path.
        .target(name: "S2SBundle", dependencies: ["S2SModel", "S2SLayers", "S2SNumerics", "S2SText"], exclude: ["README.md"]),
        // CICU for the Unicode classes of sacrebleu's `intl` tokenizer and the script of a
        // reference (which BLEU tokenizer a target language needs); not S2SText: scoring must
        // not depend on the translation pipeline it judges.
        .target(name: "S2SEval", dependencies: ["CICU"], exclude: ["README.md"]),
        // Collectives between the ranks of an `mpirun` job (or the identity in one process).
        .target(name: "S2SDistributed", dependencies: ["CMPI", "S2SNumerics"], exclude: ["README.md"]),
        .target(name: "S2SDecode", dependencies: ["S2SBundle", "S2SModel", "S2SNumerics", "S2SText"], exclude: ["README.md"]),
        // The training loop sits above decoding and evaluation: validation reports greedy BLEU.
        .target(name: "S2STraining", dependencies: ["S2SDistributed", "S2SBundle", "S2SModel", "S2SDecode", "S2SEval", "S2SCorpus", "S2SText", "S2SLayers", "S2SNumerics"], exclude: ["README.md"]),
        // Micro-benchmarks and cost models behind `s2s bench`: apart from the product code.
        .target(name: "S2SBenchmarks", dependencies: ["S2STraining", "S2SModel", "S2SLayers", "S2SNumerics"], exclude: ["README.md"]),

        // MARK: The library's public API (everything below it is package/internal to its users)
        .target(name: "S2S", dependencies: ["S2SBundle", "S2SCorpus", "S2SDecode", "S2SModel", "S2SNumerics", "S2SText", "S2STraining"]),

        // MARK: The command-line tool
        .executableTarget(
            name: "s2s",
            dependencies: [
                "S2SNumerics", "S2SText", "S2SCorpus", "S2SLayers", "S2SModel", "S2SBundle", "S2SDecode", "S2SEval", "S2STraining",
                "S2SDistributed", "S2SBenchmarks", "S2SFixtureCheck",
                "CDNNL", "CICU",  // `s2s --version` asks the loaded libraries for their versions
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["BuildCommit"]
        ),
        // MARK: The translation service (SwiftNIO), its own library and binary
        .target(name: "S2SServe", dependencies: [
            "S2SDecode", "S2SBundle", "S2SModel", "S2SText", "S2SNumerics", "S2SEval",
            "CKernels",  // the allocator's figures for /metrics (s2s_heap_in_use)
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .executableTarget(
            name: "s2s-serve",
            dependencies: [
                "S2SServe", "S2SBundle", "S2SModel", "S2SNumerics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),

        // Writes the git commit of the build into the s2s target (`s2s --version`).
        .plugin(name: "BuildCommit", capability: .buildTool(), path: "Plugins/BuildCommit"),

        // MARK: Tests (Swift Testing), one target per module
        .testTarget(name: "S2SNumericsTests", dependencies: ["S2SNumerics", "CKernels"]),
        .testTarget(name: "S2STextTests", dependencies: ["S2SText", "S2SCommandSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "S2SCorpusTests", dependencies: ["S2SCorpus", "S2SNumerics"], resources: [.copy("Fixtures")]),
        // Finite-difference gradient checks, shared by the layer and model tests.
        .target(name: "S2SGradientCheck", dependencies: ["S2SLayers", "S2SNumerics"], path: "Tests/S2SGradientCheck"),
        // The PyTorch reference fixtures (Tests/S2SModelTests/Fixtures) run forward, backward and
        // greedy; also behind `s2s check-fixture`.
        .target(name: "S2SFixtureCheck", dependencies: ["S2SModel", "S2SDecode", "S2SLayers", "S2SNumerics", "S2SText"], path: "Tests/S2SFixtureCheck"),
        // Runs the built s2s binary for the end-to-end tests.
        .target(name: "S2SCommandSupport", path: "Tests/S2SCommandSupport"),
        .testTarget(name: "S2SLayersTests", dependencies: ["S2SLayers", "S2SNumerics", "S2SGradientCheck"]),
        .testTarget(name: "S2SModelTests", dependencies: ["S2SModel", "S2SBundle", "S2SBenchmarks", "S2SFixtureCheck", "S2SDecode", "S2SLayers", "S2SNumerics", "S2SText", "S2SGradientCheck"], resources: [.copy("Fixtures")]),
        .testTarget(name: "S2SDecodeTests", dependencies: ["S2SDecode", "S2SBundle", "S2SFixtureCheck", "S2SModel", "S2SLayers", "S2SNumerics", "S2SText", "S2SCommandSupport", "CKernels"], resources: [.copy("Fixtures")]),
        .testTarget(name: "S2STrainingTests", dependencies: ["S2STraining", "S2SBundle", "S2SBenchmarks", "S2SModel", "S2SDecode", "S2SLayers", "S2SNumerics", "S2SEval", "S2SCorpus", "S2SText"]),
        .testTarget(name: "S2SEvalTests", dependencies: ["S2SEval", "S2SCommandSupport"], resources: [.copy("Fixtures")]),
        // The built `s2s` binary run as a user runs it (model search path, --version).
        .testTarget(name: "S2SCommandTests", dependencies: ["S2SCommandSupport"]),
        // The library as a Swift program uses it.
        .testTarget(name: "S2STests", dependencies: ["S2S"]),
        // The built `s2s-serve` on a loopback port, spoken to over real HTTP.
        .testTarget(name: "S2SServeTests", dependencies: ["S2SCommandSupport"]),
    ]
)

// MARK: Fuzz targets (`make fuzz`), declared only when S2S_FUZZ is set: they are built with
// -sanitize=fuzzer, whose libFuzzer supplies main(), so an ordinary build must not see them.
if Context.environment["S2S_FUZZ"] != nil {
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["S2SText", "S2SModel", "S2SBundle"], path: "Fuzz/Sources/FuzzSupport"))
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("FuzzTokenizer", ["S2SText"]), ("FuzzBPECodes", ["S2SText"]), ("FuzzVocabulary", ["S2SText"]),
        ("FuzzPipeline", ["S2SText"]), ("FuzzSafeTensors", ["S2SBundle", "S2SModel", "S2SNumerics"]),
        ("FuzzModelBundle", ["S2SBundle", "S2SModel"]), ("FuzzImport", ["S2SCorpus"]), ("FuzzEvaluate", ["S2SEval"]),
    ]
    // The HTTP side of `s2s serve`: NIO's request decoder, our request assembly, routing and
    // the JSON validation of `/v1/translate`, with a tiny model loaded behind them.
    package.targets.append(.executableTarget(name: "FuzzServe", dependencies: [
        "S2SServe", "FuzzSupport",
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
    ], path: "Fuzz/Sources/FuzzServe"))
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(name: name, dependencies: dependencies + ["FuzzSupport"], path: "Fuzz/Sources/\(name)"))
    }
}
