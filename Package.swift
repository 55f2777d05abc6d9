// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// The x86-64 level the vector kernels are compiled for (Docs/GEMM.md, "The build story").
///
/// `AUTOGRAD_CPU=portable|x86-64-v3|x86-64-v4` chooses. Otherwise root and local-path builds
/// target the level of the machine that builds them (their binaries need that level), and a
/// checkout of a remote dependency stays portable: SwiftPM rejects unsafe flags in versioned
/// dependencies.
func kernelLevel() -> String {
  if let level = Context.environment["AUTOGRAD_CPU"] { return level }
  if Context.packageDirectory.contains("/checkouts/") { return "portable" }
  #if arch(x86_64) && os(Linux)
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return "portable" }
    let flags = Set(line.split(separator: " ").map(String.init))
    let v3 = ["avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"]
    let v4 = v3 + ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"]
    if v4.allSatisfy(flags.contains) { return "x86-64-v4" }
    if v3.allSatisfy(flags.contains) { return "x86-64-v3" }
    return "portable"
  #elseif arch(x86_64) && os(macOS)
    return "x86-64-v3"  // every Intel Mac that runs macOS 15 has AVX2 and FMA
  #else
    return "portable"  // arm64: NEON and FMA are the baseline
  #endif
}

/// Compiler settings shared by every Swift target.
let swiftSettings: [SwiftSetting] =
  [.swiftLanguageMode(.v6)]
  + {
    switch kernelLevel() {
    case "x86-64-v4": [.unsafeFlags(["-Xcc", "-march=x86-64-v4"]), .define("AUTOGRAD_AVX512")]
    case "x86-64-v3": [.unsafeFlags(["-Xcc", "-march=x86-64-v3"]), .define("AUTOGRAD_AVX2")]
    default: []
    }
  }()

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
      name: "Examples", dependencies: ["AutoGrad", "NN", "Optim", "CZlib"],
      swiftSettings: swiftSettings),
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
