/// Writes a ``Value`` as compact JSON text (RFC 8259): no whitespace, UTF-8.
///
/// Strings escape `"`, `\` and control characters (`\n \r \t \b \f`, others as `\u00XX`) and keep
/// every other character as raw UTF-8. Integers are written exactly. Doubles are written in their
/// shortest round-trip form (a whole double keeps its `.0`, large or small ones use an exponent,
/// e.g. `1e+16`), so ``JSONParser`` reads back the identical double; NaN and ±infinity are written
/// as `null` because JSON has no spelling for them. Object members keep their order.
/// Stateless: safe to call from any thread.
///
/// ```swift
/// JSONWriter.string(["id": "1", "outputs": [0.5, 1.0]])  // {"id":"1","outputs":[0.5,1.0]}
/// ```
public enum JSONWriter {
    /// Appends the compact JSON of `value` to `buffer`.
    public static func write(_ value: Value, into buffer: inout [UInt8]) {
        var output = JSONOutput()
        write(value, into: &output)
        buffer.append(contentsOf: output.written)
    }

    /// The compact JSON of `value` as bytes.
    public static func bytes(_ value: Value) -> [UInt8] {
        var output = JSONOutput()
        write(value, into: &output)
        return Array(output.written)
    }

    /// The compact JSON of `value` as a string.
    public static func string(_ value: Value) -> String {
        var output = JSONOutput()
        write(value, into: &output)
        return String(decoding: output.written, as: UTF8.self)
    }

    /// Writes `value` and everything in it.
    static func write(_ value: Value, into output: inout JSONOutput) {
        switch value {
        case .null: output.append("null")
        case .bool(let flag): output.append(flag ? "true" : "false")
        case .int(let integer): writeInteger(integer, into: &output)
        case .double(let number): writeDouble(number, into: &output)
        case .string(let text): writeString(text, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in object.members {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(member, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    // MARK: - Scalars

    /// Appends the decimal digits of `integer`, exactly (`Int64.min` included).
    static func writeInteger(_ integer: Int64, into output: inout JSONOutput) {
        if integer < 0 { output.append(UInt8(ascii: "-")) }
        writeDigits(integer.magnitude, into: &output)
    }

    /// Appends the decimal digits of `magnitude` straight into the output, without a `String`.
    static func writeDigits(_ magnitude: UInt64, into output: inout JSONOutput) {
        var length = 1
        var bound: UInt64 = 10
        while length < 20, magnitude >= bound {
            length += 1
            bound = bound &* 10
        }
        let destination = output.reserve(length)
        var remaining = magnitude
        for position in stride(from: length - 1, through: 0, by: -1) {
            let (quotient, digit) = remaining.quotientAndRemainder(dividingBy: 10)
            destination[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digit)
            remaining = quotient
        }
        output.commit(length)
    }
}
