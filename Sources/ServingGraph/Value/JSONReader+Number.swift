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
        // A local cursor (and locals for the buffer) stay in registers through the digit loops;
        // `index` is written back once at the end.
        let base = self.base
        let count = self.count
        let start = index
        var index = self.index
        defer { self.index = index }
        let negative = base[index] == UInt8(ascii: "-")
        if negative { index += 1 }

        // Integer part. `significand` wraps past 19 digits; it is only used when there are at most
        // 19 (an Int64 candidate) or 15 (the fast double path).
        guard index < count, isDigit(base[index]) else {
            throw error(at: index, "expected a digit after '-'")
        }
        var significand: UInt64 = 0
        var significantDigits = 0
        if base[index] == UInt8(ascii: "0") {
            index &+= 1
            if index < count, isDigit(base[index]) {
                throw error(at: index, "leading zeros are not allowed in numbers")
            }
        } else {
            let digitsStart = index
            while index &+ 8 <= count, let eight = Self.eightDigits(at: base + index) {
                significand = significand &* 100_000_000 &+ eight
                index &+= 8
            }
            while index < count, isDigit(base[index]) {
                significand = significand &* 10 &+ UInt64(base[index] &- UInt8(ascii: "0"))
                index &+= 1
            }
            significantDigits = index &- digitsStart
        }
        let integerDigits = significantDigits
        var isInteger = true
        var exponent = 0

        // Fraction.
        if index < count, base[index] == UInt8(ascii: ".") {
            isInteger = false
            index &+= 1
            let fractionStart = index
            guard index < count, isDigit(base[index]) else {
                throw error(at: index, "expected a digit after the decimal point")
            }
            if significantDigits == 0 {
                // Zeros right after "0." are not significant ("0.000123" is 123e-6).
                while index < count, base[index] == UInt8(ascii: "0") { index &+= 1 }
            }
            let significantStart = index
            while index &+ 8 <= count, let eight = Self.eightDigits(at: base + index) {
                significand = significand &* 100_000_000 &+ eight
                index &+= 8
            }
            while index < count, isDigit(base[index]) {
                significand = significand &* 10 &+ UInt64(base[index] &- UInt8(ascii: "0"))
                index &+= 1
            }
            significantDigits &+= index &- significantStart
            exponent = fractionStart &- index
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
            let value =
                exponent < 0
                ? magnitude / Self.exactPowerOfTen(-exponent)
                : magnitude * Self.exactPowerOfTen(exponent)
            return .double(negative ? -value : value)
        }
        return .double(try slowDouble(from: start, to: index))
    }

    /// Converts the number text `start..<end` with the standard library's correctly rounded parser.
    private func slowDouble(from start: Int, to end: Int) throws(JSONParseError) -> Double {
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error(at: start, "number \(text) is out of the range of a 64-bit double")
        }
        return value
    }

    /// The value of the eight ASCII digits at `pointer`, or nil when any byte is not a digit.
    ///
    /// SWAR (eight bytes in one `UInt64`), as in simdjson and fast_float (Lemire, "Number parsing at
    /// a gigabyte per second", 2021): the check adds 0x46 and subtracts 0x30 per byte, and any byte
    /// outside '0'...'9' sets its high bit; three multiplies then combine the digits pairwise.
    @inline(__always)
    private static func eightDigits(at pointer: UnsafePointer<UInt8>) -> UInt64? {
        let chunk = UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
        let digits = chunk &- 0x3030_3030_3030_3030
        guard (chunk &+ 0x4646_4646_4646_4646 | digits) & 0x8080_8080_8080_8080 == 0 else { return nil }
        let pairs = digits &* 10 &+ (digits >> 8)
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        return ((pairs & mask) &* 0x000F_4240_0000_0064 &+ ((pairs >> 16) & mask) &* 0x0000_2710_0000_0001) >> 32
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
