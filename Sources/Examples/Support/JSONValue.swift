/// A JSON value with deterministic output: objects keep insertion order.
///
/// Integers are kept apart from reals so that counts print as `974`, not `974.0`, and a
/// 64-bit seed survives exactly. Non-finite reals, which JSON cannot hold, are written as
/// the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case integer(Int128)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// Wraps any value that has a JSON form: `JSONValue([0.5, 0.25])`.
  init(_ value: some JSONRepresentable) {
    self = value.json
  }

  /// The document as pretty-printed text, two-space indented, ending with a newline.
  ///
  /// Arrays of scalars stay on one line (`[2.15, 0.55, 2.7]`), so that a matrix prints one
  /// row per line.
  var prettyPrinted: String {
    var text = ""
    write(to: &text, indent: "")
    return text + "\n"
  }

  private var isScalar: Bool {
    switch self {
    case .array, .object: return false
    default: return true
    }
  }

  private func write(to text: inout String, indent: String) {
    let inner = indent + "  "
    switch self {
    case .null: text += "null"
    case .bool(let value): text += value ? "true" : "false"
    case .integer(let value): text += String(value)
    case .number(let value): text += JSONValue.format(value)
    case .string(let value): JSONValue.quote(value, into: &text)
    case .array(let elements):
      if elements.isEmpty {
        text += "[]"
      } else if elements.allSatisfy(\.isScalar) {
        text += "["
        for (index, element) in elements.enumerated() {
          if index > 0 { text += ", " }
          element.write(to: &text, indent: inner)
        }
        text += "]"
      } else {
        text += "[\n"
        for (index, element) in elements.enumerated() {
          text += inner
          element.write(to: &text, indent: inner)
          text += index + 1 < elements.count ? ",\n" : "\n"
        }
        text += indent + "]"
      }
    case .object(let object):
      if object.isEmpty {
        text += "{}"
        return
      }
      text += "{\n"
      for (index, (key, value)) in object.enumerated() {
        text += inner
        JSONValue.quote(key, into: &text)
        text += ": "
        value.write(to: &text, indent: inner)
        text += index + 1 < object.count ? ",\n" : "\n"
      }
      text += indent + "}"
    }
  }

  /// Shortest text that reads back as the same `Double`; integral values get no `.0`.
  static func format(_ value: Double) -> String {
    guard value.isFinite else {
      return value.isNaN ? "\"NaN\"" : (value > 0 ? "\"Infinity\"" : "\"-Infinity\"")
    }
    if value == value.rounded(), abs(value) < 1e15 {
      return String(Int64(value))
    }
    return "\(value)"
  }

  private static func quote(_ string: String, into text: inout String) {
    text += "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: text.unicodeScalars.append(scalar)
      }
    }
    text += "\""
  }
}

extension JSONValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral
{
  init(integerLiteral value: Int) { self = .integer(Int128(value)) }
  init(floatLiteral value: Double) { self = .number(value) }
  init(booleanLiteral value: Bool) { self = .bool(value) }
  init(stringLiteral value: String) { self = .string(value) }
  init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

/// A JSON object that remembers the order in which keys were first set.
struct JSONObject: Equatable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
  private var keys: [String] = []
  private var storage: [String: JSONValue] = [:]

  init() {}

  init(dictionaryLiteral elements: (String, JSONValue)...) {
    for (key, value) in elements { self[key] = value }
  }

  /// The number of keys.
  var count: Int { keys.count }
  /// Whether there are no keys.
  var isEmpty: Bool { keys.isEmpty }

  /// The value for `key`; setting a new key appends it, setting `nil` removes it.
  subscript(key: String) -> JSONValue? {
    get { storage[key] }
    set {
      if let newValue {
        if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
      } else if storage.removeValue(forKey: key) != nil {
        keys.removeAll { $0 == key }
      }
    }
  }

  func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
    keys.lazy.compactMap { key in storage[key].map { (key: key, value: $0) } }.makeIterator()
  }
}

/// A Swift value with a natural JSON form; arrays and dictionaries of such values have one too.
protocol JSONRepresentable {
  /// The value as JSON.
  var json: JSONValue { get }
}

extension JSONValue: JSONRepresentable {
  var json: JSONValue { self }
}

extension Bool: JSONRepresentable {
  var json: JSONValue { .bool(self) }
}

extension String: JSONRepresentable {
  var json: JSONValue { .string(self) }
}

extension Int: JSONRepresentable {
  var json: JSONValue { .integer(Int128(self)) }
}

extension UInt64: JSONRepresentable {
  var json: JSONValue { .integer(Int128(self)) }
}

extension Double: JSONRepresentable {
  var json: JSONValue { .number(self) }
}

extension Float: JSONRepresentable {
  /// Widened through its shortest decimal form, so `0.1` stays `0.1`, not `0.100000001…`.
  var json: JSONValue { .number(Double("\(self)") ?? Double(self)) }
}

extension Array: JSONRepresentable where Element: JSONRepresentable {
  var json: JSONValue { .array(map(\.json)) }
}

extension Optional: JSONRepresentable where Wrapped: JSONRepresentable {
  var json: JSONValue { self?.json ?? .null }
}

extension Dictionary: JSONRepresentable where Key == String, Value: JSONRepresentable {
  /// Keys sorted, so that output does not depend on hashing.
  var json: JSONValue {
    var object = JSONObject()
    for key in keys.sorted() { object[key] = self[key]?.json }
    return .object(object)
  }
}

extension JSONObject: JSONRepresentable {
  var json: JSONValue { .object(self) }
}
