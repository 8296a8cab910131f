import FeatureEnrich
import Foundation
import Glibc
import ServingGraph
import Testing

/// Durability: `serve run --feature-set ... --store ...` as a child process, acknowledged HTTP ingests, then
/// `kill -9` mid-stream; after a restart every acknowledged event is in the store.
struct FeatureStoreDurabilityTests {
    /// A running `serve run` child with its stderr in a file.
    private final class ServeProcess {
        let process = Process()
        let port: Int

        init(arguments: [String], log: URL) throws {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: ServeBinary.path)
            process.arguments = arguments
            process.standardError = try FileHandle(forWritingTo: log)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var found: Int?
            for _ in 0..<400 where found == nil {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: "ready address=http://127.0.0.1:") {
                    found = Int(text[range.upperBound...].prefix { $0.isNumber })
                } else {
                    usleep(50_000)
                }
            }
            guard let found else {
                process.terminate()
                throw HTTPTestClientError(
                    description: "serve did not get ready: \(try String(contentsOf: log, encoding: .utf8))")
            }
            port = found
        }

        /// SIGKILL: a child spawned by Foundation's `Process` inherits a signal mask that blocks SIGTERM.
        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    private static func body(index: Int) -> String {
        #"{"key": "k\#(index % 7)", "timestamp": \#(1_767_225_600 + index), "amount": \#(index % 5)}"#
    }

    /// `serve run` on one loop, any free port, the transactions feature set and `store`, then `extra`.
    private static func runArguments(store: String, _ extra: [String] = []) -> [String] {
        ["run", "--port", "0", "--loops", "1", "--feature-set", FeatureStoreEndpointTests.featureSet, "--store", store]
            + extra
    }

    private static func request(_ index: Int) -> String {
        ingestRequest(Self.body(index: index))
    }

    private static func ingestRequest(_ body: String) -> String {
        "POST /v2/feature-sets/transactions/ingest HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    /// Sends `request(0)`, `request(1)`, ... in pipelined windows of 8 and kills `server` with SIGKILL once
    /// `killAfter` are acknowledged, so the kill lands while a window is in flight; waits for the process to exit.
    private static func sendUntilKilled(
        _ client: HTTPTestClient, _ server: ServeProcess, killAfter: Int, request: (Int) -> String
    ) throws -> (sent: Int, acknowledged: Int) {
        var sent = 0
        var acknowledged = 0
        var killed = false
        while !killed {
            for _ in 0..<8 {
                try client.send(request(sent))
                sent += 1
            }
            if acknowledged >= killAfter {
                kill(server.process.processIdentifier, SIGKILL)
                killed = true
            }
            for _ in 0..<8 {
                guard let response = try? client.readResponse() else { break }
                if response.status == 200 { acknowledged += 1 }
            }
        }
        server.process.waitUntilExit()
        return (sent, acknowledged)
    }

    @Test func everyAcknowledgedIngestSurvivesKillDashNine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("durable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = directory.appendingPathComponent("store.db").path
        let arguments = Self.runArguments(store: store)
        let first = try ServeProcess(arguments: arguments, log: directory.appendingPathComponent("first.log"))
        let client = try HTTPTestClient(port: first.port)
        let (sent, acknowledged) = try Self.sendUntilKilled(client, first, killAfter: 400, request: Self.request)
        #expect(first.process.terminationReason == .uncaughtSignal)
        let second = try ServeProcess(arguments: arguments, log: directory.appendingPathComponent("second.log"))
        defer { second.stop() }
        let logged = try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log")
        #expect(logged >= Int64(acknowledged))
        #expect(logged <= Int64(sent))
        // Aggregates agree with the log: every event is within 24 h, so the counts add up to the log's rows.
        var counted = 0.0
        for key in 0..<7 {
            let read = try Curl.run(
                "http://127.0.0.1:\(second.port)/v2/feature-sets/transactions/entities/k\(key)"
                    + "?at=\(1_767_225_600_000 + 3_600_000)&features=amount_count_24h")
            counted += (try? JSONParser.parse(read.body))?["features"]?["amount_count_24h"]?.doubleValue ?? 0
        }
        #expect(counted == Double(logged))
        // And the restarted server keeps ingesting on top of the recovered state.
        let more = try Curl.run(
            "http://127.0.0.1:\(second.port)/v2/feature-sets/transactions/ingest",
            ["-X", "POST", "-d", #"{"key": "k0", "timestamp": 1767225600, "amount": 1}"#])
        #expect(more.status == 200)
    }

    /// Entity states are written behind the event log: with a flush interval of an hour, `kill -9` leaves every
    /// acknowledged update in the log but not in `entity_state`; the reopened store replays the log's tail.
    @Test func acknowledgedUpdatesWithUnflushedStatesSurviveKillDashNine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("behind-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = directory.appendingPathComponent("store.db").path
        let server = try ServeProcess(
            arguments: Self.runArguments(store: store, ["--state-flush-interval", "60m"]),
            log: directory.appendingPathComponent("serve.log"))
        let client = try HTTPTestClient(port: server.port)
        let count = 240
        var acknowledged = 0
        for window in stride(from: 0, to: count, by: 8) {
            for index in window..<window + 8 { try client.send(Self.request(index)) }
            for _ in 0..<8 {
                if try client.readResponse().status == 200 { acknowledged += 1 }
            }
        }
        #expect(acknowledged == count)
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .uncaughtSignal)
        // Killed before any flush: every key has its row (written with its first update), all behind the log.
        #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == Int64(count))
        #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM entity_state") == 7)
        #expect(try StoreFile.integer(store, "SELECT MAX(through_seq) FROM entity_state") < Int64(count))
        let definition = try FeatureSetDefinition(contentsOfFile: FeatureStoreEndpointTests.featureSet)
        let reopened = try SQLiteOnlineStore(path: store, featureSets: [definition])
        defer { reopened.close() }
        let replay = try SQLiteOnlineStore(
            path: directory.appendingPathComponent("replay.db").path, featureSets: [definition])
        defer { replay.close() }
        let events = try (0..<count).map { try JSONParser.parse(Self.body(index: $0)) }
        _ = try replay.ingestAndWait(events, into: "transactions")
        let time = Int64(1_767_225_600_000 + 3_600_000)
        var counted = 0.0
        for key in 0..<7 {
            let entity = EntityKey(parts: ["k\(key)"])
            let row = try reopened.read(featureSet: "transactions", key: entity, at: time)
            #expect(row == (try replay.read(featureSet: "transactions", key: entity, at: time)))
            counted += row?["amount_count_24h"]?.doubleValue ?? 0
        }
        #expect(counted == Double(count))
    }

    /// With a flush interval of 20 ms, rounds over 300 keys run every few commits while pipelined requests arrive,
    /// then `kill -9`. The reopened store must equal a replay of exactly the events its log kept, in `seq` order.
    @Test func killDashNineWhileFlushRoundsRunReopensEqualToAReplayOfTheLog() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = directory.appendingPathComponent("store.db").path
        let server = try ServeProcess(
            arguments: Self.runArguments(store: store, ["--state-flush-interval", "20ms"]),
            log: directory.appendingPathComponent("serve.log"))
        let client = try HTTPTestClient(port: server.port)
        func body(_ index: Int) -> String {
            #"{"key": "w\#(index % 300)", "timestamp": \#(1_767_225_600 + index), "amount": \#(index % 9)}"#
        }
        let (_, acknowledged) = try Self.sendUntilKilled(client, server, killAfter: 2_400) { index in
            Self.ingestRequest(body(index))
        }
        #expect(server.process.terminationReason == .uncaughtSignal)
        // The events the log kept (every acknowledged one at least), by request index, in seq order.
        let logged = try StoreFile.rows(store, "SELECT event_ts_ms FROM event_log ORDER BY seq").map {
            Int(($0.first?.integerValue ?? 0) / 1000 - 1_767_225_600)
        }
        #expect(logged.count >= acknowledged)
        let definition = try FeatureSetDefinition(contentsOfFile: FeatureStoreEndpointTests.featureSet)
        let reopened = try SQLiteOnlineStore(path: store, featureSets: [definition])
        defer { reopened.close() }
        let replay = try SQLiteOnlineStore(
            path: directory.appendingPathComponent("replay.db").path, featureSets: [definition])
        defer { replay.close() }
        _ = try replay.ingestAndWait(try logged.map { try JSONParser.parse(body($0)) }, into: "transactions")
        let time = Int64(1_767_225_600_000 + 7_200_000)
        for key in 0..<300 {
            let entity = EntityKey(parts: ["w\(key)"])
            let row = try reopened.read(featureSet: "transactions", key: entity, at: time)
            guard let expected = try replay.read(featureSet: "transactions", key: entity, at: time) else {
                #expect(row == nil, "w\(key)")
                continue
            }
            #expect(row.map { Array($0.members.map(\.0)) } == Array(expected.members.map(\.0)), "w\(key)")
            // stdvar and stddev within 1e-12 relative: their last bits depend on how buckets were merged.
            for (column, value) in expected.members {
                let a: Double = value.doubleValue ?? .nan
                let b: Double = row?[column]?.doubleValue ?? .nan
                #expect(row?[column] == value || (a - b).magnitude <= 1e-12 * a.magnitude, "w\(key) \(column)")
            }
        }
    }
}
