/// The kind of value an experiment-specific flag takes on the command line.
enum OptionKind: Sendable, Equatable {
  /// A whole number: `--epochs 20`.
  case int
  /// A real number: `--lr 0.1`.
  case double
  /// A comma-separated list of real numbers: `--lr 0.1,0.01`.
  case doubles
  /// Free text: `--optimizer sgd`.
  case string
  /// A switch without a value: `--shuffle` (or `--shuffle=false`).
  case flag

  /// How the value is shown in usage text, e.g. `N` in `--epochs N`.
  var placeholder: String {
    switch self {
    case .int: return "N"
    case .double: return "X"
    case .doubles: return "X[,X...]"
    case .string: return "TEXT"
    case .flag: return ""
    }
  }
}

/// A parsed flag value, tagged with its kind.
enum OptionValue: Sendable, Equatable {
  case int(Int)
  case double(Double)
  case doubles([Double])
  case string(String)
  case flag(Bool)

  /// The value as `results.json` stores it under `parameters`.
  var json: JSONValue {
    switch self {
    case .int(let value): return .integer(Int128(value))
    case .double(let value): return .number(value)
    case .doubles(let values): return .array(values.map(JSONValue.number))
    case .string(let value): return .string(value)
    case .flag(let value): return .bool(value)
    }
  }

  /// The value as the parameter listing prints it.
  var text: String {
    switch self {
    case .int(let value): return String(value)
    case .double(let value): return Format.shortest(value)
    case .doubles(let values): return values.map(Format.shortest).joined(separator: ",")
    case .string(let value): return value
    case .flag(let value): return String(value)
    }
  }
}

/// A Swift type that an experiment-specific option can hold.
protocol OptionValueConvertible: Sendable {
  /// The command-line kind that produces this type.
  static var optionKind: OptionKind { get }
  /// Wraps a value of this type.
  var optionValue: OptionValue { get }
  /// Unwraps a parsed value; `nil` when the kind does not match.
  init?(optionValue: OptionValue)
  /// The accepted spellings for a `.string` option; `nil` accepts any text.
  static var optionChoices: [String]? { get }
}

extension OptionValueConvertible {
  static var optionChoices: [String]? { nil }
}

/// A string enum usable as an option: `enum Init: String, CaseIterable, OptionChoice { case he }`.
///
/// Parsing accepts exactly the raw values and lists them in the usage text and in errors.
protocol OptionChoice: OptionValueConvertible, RawRepresentable, CaseIterable
where RawValue == String {}

extension OptionChoice {
  static var optionKind: OptionKind { .string }
  static var optionChoices: [String]? { allCases.map(\.rawValue) }
  var optionValue: OptionValue { .string(rawValue) }
  init?(optionValue: OptionValue) {
    guard case .string(let text) = optionValue else { return nil }
    self.init(rawValue: text)
  }
}

extension Int: OptionValueConvertible {
  static var optionKind: OptionKind { .int }
  var optionValue: OptionValue { .int(self) }
  init?(optionValue: OptionValue) {
    guard case .int(let value) = optionValue else { return nil }
    self = value
  }
}

extension Double: OptionValueConvertible {
  static var optionKind: OptionKind { .double }
  var optionValue: OptionValue { .double(self) }
  init?(optionValue: OptionValue) {
    guard case .double(let value) = optionValue else { return nil }
    self = value
  }
}

extension Array: OptionValueConvertible where Element == Double {
  static var optionKind: OptionKind { .doubles }
  var optionValue: OptionValue { .doubles(self) }
  init?(optionValue: OptionValue) {
    guard case .doubles(let values) = optionValue else { return nil }
    self = values
  }
}

extension String: OptionValueConvertible {
  static var optionKind: OptionKind { .string }
  var optionValue: OptionValue { .string(self) }
  init?(optionValue: OptionValue) {
    guard case .string(let value) = optionValue else { return nil }
    self = value
  }
}

extension Bool: OptionValueConvertible {
  static var optionKind: OptionKind { .flag }
  var optionValue: OptionValue { .flag(self) }
  init?(optionValue: OptionValue) {
    guard case .flag(let value) = optionValue else { return nil }
    self = value
  }
}

/// The untyped description of one experiment-specific flag: name, kind, defaults and help.
struct OptionSpec: Sendable, Equatable {
  /// The flag without its dashes: `"epochs"` for `--epochs`.
  let name: String
  /// What the flag's value is parsed as.
  let kind: OptionKind
  /// The value used when the flag is absent.
  let defaultValue: OptionValue
  /// The value used when the flag is absent and `--quick` is given; `nil` means `defaultValue`.
  let quickValue: OptionValue?
  /// One line of help for the usage text.
  let help: String
  /// The accepted values of a `.string` option; `nil` accepts any text.
  let choices: [String]?
  /// The accepted range of an `.int`, `.double` or `.doubles` option (every element).
  let range: ClosedRange<Double>?

  /// The default that applies to a run with or without `--quick`.
  func effectiveDefault(quick: Bool) -> OptionValue {
    quick ? (quickValue ?? defaultValue) : defaultValue
  }
}

/// A typed handle on an experiment-specific flag; experiments declare these as `static let`.
///
/// ```swift
/// static let epochs = Option<Int>("epochs", default: 20, quick: 2, help: "training epochs")
/// static let rates = Option<[Double]>("lr", default: [0.1, 0.01], help: "learning rates")
/// static var extraOptions: [OptionSpec] { [epochs.spec, rates.spec] }
/// // in init(context:):  epochs = context[Self.epochs]
/// ```
struct Option<Value: OptionValueConvertible>: Sendable {
  /// The untyped description the parser uses.
  let spec: OptionSpec

  /// Declares a flag `--name` whose default is `defaultValue`, or `quick` under `--quick`.
  ///
  /// - Parameter range: for numbers, the accepted values (`1...1000` for a count);
  ///   the parser rejects anything outside it with a message naming the flag.
  init(
    _ name: String, default defaultValue: Value, quick: Value? = nil,
    range: ClosedRange<Double>? = nil, help: String
  ) {
    precondition(
      !name.isEmpty && !name.hasPrefix("-"),
      "Option: name must be given without dashes, got \"\(name)\"")
    spec = OptionSpec(
      name: name, kind: Value.optionKind, defaultValue: defaultValue.optionValue,
      quickValue: quick?.optionValue, help: help, choices: Value.optionChoices, range: range)
  }
}

extension Option where Value == Bool {
  /// Declares a switch `--name`, off unless given.
  init(_ name: String, help: String) {
    self.init(name, default: false, help: help)
  }
}
