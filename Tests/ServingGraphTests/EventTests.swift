import Testing

@testable import ServingGraph

struct EventTests {
    @Test func looksUpHeadersIgnoringCaseAndReturnsTheFirstOfRepeatedNames() {
        let event = Event(headers: [("Content-Type", "application/json"), ("X-Tag", "a"), ("x-tag", "b")])
        #expect(event.header("content-type") == "application/json")
        #expect(event.header("X-TAG") == "a")
        #expect(event.header("missing") == nil)
    }

    @Test func generatesDistinct32HexDigitIDsWhenNoneIsGiven() {
        let first = Event().id
        let second = Event().id
        #expect(first.count == 32)
        #expect(first.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(first != second)
        #expect(Event(id: "req-1").id == "req-1")
    }

    @Test func startsOnTheNormalPathWithDefaultPathAndMethod() {
        let event = Event(body: ["x": 1])
        #expect(event.path == "/")
        #expect(event.method == "POST")
        #expect(event.error == nil)
        #expect(event.originStep == nil)
        #expect(!event.isTerminated)
        #expect(event.state.isEmpty)
        #expect(event.receivedAt > 1_700_000_000_000)
    }

    @Test func setsValuesAtDottedPathsCreatingObjects() throws {
        var body: Value = ["x": 1]
        try body.setValue(5, atPath: ["a", "b"])
        #expect(body == ["x": 1, "a": ["b": 5]])
        #expect(body.value(atPath: ["a", "b"]) == 5)
        #expect(body.value(atPath: ["x", "y"]) == nil)
    }

    @Test func refusesToSetAPathThroughANonObject() {
        var body: Value = ["x": 1]
        #expect(throws: ServingError.invalidInput("cannot set 'y': the value on the way is integer, not an object")) {
            try body.setValue(5, atPath: ["x", "y"])
        }
    }
}

extension EventTests {
    @Test func leavesTheValueUntouchedWhenAPathCannotBeSet() {
        var body: Value = ["a": ["b": 1], "x": 2]
        #expect(throws: ServingError.self) { try body.setValue(5, atPath: ["a", "b", "c"]) }
        #expect(body == ["a": ["b": 1], "x": 2])
    }

    @Test func replacesTheWholeValueForAnEmptyPath() throws {
        var body: Value = ["a": 1]
        try body.setValue([1, 2], atPath: [])
        #expect(body == [1, 2])
    }
}

private enum AttemptKey: EventStorageKey { typealias Value = Int }
private enum LabelKey: EventStorageKey { typealias Value = String }
private enum ScoreKey: EventStorageKey { typealias Value = Double }
private enum FlagKey: EventStorageKey { typealias Value = Bool }
private enum TagsKey: EventStorageKey { typealias Value = [String] }

extension EventTests {
    @Test func storesTypedValuesPerKeyAndCopiesThemOnWrite() {
        var first = Event()
        first[AttemptKey.self] = 1
        var second = first
        second[AttemptKey.self] = 2
        second[LabelKey.self] = "retry"
        #expect(first[AttemptKey.self] == 1)
        #expect(first[LabelKey.self] == nil)
        #expect(second[AttemptKey.self] == 2)
        #expect(second[LabelKey.self] == "retry")
    }

    @Test func keepsMoreValuesThanItReservesRoomForAndRemovesOneFromTheMiddle() {
        var event = Event()
        event[AttemptKey.self] = 3
        event[LabelKey.self] = "a"
        event[ScoreKey.self] = 0.25
        event[FlagKey.self] = true
        event[TagsKey.self] = ["x", "y"]
        event[ScoreKey.self] = nil
        event[LabelKey.self] = "b"
        #expect(event[AttemptKey.self] == 3)
        #expect(event[LabelKey.self] == "b")
        #expect(event[ScoreKey.self] == nil)
        #expect(event[FlagKey.self] == true)
        #expect(event[TagsKey.self] == ["x", "y"])
    }

    @Test func clearingAKeyRemovesOnlyItAndClearingAnAbsentKeyChangesNothing() {
        var first = Event()
        first[AttemptKey.self] = 1
        var second = first
        second[LabelKey.self] = nil
        #expect(second[AttemptKey.self] == 1)
        second[AttemptKey.self] = nil
        #expect(second[AttemptKey.self] == nil)
        #expect(first[AttemptKey.self] == 1)
    }

    @Test func copiesMetadataOnWriteSoBranchesDoNotSeeEachOthersChanges() {
        let original = Event(path: "/a")
        var branch = original
        branch.path = "/b"
        branch.state["seen"] = true
        #expect(original.path == "/a")
        #expect(original.state.isEmpty)
        #expect(branch.path == "/b")
    }
}
