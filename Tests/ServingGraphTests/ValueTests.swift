import Testing

@testable import ServingGraph

struct ValueTests {
    @Test(arguments: [3, 12, 13, 30])
    func objectFromDistinctKeysFindsEveryMemberAndGrowsLikeAnyObject(count: Int) {
        let keys = (0..<count).map { "k\($0)" }
        var object = ValueObject(distinctKeys: keys, values: keys.indices.map { .int(Int64($0)) })
        for (position, key) in keys.enumerated() {
            #expect(object.position(of: key) == position)
            #expect(object[key] == .int(Int64(position)))
        }
        #expect(object["absent"] == nil)
        object["k0"] = "replaced"
        object["new"] = true
        #expect(object.keys == keys + ["new"])
        #expect(object["k0"] == "replaced")
        #expect(object.position(of: "new") == count)
    }

    @Test func objectKeepsFirstPositionAndLastValueForDuplicateKeys() {
        let o = ValueObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(o.keys == ["a", "b"])
        #expect(o["a"] == 3)
    }
}
