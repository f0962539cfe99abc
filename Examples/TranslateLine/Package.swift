// swift-tools-version: 6.1
// An application that uses s2s as a library: it depends on the s2s package by path and imports
// the `S2S` product alone.
import PackageDescription

let package = Package(
    name: "TranslateLine",
    dependencies: [
        .package(name: "s2s", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "TranslateLine", dependencies: [.product(name: "S2S", package: "s2s")]),
        .testTarget(name: "TranslateLineTests", dependencies: [.product(name: "S2S", package: "s2s")]),
    ]
)
