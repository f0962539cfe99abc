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
        // The HTTP service (`s2s serve` runs it), apart so that `s2s` never links or waits for SwiftNIO.
        .executable(name: "s2s-serve", targets: ["s2s-serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
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
        .target(name: "S2SNumerics", dependencies: ["CDNNL", "CKernels"]),
        .target(name: "S2SText", dependencies: ["CICU"]),
        .target(name: "S2SCorpus", dependencies: ["CSQLite", "S2SText", "S2SNumerics"]),
        .target(name: "S2SLayers", dependencies: ["S2SNumerics"]),
        .target(name: "S2SModel", dependencies: ["S2SLayers", "S2SNumerics", "S2SText", "S2SCorpus"]),
        // CICU for the Unicode classes of sacrebleu's `intl` tokenizer and the script of a
        // reference (which BLEU tokenizer a target language needs); not S2SText: scoring must
        // not depend on the translation pipeline it judges.
        .target(name: "S2SEval", dependencies: ["CICU"]),
        // Collectives between the ranks of an `mpirun` job (or the identity in one process).
        .target(name: "S2SDistributed", dependencies: ["CMPI", "CKernels"]),
        .target(name: "S2SDecode", dependencies: ["S2SModel", "S2SText"]),
        // The training loop sits above decoding and evaluation: validation reports greedy BLEU.
        .target(name: "S2STraining", dependencies: ["S2SDistributed", "S2SModel", "S2SDecode", "S2SEval", "S2SCorpus", "S2SText", "S2SLayers", "S2SNumerics"]),

        // MARK: The command-line tool
        .executableTarget(
            name: "s2s",
            dependencies: [
                "S2SNumerics", "S2SText", "S2SCorpus", "S2SLayers", "S2SModel", "S2SDecode", "S2SEval", "S2STraining", "S2SDistributed",
                "CDNNL", "CICU",  // `s2s --version` asks the loaded libraries for their versions
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["BuildCommit"]
        ),
        // MARK: The translation service (SwiftNIO), its own library and binary
        .target(name: "S2SServe", dependencies: [
            "S2SDecode", "S2SModel", "S2SEval",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .executableTarget(
            name: "s2s-serve",
            dependencies: [
                "S2SServe", "S2SModel", "S2SNumerics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),

        // Writes the git commit of the build into the s2s target (`s2s --version`).
        .plugin(name: "BuildCommit", capability: .buildTool(), path: "Plugins/BuildCommit"),

        // MARK: Tests (Swift Testing), one target per module
        .testTarget(name: "S2SNumericsTests", dependencies: ["S2SNumerics"]),
        .testTarget(name: "S2STextTests", dependencies: ["S2SText", "S2SCommandSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "S2SCorpusTests", dependencies: ["S2SCorpus", "S2SText", "S2SNumerics"], resources: [.copy("Fixtures")]),
        // Finite-difference gradient checks, shared by the layer and model tests.
        .target(name: "S2SGradientCheck", dependencies: ["S2SLayers", "S2SNumerics"], path: "Tests/S2SGradientCheck"),
        // Runs the built s2s binary for the end-to-end tests.
        .target(name: "S2SCommandSupport", path: "Tests/S2SCommandSupport"),
        .testTarget(name: "S2SLayersTests", dependencies: ["S2SLayers", "S2SNumerics", "S2SGradientCheck"]),
        .testTarget(name: "S2SModelTests", dependencies: ["S2SModel", "S2SDecode", "S2SLayers", "S2SNumerics", "S2SText", "S2SCorpus", "S2SGradientCheck"], resources: [.copy("Fixtures")]),
        .testTarget(name: "S2SDecodeTests", dependencies: ["S2SDecode", "S2SModel", "S2SLayers", "S2SCommandSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "S2STrainingTests", dependencies: ["S2STraining", "S2SModel", "S2SLayers", "S2SEval", "S2SCorpus", "S2SText"]),
        .testTarget(name: "S2SEvalTests", dependencies: ["S2SEval", "S2SCommandSupport"], resources: [.copy("Fixtures")]),
        // The built `s2s` binary run as a user runs it (model search path, --version).
        .testTarget(name: "S2SCommandTests", dependencies: ["S2SCommandSupport"]),
        // The built `s2s-serve` on a loopback port, spoken to over real HTTP.
        .testTarget(name: "S2SServeTests", dependencies: ["S2SCommandSupport"]),
    ]
)
