import ServingGraph

/// SplitMix64: a tiny seeded generator, so every property test sees the same values on every run.
struct JSONTestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds random `Value` trees that stress the JSON reader and writer.
struct JSONValueGenerator {
    var random: JSONTestRandom

    init(seed: UInt64) { random = JSONTestRandom(seed: seed) }

    /// Doubles whose text forms are edge cases: subnormals, extremes, signed zeros, non-finite.
    static let specialDoubles: [Double] = [
        0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1e16, -1e16, 1e15, 9_007_199_254_740_994, 123_456_789_012_345.6,
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
        -.greatestFiniteMagnitude, .ulpOfOne, Double(bitPattern: 0x000F_FFFF_FFFF_FFFF), 1e-5, 1e21, 1e22, 1e23,
        .nan, .infinity, -.infinity,
    ]

    mutating func value(depth: Int = 0) -> Value {
        let kind = Int.random(in: 0..<(depth >= 4 ? 6 : 8), using: &random)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .int(integer())
        case 3, 4: return .double(double())
        case 5: return .string(string())
        case 6:
            let count = Int.random(in: 0..<6, using: &random)
            return .array((0..<count).map { _ in value(depth: depth + 1) })
        default:
            var object = ValueObject()
            for _ in 0..<Int.random(in: 0..<6, using: &random) {
                object[string(maxLength: 6)] = value(depth: depth + 1)
            }
            return .object(object)
        }
    }

    mutating func integer() -> Int64 {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return [Int64.min, .max, 0, -1, 1, .min + 1, .max - 1].randomElement(using: &random) ?? 0
        case 1: return Int64.random(in: -1000...1000, using: &random)
        default: return Int64(bitPattern: random.next())
        }
    }

    mutating func double() -> Double {
        switch Int.random(in: 0..<5, using: &random) {
        case 0: return Self.specialDoubles.randomElement(using: &random) ?? 0
        case 1: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: random.next())))
        case 2: return Double(Int.random(in: -100_000...100_000, using: &random)) / 1000
        case 3: return Double(bitPattern: random.next() & 0x000F_FFFF_FFFF_FFFF)  // subnormals
        default: return Double(bitPattern: random.next())
        }
    }

    mutating func string(maxLength: Int = 12) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &random) {
            let code: UInt32
            switch Int.random(in: 0..<6, using: &random) {
            case 0: code = UInt32.random(in: 0x20..<0x7F, using: &random)
            case 1: code = UInt32.random(in: 0..<0x20, using: &random)
            case 2: code = [0x22, 0x5C, 0x2F, 0x7F, 0x2028].randomElement(using: &random) ?? 0x22
            case 3: code = UInt32.random(in: 0x80..<0xD800, using: &random)
            case 4: code = UInt32.random(in: 0xE000..<0x10000, using: &random)
            default: code = UInt32.random(in: 0x10000...0x10FFFF, using: &random)
            }
            if let scalar = Unicode.Scalar(code) { scalars.append(scalar) }
        }
        return String(scalars)
    }
}

/// What the writer promises to give back: the same tree with non-finite doubles turned into `null`.
func jsonRoundTripExpectation(_ value: Value) -> Value {
    switch value {
    case .double(let number) where !number.isFinite: .null
    case .array(let elements): .array(elements.map(jsonRoundTripExpectation))
    case .object(let object):
        .object(ValueObject(object.members.map { ($0, jsonRoundTripExpectation($1)) }))
    default: value
    }
}

/// Structural equality that compares doubles by bit pattern (so `-0.0` differs from `0.0`) and
/// strings by UTF-8 bytes (so `é` precomposed differs from `e` + combining accent).
func bitwiseEqual(_ lhs: Value, _ rhs: Value) -> Bool {
    switch (lhs, rhs) {
    case (.double(let a), .double(let b)): a.bitPattern == b.bitPattern
    case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
    case (.array(let a), .array(let b)): a.count == b.count && zip(a, b).allSatisfy(bitwiseEqual)
    case (.object(let a), .object(let b)):
        a.count == b.count && zip(a.keys, b.keys).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
            && zip(a.values, b.values).allSatisfy(bitwiseEqual)
    default: lhs == rhs
    }
}
