import Testing

@testable import FeatureEnrich

/// The write path's small map: insertion order kept, and the same answers as a `Dictionary` below and above the
/// size where it starts hashing.
struct SmallOrderedMapTests {
    @Test func iteratesInFirstInsertionOrderAndReplacesInPlace() {
        var map = SmallOrderedMap<String, Int>()
        map["b"] = 1
        map["a"] = 2
        map["c"] = 3
        map["a"] = 20
        #expect(map.keys == ["b", "a", "c"])
        #expect(map.map(\.value) == [1, 20, 3])
        #expect(map["a"] == 20)
        #expect(map["z"] == nil)
    }

    @Test func removingAKeyKeepsTheOthersInOrder() {
        var map = SmallOrderedMap<String, Int>()
        for (index, key) in ["x", "y", "z"].enumerated() { map[key] = index }
        map["y"] = nil
        #expect(map.keys == ["x", "z"])
        #expect(map["y"] == nil)
        #expect(map.count == 2)
    }

    @Test func optionalValuesKeepTheDifferenceBetweenAbsentAndNone() {
        var map = SmallOrderedMap<String, Int?>()
        map["none"] = .some(nil)
        #expect(map["none"] == .some(nil))
        #expect(map["absent"] == nil)
        #expect(map.count == 1)
    }

    @Test(arguments: [3, SmallOrderedMap<Int, Int>.linearLimit, SmallOrderedMap<Int, Int>.linearLimit + 1, 200])
    func answersAsADictionaryForAnySequenceOfSetsAndRemovals(_ keySpace: Int) {
        var map = SmallOrderedMap<Int, Int>()
        var reference: [Int: Int] = [:]
        var order: [Int] = []
        var generator = SplitMix(seed: UInt64(keySpace))
        for step in 0..<2_000 {
            let key = Int(generator.next() % UInt64(keySpace))
            if generator.next() % 5 == 0 {
                map[key] = nil
                reference[key] = nil
                order.removeAll { $0 == key }
            } else {
                map[key] = step
                if reference.updateValue(step, forKey: key) == nil { order.append(key) }
            }
            #expect(map[key] == reference[key])
        }
        #expect(map.keys == order)
        for key in 0..<keySpace { #expect(map[key] == reference[key]) }
    }
}
