import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// Answers one fixed output, so the MLRun response shape is all that is checked.
private final class ConstantModel: V2ModelServer {
    override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        [Tensor(name: "y", shape: [1], doubles: [1])]
    }
}

/// MLRun's `timestamp` is the request start time with microseconds (reference/mlrun.md §1.5).
struct MLRunTimestampTests {
    @Test func timestampKeepsTheMicrosecondsOfTheRequestStart() throws {
        // 2026-11-24 06:56:15.703493 UTC, the reference's example, in microseconds since the epoch.
        var event = Event(body: try JSONParser.parse(#"{"id": "t1", "inputs": [1]}"#), path: "infer")
        event.receivedAtMicroseconds = 1_795_503_375_703_493
        let response = try ConstantModel(name: "m").run(event).body
        #expect(response["timestamp"] == "2026-11-24 06:56:15.703493+00:00")
    }

    @Test func millisecondsStayReadableBesideMicroseconds() {
        var event = Event()
        event.receivedAtMicroseconds = 1_795_503_375_703_493
        #expect(event.receivedAt == 1_795_503_375_703)
        event.receivedAt = 5
        #expect(event.receivedAtMicroseconds == 5000)
    }

    @Test func httpAnswerCarriesTheArrivalTimeToTheMicrosecond() throws {
        var registry = StepRegistry.serving()
        registry.registerModel("Constant") { name, args in ConstantModel(name: name, classArgs: args) }
        let graph = ServingHarness.router(#"{"m": {"class_name": "Constant"}}"#)
        try ServingHarness.withServer(graphJSON: graph, registry: registry, loops: 1) { port, _ in
            let before = Event.nowMicroseconds()
            let (status, answer) = try ServingHarness.post(port, "/v2/models/m/infer", #"{"inputs": [1]}"#)
            let after = Event.nowMicroseconds()
            #expect(status == 200)
            let text = try #require(answer["timestamp"]?.stringValue)
            // `YYYY-MM-DD HH:MM:SS.ffffff+00:00`: parse it back to microseconds since the epoch.
            let parts = text.split(whereSeparator: { " -:.+".contains($0) }).map { Int64($0) ?? -1 }
            try #require(parts.count == 9 && text.count == 32 && text.hasSuffix("+00:00"))
            var civil = DateComponents()
            (civil.year, civil.month, civil.day) = (Int(parts[0]), Int(parts[1]), Int(parts[2]))
            (civil.hour, civil.minute, civil.second) = (Int(parts[3]), Int(parts[4]), Int(parts[5]))
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
            let seconds = try #require(calendar.date(from: civil)).timeIntervalSince1970
            let micros = Int64(seconds) * 1_000_000 + parts[6]
            #expect(micros >= before && micros <= after)
        }
    }
}
