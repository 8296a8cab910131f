import ServingGraph
import Testing

/// Property tests (fixed seeds) that ``JSONWriter`` prints every finite double byte for byte as
/// `Double.description` does, whichever of its paths (whole, short decimal, exact shortest digits, standard
/// library) takes the value.
struct JSONWriterDoubleTests {
    /// Values of many shapes, each also negated: random bit patterns, random bits at the scales printed
    /// without an exponent, short decimals, sums and means of short decimals (the aggregates of a training set),
    /// FP32 values, and the neighbours of powers of ten and of two.
    @Test(arguments: 0..<8)
    func writesMillionsOfDoublesExactlyAsDescriptionDoes(_ shard: Int) {
        var random = JSONTestRandom(seed: 9_000 + UInt64(shard))
        var mismatches: [UInt64] = []
        for round in 0..<150_000 {
            let number = Self.sample(round, &random)
            for value in [number, -number] where value.isFinite {
                if JSONWriter.bytes(.double(value)) != Array(value.description.utf8) {
                    mismatches.append(value.bitPattern)
                }
            }
        }
        #expect(mismatches.isEmpty, "bit patterns \(mismatches.prefix(20))")
    }

    @Test func writesEdgeValuesExactlyAsDescriptionDoes() {
        var values: [Double] = [
            0, 1e-4, 1e-5, 1e15, 1e16, 0x1p53, 0x1p52, 0x1p-14, .leastNonzeroMagnitude, .leastNormalMagnitude,
            .greatestFiniteMagnitude, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 123_456_789_012_345.67, 999_999_999_999_999.9,
            0.000_099_999_999_999_999_99, 0.000_100_000_000_000_000_01,
        ]
        var power = 1.0
        for _ in 0..<30 {
            power /= 10
            values.append(power)
        }
        power = 1.0
        for _ in 0..<30 {
            power *= 10
            values.append(power)
        }
        for exponent in -1074...1023 { values.append(Double(sign: .plus, exponent: exponent, significand: 1)) }
        var mismatches: [Double] = []
        for base in values {
            var neighbours = [base, base.nextUp, base.nextDown]
            var walk = base
            for _ in 0..<20 {
                walk = walk.nextUp
                neighbours.append(walk)
            }
            for value in neighbours + neighbours.map({ -$0 }) where value.isFinite {
                if JSONWriter.string(.double(value)) != value.description { mismatches.append(value) }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20).map(\.bitPattern))")
    }

    /// The `round`-th sample: the shape rotates with `round`.
    private static func sample(_ round: Int, _ random: inout JSONTestRandom) -> Double {
        switch round % 8 {
        case 0:
            return Double(bitPattern: random.next())
        case 1:
            // Any significand at the binary exponents of 1e-4 ... 1e15.
            let exponent = UInt64.random(in: 1009...1073, using: &random)
            return Double(bitPattern: exponent << 52 | random.next() >> 12)
        case 2:
            let digits = Double(UInt64.random(in: 0...999_999_999_999_999, using: &random) >> (random.next() % 50))
            return digits / powerOfTen(Int.random(in: 0...22, using: &random))
        case 3:
            // A sum of three-decimal values, as a windowed `sum` accumulates them.
            var sum = 0.0
            for _ in 0..<Int.random(in: 2...40, using: &random) {
                sum += Double(Int.random(in: 0...100_000, using: &random)) / 1000
            }
            return sum
        case 4:
            let count = Int.random(in: 1...40, using: &random)
            var sum = 0.0
            for _ in 0..<count { sum += Double(Int.random(in: 0...100_000, using: &random)) / 1000 }
            return sum / Double(count)
        case 5:
            return Double(Float(bitPattern: UInt32(truncatingIfNeeded: random.next())))
        case 6:
            return Double.random(in: 1..<10, using: &random) * powerOfTen(Int.random(in: -25...25, using: &random))
        default:
            // Whole numbers (small and beyond 2^53) and subnormals.
            switch random.next() % 3 {
            case 0: return Double(Int64(bitPattern: random.next()) >> (random.next() % 63))
            case 1: return Double(bitPattern: random.next() >> 12)
            default: return Double(UInt64.random(in: 0...1_000_000, using: &random))
            }
        }
    }

    /// 10^exponent by repeated multiplication or division (the shapes need not be exact powers).
    private static func powerOfTen(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<abs(exponent) { value = exponent < 0 ? value / 10 : value * 10 }
        return value
    }
}
