import Dispatch
import FeatureEnrich
import Foundation
import Synchronization
import Testing

@testable import ModelServer
@testable import ServingGraph

/// `examples/enrich/serve.json` (update aggregates, enrich 10 features, logistic model) as `serve run` serves it
/// over real sockets and as `serve test` answers it in process, each over its own real SQLite store.
@Suite(.serialized)
struct EnrichmentExampleTests {
    static let example = ServingHarness.path("examples/enrich/serve.json")

    /// Serves the example over `store`; `body` gets the port.
    private func withServer(store: String, loops: Int = 2, _ body: (Int) throws -> Void) throws {
        var configuration = ServeConfiguration()
        configuration.graphPath = Self.example
        configuration.storePath = store
        try ServiceServer.run(configuration, loops: loops) { port, _ in try body(port) }
    }

    @Test func serveTestAnswersTheEnrichmentExampleAsServeRunDoes() throws {
        try ServiceServer.withDirectory { directory in
            let requests = [
                ("e-1", #"{"account": "a1", "amount": 42.5}"#), ("e-2", #"{"account": "a1", "amount": 10}"#),
                ("e-3", #"{"account": "b2", "amount": 7}"#),
            ]
            let cliStore = directory.appendingPathComponent("cli.db").path
            var cliAnswers: [String] = []
            for (id, body) in requests {
                let cli = try ServeBinary.run([
                    "test", Self.example, "--store", cliStore, "--path", "/", "--body", body, "--header",
                    "X-Event-Id: \(id)",
                ])
                #expect(cli.status == 0, "\(cli.stderr)")
                cliAnswers.append(cli.stdout)
            }
            var httpAnswers: [String] = []
            try withServer(store: directory.appendingPathComponent("http.db").path) { port in
                for (id, body) in requests {
                    let curl = try Curl.postJSON(port, "/", body, headers: ["X-Event-Id: \(id)"])
                    #expect(curl.status == 200)
                    httpAnswers.append(curl.body + "\n")
                }
            }
            #expect(cliAnswers == httpAnswers)
            let first = try JSONParser.parse(cliAnswers[0])
            let second = try JSONParser.parse(cliAnswers[1])
            #expect(first["outputs"] != second["outputs"], "the second request sees the first one's aggregates")
            #expect(try StoreFile.integer(cliStore, "SELECT COUNT(*) FROM event_log") == 3)
        }
    }

    @Test func inProcessServerServesTheFeatureEndpointsFromTheStoreItsGraphWrites() throws {
        try ServiceServer.withDirectory { directory in
            let store = directory.appendingPathComponent("in-process.db").path
            let server = try InProcessServer(graphPath: Self.example, storePath: store)
            for amount in [3, 4] {
                let answer = try server.send(path: "/", body: #"{"account": "k", "amount": \#(amount)}"#)
                #expect(answer.status == 200, "\(answer.text)")
            }
            let online = try server.send(
                path: "/get-online-features", body: #"{"feature_service": "fraud_v1", "entities": {"account": ["k"]}}"#)
            #expect(online.status == 200)
            #expect(online.json?["results"]?.arrayValue?.map { $0["values"] } == [["k"], [2.0], [7.0], [3.5]])
            let pushed = try server.send(
                path: "/push",
                body: #"{"push_source_name": "transactions", "to": "offline", "df": {"account": ["k"], "amount": [9]}}"#
            )
            #expect(pushed.status == 200)
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 3)
        }
    }

    @Test func hotKeysUnderManyConcurrentClientsLoseNoUpdate() throws {
        try ServiceServer.withDirectory { directory in
            let store = directory.appendingPathComponent("hot.db").path
            let clients = 12
            let requestsPerClient = 30
            let keys = (0..<10).map { "hot\($0)" }
            let acknowledged = Mutex<[String: Int]>([:])
            let failures = Mutex<[String]>([])
            try withServer(store: store) { port in
                let done = DispatchGroup()
                for client in 0..<clients {
                    done.enter()
                    Thread {
                        defer { done.leave() }
                        do {
                            let connection = try HTTPTestClient(port: port, receiveTimeoutSeconds: 30)
                            for request in 0..<requestsPerClient {
                                let key = keys[(client + request) % keys.count]
                                let body = #"{"account": "\#(key)", "amount": 2}"#
                                try connection.send(
                                    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                                let response = try connection.readResponse()
                                if response.status == 200 {
                                    acknowledged.withLock { $0[key, default: 0] += 1 }
                                } else {
                                    failures.withLock { $0.append("\(response.status)") }
                                }
                            }
                        } catch {
                            failures.withLock { $0.append("\(error)") }
                        }
                    }.start()
                }
                done.wait()
                for key in keys {
                    let (status, value) = try ServingHarness.get(
                        port, "/v2/feature-sets/transactions/entities/\(key)?features=amount_count_24h,amount_sum_24h")
                    #expect(status == 200)
                    let count = acknowledged.withLock { $0[key] ?? 0 }
                    #expect(value["features"]?["amount_count_24h"]?.doubleValue == Double(count), "\(key)")
                    #expect(value["features"]?["amount_sum_24h"]?.doubleValue == Double(2 * count), "\(key)")
                }
            }
            #expect(failures.withLock { $0 }.isEmpty)
            let total = acknowledged.withLock { $0.values.reduce(0, +) }
            #expect(total == clients * requestsPerClient)
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == Int64(total))
        }
    }
}
