extension SafeTensorsHeader {
  /// A strict reader of the JSON tokens a safetensors header is made of (RFC 8259 syntax).
  ///
  /// It is not a general JSON parser: the header decoder asks for exactly the structure it
  /// expects (an object of objects of strings and integer arrays), so nothing recurses and no
  /// tree is built. Anything else — a stray byte, an unterminated string, a bad escape, invalid
  /// UTF-8, a fraction where an integer belongs — throws `SafeTensorsError.invalidHeader` with
  /// the byte offset in the file.
  struct Scanner {
    /// The header bytes (without the 8-byte length prefix).
    let bytes: [UInt8]
    /// The checkpoint's path, for error messages.
    let path: String
    /// Index of the next unread byte of `bytes`.
    private(set) var position = 0

    init(bytes: [UInt8], path: String) {
      self.bytes = bytes
      self.path = path
    }

    /// Offset of the header in the file: it follows the 8-byte length prefix.
    static let headerStart = 8

    /// An `invalidHeader` error at `index` of the header (default: the current position).
    func error(_ reason: String, at index: Int? = nil) -> SafeTensorsError {
      .invalidHeader(path: path, offset: Self.headerStart + (index ?? position), reason: reason)
    }

    /// Skips JSON whitespace (space, tab, line feed, carriage return).
    mutating func skipWhitespace() {
      while position < bytes.count {
        switch bytes[position] {
        case 0x20, 0x09, 0x0A, 0x0D: position += 1
        default: return
        }
      }
    }

    /// The next non-whitespace byte, without consuming it; `nil` at the end.
    mutating func peek() -> UInt8? {
      skipWhitespace()
      return position < bytes.count ? bytes[position] : nil
    }

    /// Consumes `byte` if it is next (after whitespace).
    mutating func consume(_ byte: Character) -> Bool {
      guard let ascii = byte.asciiValue, peek() == ascii else { return false }
      position += 1
      return true
    }

    /// Consumes `byte`, or throws saying what was expected there.
    mutating func expect(_ byte: Character, _ what: String) throws(SafeTensorsError) {
      guard consume(byte) else { throw error("expected \(what), found \(describeNext())") }
    }

    /// After an object member or array element: `true` if a `,` follows, `false` if `close`.
    mutating func commaOr(_ close: Character) throws(SafeTensorsError) -> Bool {
      if consume(",") { return true }
      if consume(close) { return false }
      throw error("expected ',' or '\(close)', found \(describeNext())")
    }

    /// Throws unless only whitespace is left.
    mutating func expectEnd() throws(SafeTensorsError) {
      guard peek() == nil else {
        throw error("unexpected \(describeNext()) after the header object")
      }
    }

    /// A JSON string.
    mutating func string() throws(SafeTensorsError) -> String {
      let start = position
      guard consume("\"") else { throw error("expected a string, found \(describeNext())") }
      var utf8: [UInt8] = []
      while position < bytes.count {
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""):
          // Raw bytes were copied as they are; escapes were appended as valid UTF-8.
          guard let text = String(validating: utf8, as: UTF8.self) else {
            throw error("string is not valid UTF-8", at: start)
          }
          return text
        case UInt8(ascii: "\\"):
          try unescape(into: &utf8)
        case 0..<0x20:
          throw error(
            "unescaped control character 0x\(String(byte, radix: 16)) in a string",
            at: position - 1)
        default:
          utf8.append(byte)
        }
      }
      throw error("unterminated string", at: start)
    }

    /// A JSON number that is an integer (no fraction, no exponent) and fits in `Int`.
    mutating func integer() throws(SafeTensorsError) -> Int {
      skipWhitespace()
      let start = position
      let negative = position < bytes.count && bytes[position] == UInt8(ascii: "-")
      if negative { position += 1 }
      var value = 0
      var digits = 0
      while position < bytes.count, let digit = Self.digitValue(bytes[position]) {
        if digits == 1 && value == 0 { throw error("number with a leading zero", at: start) }
        let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
        let (next, o2) = shifted.addingReportingOverflow(negative ? -digit : digit)
        if o1 || o2 { throw error("integer out of range", at: start) }
        value = next
        digits += 1
        position += 1
      }
      guard digits > 0 else {
        position = start
        throw error("expected an integer, found \(describeNext())")
      }
      if position < bytes.count, ".eE".utf8.contains(bytes[position]) {
        throw error("expected an integer, found a number with a fraction or exponent", at: start)
      }
      return value
    }

    /// Reads the escape after a backslash and appends its UTF-8 encoding.
    private mutating func unescape(into utf8: inout [UInt8]) throws(SafeTensorsError) {
      let start = position - 1
      guard position < bytes.count else { throw error("unterminated string", at: start) }
      let letter = bytes[position]
      position += 1
      switch letter {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(letter)
      case UInt8(ascii: "b"): utf8.append(0x08)
      case UInt8(ascii: "f"): utf8.append(0x0C)
      case UInt8(ascii: "n"): utf8.append(0x0A)
      case UInt8(ascii: "r"): utf8.append(0x0D)
      case UInt8(ascii: "t"): utf8.append(0x09)
      case UInt8(ascii: "u"):
        var code = try hexQuad(escapeStart: start)
        if (0xD800..<0xDC00).contains(code) {
          // A high surrogate must be followed by an escaped low surrogate.
          guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
            bytes[position + 1] == UInt8(ascii: "u")
          else { throw error("unpaired surrogate in a \\u escape", at: start) }
          position += 2
          let low = try hexQuad(escapeStart: start)
          guard (0xDC00..<0xE000).contains(low) else {
            throw error("unpaired surrogate in a \\u escape", at: start)
          }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else {
          throw error("unpaired surrogate in a \\u escape", at: start)
        }
        UTF8.encode(scalar) { utf8.append($0) }
      default:
        throw error("invalid escape '\\\(Self.printable(letter))' in a string", at: start)
      }
    }

    /// Four hexadecimal digits of a `\u` escape.
    private mutating func hexQuad(escapeStart: Int) throws(SafeTensorsError) -> UInt32 {
      guard position + 4 <= bytes.count else {
        throw error("truncated \\u escape", at: escapeStart)
      }
      var code: UInt32 = 0
      for byte in bytes[position..<position + 4] {
        guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
          throw error("invalid \\u escape", at: escapeStart)
        }
        code = code << 4 | UInt32(digit)
      }
      position += 4
      return code
    }

    /// The next byte, described for an error message ("'x'", "byte 0xC3", "the end of the header").
    private mutating func describeNext() -> String {
      guard let byte = peek() else { return "the end of the header" }
      return "'\(Self.printable(byte))'"
    }

    private static func printable(_ byte: UInt8) -> String {
      (0x21..<0x7F).contains(byte)
        ? String(Character(Unicode.Scalar(byte))) : "\\x" + String(byte, radix: 16)
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
      (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
  }
}
