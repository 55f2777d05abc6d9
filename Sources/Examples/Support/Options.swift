import Foundation

/// A command-line mistake, reported with usage text and exit status 64.
enum OptionsError: Error, Equatable, CustomStringConvertible {
  /// A flag no one declared, e.g. `--epoch` for `--epochs`.
  case unknownOption(String)
  /// A flag that needs a value came last, or was followed by another flag.
  case missingValue(option: String)
  /// A value that does not parse or is out of range; `expected` says what would.
  case invalidValue(option: String, value: String, expected: String)
  /// A bare word where a flag was expected.
  case unexpectedArgument(String)
  /// A subcommand that names no experiment.
  case unknownExperiment(String)
  /// No subcommand at all.
  case missingCommand

  var description: String {
    switch self {
    case .unknownOption(let option):
      return "unknown option '\(option)'"
    case .missingValue(let option):
      return "option '--\(option)' needs a value"
    case .invalidValue(let option, let value, let expected):
      return "invalid value '\(value)' for '--\(option)': expected \(expected)"
    case .unexpectedArgument(let argument):
      return "unexpected argument '\(argument)'"
    case .unknownExperiment(let name):
      return "unknown experiment or command '\(name)' (see 'Examples list')"
    case .missingCommand:
      return "missing command (options follow it: 'Examples <experiment> --quick')"
    }
  }
}

/// The command line of one run, parsed once into typed fields.
///
/// Common flags are stored properties; an experiment's own flags are read through the typed
/// handles it declared: `options[Self.epochs]`.
struct Options: Sendable {
  /// `--quick`: the scaled-down run that finishes in seconds.
  var quick = false
  /// `--seed N`: the seed of every random generator in the run.
  var seed: UInt64 = 0
  /// `--data DIR`, or `nil` to let the data loader choose (environment, then a cache folder).
  var dataDirectory: String?
  /// `--out DIR`: where the run writes its files (default `runs/<slug>`).
  var outputDirectory: String
  /// `--dataset NAME`, or `nil` for the experiment's default dataset.
  var dataset: String?
  /// The experiment's own flags, in declaration order.
  let specs: [OptionSpec]
  /// The value of every flag in `specs`: the one given, or its (quick) default.
  private(set) var values: [String: OptionValue] = [:]

  /// The common flags with their usage placeholder and help, for usage text.
  static let commonFlags: [(flag: String, help: String)] = [
    ("--quick", "scaled-down run (subset, fewer epochs) for smoke tests"),
    ("--seed N", "seed for every random generator (default 0)"),
    ("--data DIR", "data directory (default: $SWIFT_AUTOGRAD_DATA, then a cache folder)"),
    ("--out DIR", "output directory (default runs/<experiment>)"),
    ("--dataset NAME", "dataset, for experiments that offer a choice"),
  ]

  /// Options with every experiment flag at its default: the common part of `common` is kept.
  init(common: Options, specs: [OptionSpec], outputDirectory: String) {
    var base = common
    base.outputDirectory = outputDirectory
    self.init(copying: base, specs: specs, given: [:])
  }

  private init(copying other: Options, specs: [OptionSpec], given: [String: OptionValue]) {
    quick = other.quick
    seed = other.seed
    dataDirectory = other.dataDirectory
    outputDirectory = other.outputDirectory
    dataset = other.dataset
    self.specs = specs
    for spec in specs {
      values[spec.name] = given[spec.name] ?? spec.effectiveDefault(quick: quick)
    }
  }

  private init(defaultOutput: String) {
    outputDirectory = defaultOutput
    specs = []
  }

  /// The value of an experiment flag, given or defaulted.
  ///
  /// - Precondition: the experiment listed `option.spec` in its `extraOptions`.
  subscript<Value>(option: Option<Value>) -> Value {
    guard let raw = values[option.spec.name], let value = Value(optionValue: raw) else {
      preconditionFailure("Options: '--\(option.spec.name)' is not in this experiment's options")
    }
    return value
  }

  /// The experiment's flags with their values, in declaration order.
  var experimentValues: [(name: String, value: OptionValue)] {
    specs.compactMap { spec in values[spec.name].map { (name: spec.name, value: $0) } }
  }

  /// Parses flags in any order; `--name value` and `--name=value` are both accepted.
  ///
  /// - Parameters:
  ///   - arguments: the arguments after the subcommand.
  ///   - specs: the experiment's own flags (empty for `all`).
  ///   - defaultOutput: the output directory when `--out` is absent.
  static func parse(
    _ arguments: [String], specs: [OptionSpec], defaultOutput: String
  ) throws(OptionsError) -> Options {
    var options = Options(defaultOutput: defaultOutput)
    var given: [String: OptionValue] = [:]
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      guard argument.hasPrefix("--"), argument.count > 2 else {
        throw .unexpectedArgument(argument)
      }
      let body = argument.dropFirst(2)
      let name: String
      var inlineValue: String?
      if let equals = body.firstIndex(of: "=") {
        name = String(body[..<equals])
        inlineValue = String(body[body.index(after: equals)...])
      } else {
        name = String(body)
      }
      let spec = specs.first { $0.name == name }
      let takesValue = spec.map { $0.kind != .flag } ?? (name != "quick")
      func value() throws(OptionsError) -> String {
        if let inlineValue { return inlineValue }
        guard index < arguments.count, !arguments[index].hasPrefix("--") else {
          throw .missingValue(option: name)
        }
        index += 1
        return arguments[index - 1]
      }
      if let spec {
        let text = takesValue ? try value() : (inlineValue ?? "true")
        given[name] = try parseValue(text, for: spec)
        continue
      }
      switch name {
      case "quick": options.quick = try parseBool(inlineValue ?? "true", option: name)
      case "seed":
        let text = try value()
        guard let seed = UInt64(text) else {
          throw .invalidValue(option: name, value: text, expected: "a whole number 0...2^64-1")
        }
        options.seed = seed
      case "data": options.dataDirectory = try nonEmpty(value(), option: name)
      case "out": options.outputDirectory = try nonEmpty(value(), option: name)
      case "dataset": options.dataset = try nonEmpty(value(), option: name)
      default: throw .unknownOption("--" + name)
      }
    }
    return Options(copying: options, specs: specs, given: given)
  }

  /// Parses one experiment flag's text according to its kind, choices and range.
  static func parseValue(_ text: String, for spec: OptionSpec) throws(OptionsError) -> OptionValue {
    func invalid(_ expected: String) -> OptionsError {
      .invalidValue(option: spec.name, value: text, expected: expected)
    }
    let rangeText =
      spec.range.map {
        " in \(Format.shortest($0.lowerBound))...\(Format.shortest($0.upperBound))"
      } ?? ""
    func checked(_ number: Double, _ kind: String) throws(OptionsError) -> Double {
      guard number.isFinite, spec.range?.contains(number) ?? true else {
        throw invalid(kind + rangeText)
      }
      return number
    }
    switch spec.kind {
    case .int:
      guard let number = Int(text) else { throw invalid("a whole number" + rangeText) }
      _ = try checked(Double(number), "a whole number")
      return .int(number)
    case .double:
      guard let number = Double(text) else { throw invalid("a number" + rangeText) }
      return .double(try checked(number, "a number"))
    case .doubles:
      let parts = text.split(separator: ",", omittingEmptySubsequences: false)
      var numbers: [Double] = []
      for part in parts {
        let trimmed = part.trimmingCharacters(in: .whitespaces)
        guard let number = Double(trimmed) else {
          throw invalid("comma-separated numbers" + rangeText)
        }
        numbers.append(try checked(number, "comma-separated numbers"))
      }
      return .doubles(numbers)
    case .string:
      if let choices = spec.choices, !choices.contains(text) {
        throw invalid("one of " + choices.joined(separator: ", "))
      }
      return .string(try nonEmpty(text, option: spec.name))
    case .flag:
      return .flag(try parseBool(text, option: spec.name))
    }
  }

  private static func parseBool(_ text: String, option: String) throws(OptionsError) -> Bool {
    switch text {
    case "true", "yes", "1": return true
    case "false", "no", "0": return false
    default: throw .invalidValue(option: option, value: text, expected: "true or false")
    }
  }

  private static func nonEmpty(_ text: String, option: String) throws(OptionsError) -> String {
    guard !text.isEmpty else { throw .invalidValue(option: option, value: text, expected: "text") }
    return text
  }
}
