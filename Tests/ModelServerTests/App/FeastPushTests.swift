import FeatureEnrich
import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// Feast's `POST /push` modes (`to`) and TTL on `/get-online-features`, over real sockets and a real SQLite file;
/// the offline log is read back with `serve training-set`.
@Suite(.serialized)
struct FeastPushTests {
    static let service = """
        {"feature_sets": [{"name": "customer_stats", "entities": [{"name": "customer_id", "type": "int64"}],
                           "timestamp_key": "event_timestamp",
                           "features": [{"name": "amount_avg_1d", "type": "double"},
                                        {"name": "country", "type": "string"}]},
                          {"name": "fresh_stats", "entities": [{"name": "customer_id", "type": "int64"}],
                           "timestamp_key": "event_timestamp", "ttl": "1h",
                           "features": [{"name": "score", "type": "double"}]}],
         "push_sources": [{"name": "customer_push", "feature_set": "customer_stats"}]}
        """

    /// A server over a fresh store: `body` gets the port and the directory holding `store.db`.
    private func withServer(_ body: (Int, URL) throws -> Void) throws {
        try ServiceServer.withDirectory { directory in
            try ServiceServer.with(service: Self.service, in: directory) { port, _ in try body(port, directory) }
        }
    }

    private func push(_ port: Int, to: String?, ids: [Int] = [7, 8], source: String = "customer_push") throws -> (
        Int, Value
    ) {
        let target = to.map { #", "to": \#($0)"# } ?? ""
        let averages = ids.map { "\(Double($0) * 1.5)" }.joined(separator: ", ")
        let times = ids.map { _ in #""2026-01-01T00:00:00Z""# }.joined(separator: ", ")
        let countries = ids.map { _ in #""DE""# }.joined(separator: ", ")
        let body = """
            {"push_source_name": "\(source)"\(target), "df": {"customer_id": \(ids), "event_timestamp": [\(times)],
             "amount_avg_1d": [\(averages)], "country": [\(countries)]}}
            """
        return try ServingHarness.post(port, "/push", body)
    }

    /// The `/get-online-features` statuses of `amount_avg_1d` for `ids`.
    private func onlineStatuses(_ port: Int, _ ids: [Int]) throws -> Value? {
        let (status, value) = try ServingHarness.post(
            port, "/get-online-features",
            #"{"features": ["customer_stats:amount_avg_1d"], "entities": {"customer_id": \#(ids)}}"#)
        #expect(status == 200)
        return value["results"]?.arrayValue?.last?["statuses"]
    }

    private func eventLogRows(_ directory: URL) throws -> Int64 {
        try StoreFile.integer(directory.appendingPathComponent("store.db").path, "SELECT COUNT(*) FROM event_log")
    }

    @Test(arguments: [#""online""#, nil])
    func pushToOnlineOrWithoutToServesTheRowsWithoutAppendingToTheEventLog(to: String?) throws {
        try withServer { port, directory in
            let (status, _) = try push(port, to: to)
            #expect(status == 200)
            #expect(try onlineStatuses(port, [7, 8]) == ["PRESENT", "PRESENT"])
            #expect(try eventLogRows(directory) == 0)
        }
    }

    @Test func pushToOfflineAppendsToTheEventLogOnlyAndTrainingSetsSeeIt() throws {
        try ServiceServer.withDirectory { directory in
            try ServiceServer.with(service: Self.service, in: directory) { port, _ in
                let (status, _) = try push(port, to: #""offline""#)
                #expect(status == 200)
                #expect(try onlineStatuses(port, [7, 8]) == ["NOT_FOUND", "NOT_FOUND"])
                #expect(try eventLogRows(directory) == 2)
            }
            let vector = directory.appendingPathComponent("v.json")
            try #"{"name": "v", "features": ["customer_stats.amount_avg_1d", "customer_stats.country"]}"#
                .write(to: vector, atomically: true, encoding: .utf8)
            let entities = directory.appendingPathComponent("e.csv")
            try "customer_id,timestamp\n8,2026-01-02T00:00:00Z\n7,2025-12-31T00:00:00Z\n"
                .write(to: entities, atomically: true, encoding: .utf8)
            let result = try ServeBinary.run([
                "training-set", vector.path, entities.path, "--store",
                directory.appendingPathComponent("store.db").path, "--out", "-",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(
                result.stdout
                    == "customer_id,timestamp,amount_avg_1d,country\n8,2026-01-02T00:00:00Z,12.0,DE\n"
                    + "7,2025-12-31T00:00:00Z,,\n")
        }
    }

    @Test func pushToOnlineAndOfflineWritesBothStores() throws {
        try withServer { port, directory in
            let (status, _) = try push(port, to: #""online_and_offline""#, ids: [1, 2, 3])
            #expect(status == 200)
            #expect(try onlineStatuses(port, [1, 2, 3, 4]) == ["PRESENT", "PRESENT", "PRESENT", "NOT_FOUND"])
            #expect(try eventLogRows(directory) == 3)
        }
    }

    @Test(arguments: [
        (#""everywhere""#, "to: 'everywhere' is not a supported push format"),
        (#""ONLINE""#, "to: 'ONLINE' is not a supported push format"),
        ("1", "to: expected one of 'online', 'offline', 'online_and_offline', got integer"),
    ])
    func unsupportedPushTargetIs400NamingItAndWritesNothing(to: String, message: String) throws {
        try withServer { port, directory in
            let (status, body) = try push(port, to: to)
            #expect(status == 400)
            let detail = try JSONParser.parse(try #require(body.stringValue))
            #expect(detail["class"] == "FeastError")
            #expect(detail["message"]?.stringValue?.hasPrefix(message) == true, "\(detail)")
            #expect(try onlineStatuses(port, [7]) == ["NOT_FOUND"])
            #expect(try eventLogRows(directory) == 0)
        }
    }

    @Test func pushWhoseColumnsDifferInLengthIs400AndWritesNothing() throws {
        try withServer { port, directory in
            let (status, body) = try ServingHarness.post(
                port, "/push",
                #"{"push_source_name": "customer_stats", "to": "online_and_offline","#
                    + #" "df": {"customer_id": [1, 2], "amount_avg_1d": [1.0]}}"#)
            #expect(status == 400)
            #expect(body.stringValue?.contains("columns differ in length") == true)
            #expect(try eventLogRows(directory) == 0)
        }
    }

    @Test func valueOlderThanTheTTLIsServedOutsideMaxAgeWithTheValueFilledIn() throws {
        try withServer { port, _ in
            let now = Date().timeIntervalSince1970
            let stale = RFC3339.string(epochMilliseconds: Int64((now - 7_200) * 1000))
            let recent = RFC3339.string(epochMilliseconds: Int64((now - 60) * 1000))
            let (pushed, _) = try ServingHarness.post(
                port, "/push",
                #"{"push_source_name": "fresh_stats", "df": {"customer_id": [1, 2], "score": [0.25, 0.75],"#
                    + #" "event_timestamp": ["\#(stale)", "\#(recent)"]}}"#)
            #expect(pushed == 200)
            let (status, value) = try ServingHarness.post(
                port, "/get-online-features",
                #"{"features": ["fresh_stats:score"], "entities": {"customer_id": [1, 2, 3]}}"#)
            #expect(status == 200)
            let score = try #require(value["results"]?.arrayValue?.last)
            #expect(score["values"] == [0.25, 0.75, .null])
            #expect(score["statuses"] == ["OUTSIDE_MAX_AGE", "PRESENT", "NOT_FOUND"])
            #expect(score["event_timestamps"]?.arrayValue?.first == .string(stale))
        }
    }
}
