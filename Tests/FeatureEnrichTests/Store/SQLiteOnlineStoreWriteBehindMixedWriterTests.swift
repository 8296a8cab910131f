import FeatureEnrich
import Foundation
import ServingGraph
import Synchronization
import Testing

/// Entity states written behind the log under mixed writers: Feast pushes of every mode interleaved with updates
/// of the same keys, two feature sets (one with a compound key) in one file, validators that drop features. Each
/// runs with one key in memory per shard (every load replays the log) and flush rounds spread over many
/// commits, and is compared, through evictions, a `kill -9` image and a clean reopen, with a store that keeps
/// every state in memory.
struct SQLiteOnlineStoreWriteBehindMixedWriterTests {
    static let accountsJSON = """
        {"name": "accounts", "entities": [{"name": "account", "type": "string"}, {"name": "currency", "type": "string"}],
         "timestamp_key": "timestamp", "features": [{"name": "amount", "type": "double"}],
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["count", "sum", "max"],
           "windows": ["1h", "24h"], "period": "10m"}]}
        """

    /// Two keys in memory at most, rounds of a few states at a time (more than 3 pending start one).
    static func tight(_ path: String, _ featureSets: [FeatureSetDefinition]) throws -> SQLiteOnlineStore {
        try SQLiteOnlineStore(
            path: path, featureSets: featureSets,
            configuration: OnlineStoreConfiguration(
                shardCount: 1, maxKeysInMemory: 2, stateFlushIntervalMilliseconds: 3_600_000, stateFlushMaxPending: 3))
    }

    /// One request: its events, its feature set and its push mode (nil: the ingest endpoint).
    struct Request {
        let events: [Value]
        let featureSet: String
        let target: IngestTarget?
    }

    /// Submits `requests` without waiting between them (so writer batches hold several, a key's first state and
    /// its next update often together), `burst` at a time; returns how many failed.
    static func submit(_ requests: [Request], to store: SQLiteOnlineStore, burst: Int = 12) throws -> Int {
        let failures = Mutex(0)
        for start in stride(from: 0, to: requests.count, by: burst) {
            let group = DispatchGroup()
            for request in requests[start..<min(requests.count, start + burst)] {
                group.enter()
                let done: @Sendable (Result<Int, any Error>) -> Void = { result in
                    if case .failure = result { failures.withLock { $0 += 1 } }
                    group.leave()
                }
                if let target = request.target {
                    try store.ingest(request.events, into: request.featureSet, target: target, completion: done)
                } else {
                    try store.ingest(request.events, into: request.featureSet, eventID: nil, completion: done)
                }
            }
            group.wait()
        }
        return failures.withLock { $0 }
    }

    /// The online state the requests give: each one's events through memory alone (offline pushes change none).
    static func reference(_ path: String, _ featureSets: [FeatureSetDefinition], _ requests: [Request]) throws
        -> SQLiteOnlineStore
    {
        let store = try SQLiteOnlineStore(path: path, featureSets: featureSets)
        for request in requests where request.target != .offline {
            _ = try store.ingestAndWait(
                request.events, into: request.featureSet, target: request.target ?? .onlineAndOffline)
        }
        return store
    }

    /// Every row of `keys` of `featureSet` read at `time` (default: after every fixture event), by encoded key.
    static func rows(
        _ store: SQLiteOnlineStore, _ featureSet: String, _ keys: [EntityKey], at time: Int64 = readTime
    ) throws -> [String: ValueObject] {
        var rows: [String: ValueObject] = [:]
        for key in keys {
            rows[key.encoded] = try store.read(featureSet: featureSet, key: key, features: nil, at: time)
        }
        return rows
    }

    static let readTime = StoreFixture.base + 3_000_000

    @Test func feastPushesOfEveryModeInterleavedWithUpdatesGiveTheOnlineStateEverywhere() throws {
        let directory = try SQLiteTestDirectory()
        let keys = (0..<5).map { "p\($0)" }
        var random = SplitMix(seed: 31)
        let targets: [IngestTarget?] = [nil, nil, .online, .offline, .onlineAndOffline]
        let requests = (0..<360).map { index in
            let key = keys[Int(random.next() % 5)]
            var events = [StoreFixture.event(key, Int64(index) * 7_000, Int(random.next() % 90) + 1)]
            if random.next() % 4 == 0 {
                events.append(StoreFixture.event(keys[Int(random.next() % 5)], Int64(index) * 7_000 + 1, 3))
            }
            return Request(
                events: events, featureSet: "transactions", target: targets[Int(random.next() % 5)])
        }
        let sets = [try StoreFixture.transactions()]
        let store = try Self.tight(directory.file("store.db"), sets)
        #expect(try Self.submit(Array(requests[..<180]), to: store) == 0)
        let half = try Self.crashImage(store, directory)
        #expect(try Self.submit(Array(requests[180...]), to: store) == 0)
        let entities = keys.map { EntityKey(parts: [$0]) }
        let expectedHalf = try Self.rows(
            Self.reference(directory.file("half.db"), sets, Array(requests[..<180])), "transactions", entities)
        let expected = try Self.rows(
            Self.reference(directory.file("reference.db"), sets, requests), "transactions", entities)
        expectRowsMatch(try Self.rows(store, "transactions", entities), expected)
        expectRowsMatch(
            try Self.rows(SQLiteOnlineStore(path: half, featureSets: sets), "transactions", entities), expectedHalf)
        let image = try Self.crashImage(store, directory)
        expectRowsMatch(
            try Self.rows(SQLiteOnlineStore(path: image, featureSets: sets), "transactions", entities), expected)
        store.close()
        expectRowsMatch(
            try Self.rows(
                SQLiteOnlineStore(path: directory.file("store.db"), featureSets: sets), "transactions", entities),
            expected)
    }

    @Test func twoFeatureSetsOneWithACompoundKeyKeepTheirOwnStatesAndMarks() throws {
        let directory = try SQLiteTestDirectory()
        let sets = [try StoreFixture.transactions(), try FeatureSetDefinition(jsonText: Self.accountsJSON)]
        let accounts = ["a1/EUR", "a1/USD", "a2/EUR", "a/1/EUR"]
        var random = SplitMix(seed: 32)
        let requests = (0..<300).map { index -> Request in
            let time = StoreFixture.base / 1000 + Int64(index) * 11
            guard random.next() % 2 == 0 else {
                let key = SQLiteOnlineStoreWriteBehindTests.keys[Int(random.next() % 6)]
                return Request(
                    events: [StoreFixture.event(key, Int64(index) * 11_000, Int(random.next() % 50))],
                    featureSet: "transactions", target: nil)
            }
            let account = accounts[Int(random.next() % 4)]
            let separator = account.lastIndex(of: "/") ?? account.endIndex
            let event: Value = [
                "account": .string(String(account[..<separator])),
                "currency": .string(String(account[account.index(after: separator)...])),
                "timestamp": .int(time), "amount": .int(Int64(random.next() % 70)),
            ]
            return Request(events: [event], featureSet: "accounts", target: random.next() % 5 == 0 ? .online : nil)
        }
        let store = try Self.tight(directory.file("store.db"), sets)
        #expect(try Self.submit(requests, to: store) == 0)
        let reference = try Self.reference(directory.file("reference.db"), sets, requests)
        let accountKeys = accounts.map { account in
            let separator = account.lastIndex(of: "/") ?? account.endIndex
            return EntityKey(parts: [
                String(account[..<separator]), String(account[account.index(after: separator)...]),
            ])
        }
        let transactionKeys = SQLiteOnlineStoreWriteBehindTests.keys.map { EntityKey(parts: [$0]) }
        let image = try Self.crashImage(store, directory)
        for candidate in [store, try SQLiteOnlineStore(path: image, featureSets: sets)] {
            expectRowsMatch(
                try Self.rows(candidate, "accounts", accountKeys), try Self.rows(reference, "accounts", accountKeys))
            expectRowsMatch(
                try Self.rows(candidate, "transactions", transactionKeys),
                try Self.rows(reference, "transactions", transactionKeys))
        }
        store.close()
        let disk = try SQLiteConnection(path: directory.file("store.db"))
        #expect(
            try disk.count(
                "SELECT COUNT(*) FROM state_flush_marks WHERE through_seq = (SELECT MAX(seq) FROM event_log)")
                == 2)
        // Each row holds its key's events up to the set's mark: a reader of the rows alone replays nothing.
        #expect(try disk.count("SELECT MAX(seq) FROM event_log") > 100)
    }

    @Test func eventsWhoseFeaturesAValidatorDroppedReplayAsTheyWereApplied() throws {
        let directory = try SQLiteTestDirectory()
        let sets = [try ValidationFixture.definition(policy: "drop_feature")]
        let now = ValidationFixture.now()
        let keys = ["v0", "v1", "v2", "v3"]
        var random = SplitMix(seed: 33)
        let requests = (0..<200).map { index in
            // Some amounts above the maximum and some countries not allowed: dropped, the rest applied.
            let amount = Double(random.next() % 1_300) + 0.25
            let country = ["US", "DE", "FR"][Int(random.next() % 3)]
            return Request(
                events: [
                    ValidationFixture.event(
                        keys[Int(random.next() % 4)], minutesAgo: Int64(200 - index) / 4, amount: amount,
                        country: country, note: "n\(index)", now: now)
                ], featureSet: "payments", target: nil)
        }
        let store = try Self.tight(directory.file("store.db"), sets)
        #expect(try Self.submit(requests, to: store) == 0)
        let reference = try Self.reference(directory.file("reference.db"), sets, requests)
        let entities = keys.map { EntityKey(parts: [$0]) }
        let readAt = now + 60_000
        let expected = try Self.rows(reference, "payments", entities, at: readAt)
        #expect(try store.inspect().count("SELECT SUM(dropped) FROM feature_violations") > 0)
        expectRowsMatch(try Self.rows(store, "payments", entities, at: readAt), expected)
        let image = try Self.crashImage(store, directory)
        expectRowsMatch(
            try Self.rows(SQLiteOnlineStore(path: image, featureSets: sets), "payments", entities, at: readAt), expected
        )
    }

    /// A Feast `to: offline` push does not lock its key: it appends the key's event and raises its row's
    /// `through_seq` in one commit, which must not land between a load's read of the row and of the later log rows.
    @Test func aLoadRacingOfflinePushesOfItsKeyNeverAppliesThem() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStoreWriteBehindTests.lagging(
            directory.file("store.db"), shardCount: 1, maxKeysInMemory: 1)
        _ = try store.ingestAndWait(
            [StoreFixture.event("x", 0, 5), StoreFixture.event("y", 0, 5)], into: "transactions")
        let time = StoreFixture.base + 600_000
        let expected = try store.read(featureSet: "transactions", key: EntityKey(parts: ["x"]), at: time)
        let stop = Atomic<Bool>(false)
        let pushed = Atomic<Int>(0)
        let finished = DispatchSemaphore(value: 0)
        let pusher = Thread {
            defer { finished.signal() }
            var index: Int64 = 1
            while !stop.load(ordering: .relaxed) {
                _ = try? store.ingestAndWait(
                    [StoreFixture.event("x", index, 1_000)], into: "transactions", target: .offline)
                pushed.add(1, ordering: .relaxed)
                index += 1
            }
        }
        pusher.start()
        // The store never stages a state here (no key is updated twice), so every load replays the log past the
        // row; before the fix dozens of the loads applied a push committed between their two reads.
        var wrong = 0
        while pushed.load(ordering: .relaxed) < 3_000 {
            // Reading y evicts x (one key in memory): the next read of x loads it from its row and the log.
            _ = try store.read(featureSet: "transactions", key: EntityKey(parts: ["y"]), at: time)
            if try store.read(featureSet: "transactions", key: EntityKey(parts: ["x"]), at: time) != expected {
                wrong += 1
            }
        }
        stop.store(true, ordering: .relaxed)
        finished.wait()
        #expect(wrong == 0)
    }

    /// A consistent copy of the committed file, as `kill -9` leaves it.
    static func crashImage(_ store: SQLiteOnlineStore, _ directory: SQLiteTestDirectory) throws -> String {
        try SQLiteOnlineStoreWriteBehindTests.crashImage(of: store, directory)
    }
}
