import Foundation
import ServingGraph
import Testing

/// Foundation's `JSONSerialization` as an independent implementation: what we write it must
/// accept, and what it writes we must read back to the same values.
struct JSONInteropTests {
    @Test func foundationAcceptsEverythingWeWrite() throws {
        var generator = JSONValueGenerator(seed: 11)
        for _ in 0..<1000 {
            let bytes = JSONWriter.bytes(generator.value())
            #expect(throws: Never.self) {
                try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)
            }
        }
    }

    @Test func weReadFoundationsStringsBackExactly() throws {
        var generator = JSONValueGenerator(seed: 12)
        for _ in 0..<1000 {
            let text = generator.string(maxLength: 30)
            let data = try JSONSerialization.data(withJSONObject: [text])
            let parsed = try JSONParser.parse(Array(data))
            #expect(parsed.arrayValue?.first?.stringValue.map { Array($0.utf8) } == Array(text.utf8))
        }
    }

    @Test func weReadFoundationsNumbersAsTheSameDoubles() throws {
        var generator = JSONValueGenerator(seed: 13)
        for _ in 0..<2000 {
            let number = generator.double()
            guard number.isFinite else { continue }
            let data = try JSONSerialization.data(withJSONObject: [number])
            let parsed = try JSONParser.parse(Array(data))
            #expect(parsed.arrayValue?.first?.doubleValue == number, "\(String(decoding: data, as: UTF8.self))")
        }
    }
}
