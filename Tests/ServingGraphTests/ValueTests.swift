import Testing

@testable import ServingGraph

struct ValueTests {
    @Test func objectKeepsFirstPositionAndLastValueForDuplicateKeys() {
        let o = ValueObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(o.keys == ["a", "b"])
        #expect(o["a"] == 3)
    }
}
