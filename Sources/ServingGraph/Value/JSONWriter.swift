/// Writes a ``Value`` as compact JSON text (RFC 8259): no whitespace, UTF-8.
///
/// Strings escape `"`, `\` and control characters (`\n \r \t \b \f`, others as `\u00XX`) and keep
/// every other character as raw UTF-8. Integers are written exactly. Doubles are written in their
/// shortest round-trip form (a whole double keeps its `.0`, large or small ones use an exponent,
/// e.g. `1e+16`), so ``JSONParser`` reads back the identical double; NaN and ±infinity are written
/// as `null` because JSON has no spelling for them. Object members keep their order.
///
/// ```swift
/// JSONWriter.string(["id": "1", "outputs": [0.5, 1.0]])  // {"id":"1","outputs":[0.5,1.0]}
/// ```
public enum JSONWriter {
    /// Appends the compact JSON of `value` to `buffer`.
    public static func write(_ value: Value, into buffer: inout [UInt8]) {
        switch value {
        case .null: appendASCII("null", to: &buffer)
        case .bool(let flag): appendASCII(flag ? "true" : "false", to: &buffer)
        case .int(let integer): writeInteger(integer, into: &buffer)
        case .double(let number): writeDouble(number, into: &buffer)
        case .string(let text): writeString(text, into: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                write(element, into: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let object):
            buffer.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in object.members {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &buffer)
                buffer.append(UInt8(ascii: ":"))
                write(member, into: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    /// The compact JSON of `value` as bytes.
    public static func bytes(_ value: Value) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        write(value, into: &buffer)
        return buffer
    }

    /// The compact JSON of `value` as a string.
    public static func string(_ value: Value) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    // MARK: - Scalars

    /// Appends the decimal digits of `integer`, exactly (`Int64.min` included).
    static func writeInteger(_ integer: Int64, into buffer: inout [UInt8]) {
        if integer < 0 { buffer.append(UInt8(ascii: "-")) }
        writeDigits(integer.magnitude, into: &buffer)
    }

    /// Appends the decimal digits of `magnitude` without going through `String`.
    static func writeDigits(_ magnitude: UInt64, into buffer: inout [UInt8]) {
        if magnitude < 10 {
            buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var remaining = magnitude
            var position = 20
            while remaining > 0 {
                let (quotient, digit) = remaining.quotientAndRemainder(dividingBy: 10)
                position -= 1
                digits[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digit)
                remaining = quotient
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[position...]))
        }
    }

    static func appendASCII(_ text: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
