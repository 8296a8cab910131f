/// Exact shortest round-trip digits for the doubles ``JSONWriter`` prints in plain decimal notation, found
/// with integer arithmetic instead of the standard library's `write(to:)`.
extension JSONWriter {
    /// The shortest decimal that reads back as `magnitude` and, among the shortest, the closest to it, as
    /// `significand × 10^-fractionDigits` (no trailing zero); nil when this search does not apply and the
    /// caller must use the standard library. Applies to non-whole `magnitude` with 1e-4 ≤ `magnitude` < 1e15
    /// whose shortest form has at most 3 zeros after the point, neither a power of two (its lower neighbour is
    /// nearer than its upper one) nor halfway between two candidates.
    ///
    /// `magnitude = m × 2^-s` with 1 ≤ s ≤ 66 (whole numbers have s ≤ 0; 1e-4 > 2^-14 bounds s). Every decimal
    /// strictly between the midpoints to its neighbours, `(2m ± 1) × 2^-(s+1)`, reads back as `magnitude`.
    /// Scaled by 10^k with k = ⌊s·log10 2⌋ + 1, that open interval is wider than 1 (so it holds an integer),
    /// its bounds are never integers (`(2m ± 1) × 10^k` is odd times 2^k, and k < s + 1), so whether a bound
    /// itself would round back does not matter, and `2m × 10^k < 2^121` fits a `UInt128`. Dropping one decimal
    /// digit from both bounds while an integer remains between them gives the shortest length; the candidate
    /// nearest to the exact value is the integer nearest to it, clamped into the remaining bounds.
    static func shortestFixedDigits(_ magnitude: Double) -> (significand: UInt64, fractionDigits: Int)? {
        let bits = magnitude.bitPattern
        let fraction = bits & (1 << 52 &- 1)
        let biasedExponent = Int(truncatingIfNeeded: bits >> 52)
        guard biasedExponent > 0, fraction != 0 else { return nil }
        let shift = 1075 &- biasedExponent  // magnitude = (2^52 + fraction) × 2^-shift
        guard shift >= 1, shift <= 66 else { return nil }
        let doubled = UInt128(fraction | 1 << 52) << 1
        let scale = (shift &* 78913) >> 18 &+ 1  // ⌊shift · log10 2⌋ + 1 (exact for shift < 1650), ≤ 20
        let power = powerOfTen128(scale)
        let scaled = doubled &* power
        // Both bounds are below 10 × 2^53 once scaled back, so they fit a UInt64.
        var low = UInt64(truncatingIfNeeded: (scaled &- power) >> (shift &+ 1)) &+ 1
        var high = UInt64(truncatingIfNeeded: (scaled &+ power) >> (shift &+ 1))
        var fractionDigits = scale
        while fractionDigits > 0 {
            let shorterLow = (low &+ 9) / 10
            let shorterHigh = high / 10
            guard shorterLow <= shorterHigh else { break }
            low = shorterLow
            high = shorterHigh
            fractionDigits &-= 1
        }
        // The exact value at this length, `2m × 10^fractionDigits / 2^(shift+1)`, rounded to nearest.
        let exact = doubled &* powerOfTen128(fractionDigits)
        let remainder = exact & ((1 << (shift &+ 1)) &- 1)
        let half = UInt128(1) << shift
        guard remainder != half else { return nil }
        var nearest = UInt64(truncatingIfNeeded: exact >> (shift &+ 1))
        if remainder > half { nearest &+= 1 }
        let significand = min(max(nearest, low), high)
        // Below 1e-4 (more than 3 zeros after the point) `description` switches to an exponent.
        guard fractionDigits >= 1, fractionDigits < 4 || significand >= powerOfTen64(fractionDigits &- 4) else {
            return nil
        }
        return (significand, fractionDigits)
    }

    /// 10^exponent as a `UInt128`, for 0 ≤ exponent ≤ 20.
    @inline(__always)
    private static func powerOfTen128(_ exponent: Int) -> UInt128 {
        exponent <= 19 ? UInt128(powerOfTen64(exponent)) : UInt128(powerOfTen64(19)) &* 10
    }

    /// 10^exponent for 0 ≤ exponent ≤ 19 (the largest power of ten a `UInt64` holds).
    @inline(__always)
    static func powerOfTen64(_ exponent: Int) -> UInt64 {
        switch exponent {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        case 8: 100_000_000
        case 9: 1_000_000_000
        case 10: 10_000_000_000
        case 11: 100_000_000_000
        case 12: 1_000_000_000_000
        case 13: 10_000_000_000_000
        case 14: 100_000_000_000_000
        case 15: 1_000_000_000_000_000
        case 16: 10_000_000_000_000_000
        case 17: 100_000_000_000_000_000
        case 18: 1_000_000_000_000_000_000
        default: 10_000_000_000_000_000_000
        }
    }
}
