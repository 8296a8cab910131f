/// Reads JSON text (RFC 8259) from raw UTF-8 bytes into a ``Value``.
///
/// The reader is strict: exactly one value surrounded by optional whitespace (space, tab, LF, CR);
/// no comments, trailing commas, single quotes, `NaN`/`Infinity`, or byte order mark (a leading
/// `EF BB BF` is rejected, as RFC 8259 §8.1 lets parsers do). Strings must be valid UTF-8 (no overlong
/// forms, no encoded surrogates), must not contain raw control characters (< 0x20), and `\u` escapes
/// must pair surrogates correctly.
///
/// Numbers follow the RFC grammar exactly. A number without fraction or exponent that fits `Int64`
/// becomes `.int` (so `-0` reads as `.int(0)`); every other number becomes a correctly rounded
/// `.double` (`1e2` is `.double(100.0)`, `-0.0` is `.double(-0.0)`, `9223372036854775808` is a
/// double). A number too large for `Double` (`1e400`) is rejected rather than read as infinity, since
/// ``JSONWriter`` could not write it back.
///
/// Duplicate object keys: the last value wins and the member keeps the position of the first
/// occurrence (`{"a":1,"b":2,"a":3}` reads as `{"a":3,"b":2}`), as ``ValueObject`` does.
///
/// Nesting deeper than `maxDepth` arrays/objects is rejected. The parser does not recurse, so the
/// limit bounds memory, not stack use. Errors carry the byte offset (see ``JSONParseError``).
///
/// ```swift
/// let body = try JSONParser.parse(#"{"id":"1","inputs":[]}"#)
/// body["id"]  // .string("1")
/// ```
public enum JSONParser {
    /// Default nesting limit.
    public static let defaultMaxDepth = 512

    /// Parses one JSON value from `bytes`; `maxDepth` bounds how many arrays/objects may nest.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer,
        maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> Value {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw JSONParseError(offset: 0, reason: "empty input, expected a JSON value")
        }
        var reader = JSONReader(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count, maxDepth: maxDepth)
        return try reader.readDocument()
    }

    /// Parses one JSON value from `bytes`; `maxDepth` bounds how many arrays/objects may nest.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> Value {
        let result: Result<Value, JSONParseError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> Value in try parse(buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    /// Parses one JSON value from the UTF-8 of `text`; `maxDepth` bounds how many arrays/objects may nest.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> Value {
        var text = text
        let result: Result<Value, JSONParseError> = text.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> Value in try parse(UnsafeRawBufferPointer(buffer), maxDepth: maxDepth) }
        }
        return try result.get()
    }
}
