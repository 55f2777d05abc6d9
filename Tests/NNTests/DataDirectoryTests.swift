import NN
import XCTest

/// Resolution of the data directory and the missing-file message.
final class DataDirectoryTests: XCTestCase {
  func testExplicitPathWinsOverEnvironment() {
    let data = DataDirectory.resolve(
      option: "/opt/data", environment: ["SWIFT_AUTOGRAD_DATA": "/env", "HOME": "/home/u"])
    XCTAssertEqual(data.path, "/opt/data")
    XCTAssertEqual(data.source, .explicit)
  }

  func testEnvironmentVariableWinsOverDefault() {
    let data = DataDirectory.resolve(
      option: nil, environment: ["SWIFT_AUTOGRAD_DATA": "/env", "HOME": "/home/u"])
    XCTAssertEqual(data.path, "/env")
    XCTAssertEqual(data.source, .environment)
  }

  func testDefaultIsUnderTheCacheDirectory() {
    let plain = DataDirectory.resolve(option: "", environment: ["HOME": "/home/u"])
    XCTAssertEqual(plain.path, "/home/u/.cache/swift-autograd")
    XCTAssertEqual(plain.source, .defaultCache)
    let xdg = DataDirectory.resolve(
      environment: ["SWIFT_AUTOGRAD_DATA": "", "XDG_CACHE_HOME": "/x", "HOME": "/home/u"])
    XCTAssertEqual(xdg.path, "/x/swift-autograd")
  }

  func testFetchCommandNamesTheDirectoryUnlessDefault() {
    XCTAssertEqual(
      DataDirectory.resolve(environment: ["HOME": "/h"]).fetchCommand, "bash scripts/fetch-data.sh")
    XCTAssertEqual(
      DataDirectory(path: "/d").fetchCommand, "bash scripts/fetch-data.sh '/d'")
  }

  func testLocateListsCandidatesAndTheFetchCommand() throws {
    let directory = try DataFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = DataDirectory(path: directory.path)
    let error = assertDataError(
      try data.locate(dataset: "Thing", candidates: ["a/x", "b/x"]),
      mentioning: "bash scripts/fetch-data.sh")
    XCTAssertTrue(error?.description.contains("\(directory.path)/b/x") ?? false)
    try DataFixtures.write([1], to: directory, "b/x")
    XCTAssertEqual(
      try data.locate(dataset: "Thing", candidates: ["a/x", "b/x"]), data.appending("b/x"))
  }
}
