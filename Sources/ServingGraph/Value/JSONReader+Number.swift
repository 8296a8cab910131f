/// Number reading: the RFC 8259 §6 grammar, exact `Int64`s and correctly rounded `Double`s.
extension JSONReader {
    /// 10^exponent for 0 ... 22, the powers of ten a `Double` holds exactly (Clinger's fast path).
    @inline(__always)
    static func exactPowerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    /// Reads `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?` at the cursor.
    ///
    /// Integers that fit `Int64` become `.int`. A decimal whose significand has at most 15 digits
    /// and whose power of ten is within ±22 is computed as one correctly rounded multiply or divide
    /// of two exact doubles (Clinger's fast path); anything else goes to the standard library's
    /// correctly rounded `Double(String)`.
    mutating func readNumber() throws(JSONParseError) -> Value {
        let start = index
        let negative = base[index] == UInt8(ascii: "-")
        if negative { index += 1 }

        // Integer part.
        guard index < count, isDigit(base[index]) else {
            throw error(at: index, "expected a digit after '-'")
        }
        var significand: UInt64 = 0
        var significantDigits = 0
        if base[index] == UInt8(ascii: "0") {
            index += 1
            if index < count, isDigit(base[index]) {
                throw error(at: index, "leading zeros are not allowed in numbers")
            }
        } else {
            while index < count, isDigit(base[index]) {
                if significantDigits < 19 {
                    significand = significand &* 10 &+ UInt64(base[index] &- UInt8(ascii: "0"))
                }
                significantDigits += 1
                index += 1
            }
        }
        let integerDigits = significantDigits
        var isInteger = true
        var exponent = 0

        // Fraction.
        if index < count, base[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < count, isDigit(base[index]) else {
                throw error(at: index, "expected a digit after the decimal point")
            }
            while index < count, isDigit(base[index]) {
                let digit = UInt64(base[index] &- UInt8(ascii: "0"))
                if significantDigits > 0 || digit != 0 {
                    if significantDigits < 19 {
                        significand = significand &* 10 &+ digit
                        exponent -= 1
                    }
                    significantDigits += 1
                } else {
                    exponent -= 1
                }
                index += 1
            }
        }

        // Exponent.
        if index < count, base[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            var exponentNegative = false
            if index < count, base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-") {
                exponentNegative = base[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < count, isDigit(base[index]) else {
                throw error(at: index, "expected a digit in the exponent")
            }
            var explicit = 0
            while index < count, isDigit(base[index]) {
                if explicit < 100_000 { explicit = explicit * 10 + Int(base[index] &- UInt8(ascii: "0")) }
                index += 1
            }
            exponent += exponentNegative ? -explicit : explicit
        }

        if isInteger, integerDigits <= 19 {
            if negative {
                if significand <= UInt64(Int64.max) { return .int(-Int64(significand)) }
                if significand == UInt64(Int64.max) + 1 { return .int(.min) }
            } else if significand <= UInt64(Int64.max) {
                return .int(Int64(significand))
            }
        }
        if significantDigits <= 15, exponent >= -22, exponent <= 22 {
            let magnitude = Double(significand)
            let value = exponent < 0
                ? magnitude / Self.exactPowerOfTen(-exponent)
                : magnitude * Self.exactPowerOfTen(exponent)
            return .double(negative ? -value : value)
        }
        return .double(try slowDouble(from: start))
    }

    /// Converts the number text `start..<index` with the standard library's correctly rounded parser.
    private func slowDouble(from start: Int) throws(JSONParseError) -> Double {
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error(at: start, "number \(text) is out of the range of a 64-bit double")
        }
        return value
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
