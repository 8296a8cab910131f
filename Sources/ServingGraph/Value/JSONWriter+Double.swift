/// Double formatting for ``JSONWriter``: shortest round-trip text, valid JSON.
extension JSONWriter {
    /// Appends the shortest round-trip form of `number`, or `null` when it is not finite.
    ///
    /// The output is what `Double.description` prints (always valid JSON for finite values:
    /// `0.1`, `1.0`, `1e-05`, `1e+16`), produced without a `String` for the common cases.
    static func writeDouble(_ number: Double, into buffer: inout [UInt8]) {
        guard number.isFinite else {
            appendASCII("null", to: &buffer)
            return
        }
        let magnitude = number.magnitude
        // Whole numbers up to 2^53 print as digits plus ".0", exactly as `description` does.
        if magnitude <= 0x1p53, magnitude.rounded(.towardZero) == magnitude {
            if number.sign == .minus { buffer.append(UInt8(ascii: "-")) }
            writeDigits(UInt64(magnitude), into: &buffer)
            buffer.append(UInt8(ascii: "."))
            buffer.append(UInt8(ascii: "0"))
            return
        }
        if magnitude >= 1e-4, magnitude < 1e15, writeShortDecimal(number, into: &buffer) {
            return
        }
        buffer.append(contentsOf: number.description.utf8)
    }

    /// Writes `number` (not whole, 1e-4 ≤ |number| < 1e15) in plain decimal notation when some
    /// decimal of at most 15 significant digits reads back as exactly `number`; returns false otherwise.
    ///
    /// Why this is the shortest form: a double carries more than 15 decimal digits of precision, so
    /// two different 15-digit decimals never read as the same double. The candidate below is checked
    /// by reading it back (one correctly rounded division of exact operands), so it is the unique
    /// 15-digit decimal for `number`, and dropping its trailing zeros gives the shortest one — the
    /// digits `description` prints.
    private static func writeShortDecimal(_ number: Double, into buffer: inout [UInt8]) -> Bool {
        let magnitude = number.magnitude
        // Integer digits: the smallest n with magnitude < 10^n (an inexact 1e-3 only shifts the
        // candidate by one digit, which the read-back check below catches).
        var integerDigits = -3
        while integerDigits < 15, magnitude >= powerOfTen(integerDigits) { integerDigits += 1 }
        var fractionDigits = 15 - integerDigits
        let scaled = (magnitude * powerOfTen(fractionDigits)).rounded()
        guard scaled < 1e15 else { return false }
        var significand = UInt64(scaled)
        guard Double(significand) / powerOfTen(fractionDigits) == magnitude else { return false }
        while fractionDigits > 0, significand % 10 == 0 {
            significand /= 10
            fractionDigits -= 1
        }

        if number.sign == .minus { buffer.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { digits in
            var length = 0
            var remaining = significand
            repeat {
                digits[15 - length] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
                length += 1
            } while remaining > 0
            let first = 16 - length
            if length > fractionDigits {
                let point = first + length - fractionDigits
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[first..<point]))
                buffer.append(UInt8(ascii: "."))
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[point..<16]))
            } else {
                buffer.append(UInt8(ascii: "0"))
                buffer.append(UInt8(ascii: "."))
                for _ in 0..<(fractionDigits - length) { buffer.append(UInt8(ascii: "0")) }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[first..<16]))
            }
        }
        return true
    }

    /// 10^exponent for -3 ... 18 (exact for 0 ... 18).
    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case ...(-3): 1e-3
        case -2: 1e-2
        case -1: 1e-1
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
        default: 1e18
        }
    }
}
