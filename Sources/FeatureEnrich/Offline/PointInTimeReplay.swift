import ServingGraph

/// Replays one entity's logged events so that it can be read as of several times T, each read seeing
/// exactly the events with `event_ts <= T`, applied in ingestion order through the feature set's
/// ``FeatureSetAggregator`` (the online engine), and then read at T with the online store's own row code.
///
/// Times must be asked for in ascending order. When the events that become visible at a new T all arrived
/// after those already applied (an in-order stream) they are applied incrementally: O(events + reads) per key.
/// A late event (arrived after an event with a later timestamp) that becomes visible forces a replay from
/// the start for that T, which keeps the result exact. Plain features follow Feast's point-in-time rule by
/// construction: the latest event time wins, equal times go to the later arrival, and the ttl is counted
/// back from T.
struct PointInTimeReplay {
    private let set: RegisteredFeatureSet
    private let events: [FeatureEvent]
    private let byTime: [Int]
    private var cursor = 0
    private var lastApplied = -1
    /// The entity as of the last ``advance(lastVisible:)``.
    private(set) var state: EntityState

    /// A replay of `events` (ingestion order) of one key of `set`.
    init(set: RegisteredFeatureSet, events: [FeatureEvent]) {
        self.set = set
        self.events = events
        byTime = events.indices.sorted { (events[$0].time, $0) < (events[$1].time, $1) }
        state = set.aggregator.makeState()
    }

    /// The row of `features` read at `time` from the events with `event_ts <= lastVisible` (`time` itself, or
    /// `time - 1` to leave out events stamped exactly `time`; neither before the previous call's), or nil when
    /// no event of the key is visible (as an online read of a key never ingested).
    mutating func row(at time: Int64, lastVisible: Int64, features: [String]?) -> ValueObject? {
        guard advance(lastVisible: lastVisible) else { return nil }
        return set.row(state, at: time, features: features)
    }

    /// Brings ``state`` to exactly the events with `event_ts <= lastVisible` (never before the previous call's);
    /// false when no event of the key is visible yet.
    mutating func advance(lastVisible: Int64) -> Bool {
        var visible: [Int] = []
        while cursor < byTime.count, events[byTime[cursor]].time <= lastVisible {
            visible.append(byTime[cursor])
            cursor += 1
        }
        if let first = visible.min() {
            if first > lastApplied {
                visible.sort()
                for index in visible { apply(index) }
            } else {
                state = set.aggregator.makeState()
                lastApplied = -1
                for index in events.indices where events[index].time <= lastVisible { apply(index) }
            }
        }
        return lastApplied >= 0
    }

    private mutating func apply(_ index: Int) {
        let event = events[index]
        set.aggregator.apply(
            at: event.time, aggregationValues: event.aggregationValues, featureValues: event.featureValues,
            into: &state)
        lastApplied = max(lastApplied, index)
    }
}
