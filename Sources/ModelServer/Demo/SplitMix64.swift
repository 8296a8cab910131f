#if canImport(Glibc)
    import Glibc
#endif

/// A seeded pseudo-random generator (Steele, Lea and Flood's SplitMix64): the same seed gives the same
/// sequence on every machine, which the demo's byte-identical data files rely on. Not cryptographic.
package struct SplitMix64: Sendable {
    private var state: UInt64

    /// A generator starting from `seed`.
    package init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) from the top 53 bits.
    package mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `range` (modulo bias is below 2⁻⁴⁰ for the small ranges the demo uses).
    package mutating func integer(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }

    /// A uniform double in [lower, upper).
    package mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * unit()
    }

    /// True with probability `probability`.
    package mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// A standard normal deviate (Box–Muller; one of the pair is dropped to keep the state simple).
    package mutating func normal() -> Double {
        let u = max(unit(), 0x1.0p-53)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * unit())
    }

    /// A Poisson count with mean `mean` (Knuth's product method; the demo's means are small).
    package mutating func poisson(mean: Double) -> Int {
        let limit = exp(-mean)
        var product = unit()
        var count = 0
        while product > limit {
            count += 1
            product *= unit()
        }
        return count
    }

    /// An index into `weights` drawn with probability proportional to its weight.
    package mutating func weightedIndex(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = unit() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }
}
