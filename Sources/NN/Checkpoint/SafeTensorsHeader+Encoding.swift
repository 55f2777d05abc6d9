extension SafeTensorsHeader {
  /// The header as written to disk: compact JSON in the layout Python's `safetensors` writes —
  /// `__metadata__` first (keys sorted, so output is reproducible; omitted when empty), then the
  /// tensors in `entries` order — padded with spaces to a multiple of 8 bytes.
  func encoded() -> [UInt8] {
    var members: [String] = []
    if !metadata.isEmpty {
      let pairs = metadata.sorted { $0.key < $1.key }
        .map { Self.quoted($0.key) + ":" + Self.quoted($0.value) }
      members.append(Self.quoted(Self.metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
    }
    for entry in entries {
      let shape = entry.shape.map(String.init).joined(separator: ",")
      members.append(
        Self.quoted(entry.name) + ":{\"dtype\":" + Self.quoted(entry.dtype.rawValue)
          + ",\"shape\":[" + shape + "],\"data_offsets\":[\(entry.begin),\(entry.end)]}")
    }
    var bytes = Array(("{" + members.joined(separator: ",") + "}").utf8)
    bytes += repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8)
    return bytes
  }

  /// `text` as a JSON string literal: quotes, backslashes and control characters escaped,
  /// everything else as UTF-8.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
