import Foundation
import NN

/// Loading the datasets for experiments: the `--data` directory (else the environment variable,
/// else the cache folder), fetched on first use with `scripts/fetch-data.sh`, saying so.
extension RunContext {
  /// The data directory chosen by `--data` or the environment.
  var dataDirectory: DataDirectory { DataDirectory.resolve(option: options.dataDirectory) }

  /// One split of MNIST or Fashion-MNIST, fetched first if it is missing.
  func loadMNIST(_ split: MNIST.Split, variant: MNIST.Variant = .digits) throws -> ImageDataset {
    let directory = dataDirectory
    do {
      return try MNIST.load(split, variant: variant, from: directory)
    } catch .fileNotFound {
      try fetchData(variant == .digits ? "--mnist-only" : "--fashion-only", into: directory)
      return try MNIST.load(split, variant: variant, from: directory)
    }
  }

  /// One split of OCTMNIST, or `nil` when `octmnist.npz` is not in the data directory (it
  /// cannot be fetched here: MedMNIST is downloaded by hand).
  func loadOCTMNIST(_ split: OCTMNIST.Split) throws -> ImageDataset? {
    do {
      return try OCTMNIST.load(split, from: dataDirectory)
    } catch .fileNotFound {
      return nil
    }
  }

  /// Runs the fetch script for the datasets `flag` names, into `directory`.
  private func fetchData(_ flag: String, into directory: DataDirectory) throws {
    let script = Self.repositoryRoot.appendingPathComponent("scripts/fetch-data.sh").path
    guard FileManager.default.fileExists(atPath: script) else {
      throw DataSupportError.fetchFailed(
        "the dataset is missing from \(directory.path) and the fetch script is not at \(script); "
          + "run `\(directory.fetchCommand)` from the swift-autograd repository")
    }
    console.print("Dataset missing in \(directory.path): fetching it with scripts/fetch-data.sh …")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["bash", script, flag, directory.path]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw DataSupportError.fetchFailed(
        "fetching the data failed (exit \(process.terminationStatus)); run "
          + "`\(directory.fetchCommand)` by hand and see its message")
    }
  }

  /// The repository this program was built from (three levels above this source file).
  private static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
  }
}

/// A dataset could not be fetched.
enum DataSupportError: Error, CustomStringConvertible {
  case fetchFailed(String)

  var description: String {
    switch self {
    case .fetchFailed(let message): return message
    }
  }
}
