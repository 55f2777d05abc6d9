// swift-tools-version: 6.0
import PackageDescription

/// Compiler settings shared by every Swift target.
let swiftSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6)
]

let package = Package(
  name: "swift-autograd",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "AutoGrad", targets: ["AutoGrad"]),
    .library(name: "NN", targets: ["NN"]),
    .library(name: "Optim", targets: ["Optim"]),
    .executable(name: "Examples", targets: ["Examples"]),
    .executable(name: "Benchmarks", targets: ["Benchmarks"]),
  ],
  targets: [
    .systemLibrary(
      name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]),
    .target(name: "AutoGrad", swiftSettings: swiftSettings),
    .target(name: "NN", dependencies: ["AutoGrad", "CZlib"], swiftSettings: swiftSettings),
    .target(name: "Optim", dependencies: ["AutoGrad"], swiftSettings: swiftSettings),
    .executableTarget(
      name: "Examples", dependencies: ["AutoGrad", "NN", "Optim", "CZlib"], swiftSettings: swiftSettings),
    .executableTarget(
      name: "Benchmarks", dependencies: ["AutoGrad", "NN", "Optim"], swiftSettings: swiftSettings),
    .testTarget(name: "AutoGradTests", dependencies: ["AutoGrad"], swiftSettings: swiftSettings),
    .testTarget(name: "NNTests", dependencies: ["NN", "AutoGrad"], swiftSettings: swiftSettings),
    .testTarget(
      name: "ExamplesTests", dependencies: ["Examples", "AutoGrad", "NN", "Optim"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "OptimTests", dependencies: ["Optim", "NN", "AutoGrad"], swiftSettings: swiftSettings),
  ]
)
