import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// `examples/interop/graph.json` served over a real socket; curl and a raw TCP client as clients.
@Suite(.serialized)
struct ModelServingEndToEndTests {
    private let graph = ServingHarness.path("examples/interop/graph.json")
    private let infer = "/v2/models/fraud/infer"

    private func withFraud(_ body: (Int) throws -> Void) throws {
        try ServingHarness.withServer(graphPath: graph) { port, _ in try body(port) }
    }

    @Test func jsonTensorsWithoutContentTypeAreInferred() throws {
        try withFraud { port in
            let result = try Curl.run(
                "http://127.0.0.1:\(port)\(infer)",
                [
                    "-X", "POST", "-H", "Content-Type:", "--data-binary",
                    #"{"id":"42","inputs":[{"name":"x","shape":[2,4],"datatype":"FP32","data":[[1,2,3,4],[0.5,-1,0,2]]}]}"#,
                ])
            #expect(result.status == 200)
            let answer = try JSONParser.parse(result.body)
            #expect(answer["id"] == "42")
            #expect(answer["model_name"] == "fraud")
            let data = answer["outputs"]?.arrayValue?.first?["data"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            #expect(data.count == 2)
            #expect(abs((data.first ?? 0) - 0.98901306) < 1e-6)
        }
    }

    @Test func mlrunRowsGetMLRunsResponse() throws {
        try withFraud { port in
            let (status, answer) = try ServingHarness.post(port, infer, #"{"id":"m","inputs":[[1,2,3,4]]}"#)
            #expect(status == 200)
            #expect(answer.objectValue?.keys == ["id", "model_name", "outputs", "timestamp"])
            #expect(answer["timestamp"]?.stringValue?.hasSuffix("+00:00") == true)
        }
    }

    @Test func binaryRequestGetsBinaryResponseWithItsOwnHeaderLength() throws {
        try withFraud { port in
            let header = Array(
                (#"{"id":"7","inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":16}}],"#
                    + #""outputs":[{"name":"probability","parameters":{"binary_data":true}}]}"#).utf8)
            var body = header
            for value: Float in [1, 2, 3, 4] { withUnsafeBytes(of: value.bitPattern.littleEndian) { body += $0 } }
            let client = try HTTPTestClient(port: port)
            try client.send(
                "POST \(infer) HTTP/1.1\r\nHost: x\r\nInference-Header-Content-Length: \(header.count)\r\n"
                    + "Content-Length: \(body.count)\r\n\r\n")
            try client.send(body)
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/octet-stream")
            let jsonLength = Int(response.header("Inference-Header-Content-Length") ?? "") ?? -1
            #expect(jsonLength == response.body.count - 4)
            let json = try JSONParser.parse(Array(response.body.prefix(jsonLength)))
            #expect(json["outputs"]?.arrayValue?.first?["parameters"] == ["binary_data_size": 4])
            let bits = response.body.suffix(4).enumerated().reduce(UInt32(0)) {
                $0 | UInt32($1.element) << (8 * $1.offset)
            }
            #expect(abs(Float(bitPattern: bits) - 0.9890131) < 1e-6)
        }
    }

    @Test func rawBinaryRequestIsTheOneInputsBytesAndAnswersBinary() throws {
        try withFraud { port in
            var body: [UInt8] = []
            for value: Float in [1, 2, 3, 4, 1, 2, 3, 4] {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { body += $0 }
            }
            let client = try HTTPTestClient(port: port)
            try client.send(
                "POST \(infer) HTTP/1.1\r\nHost: x\r\nInference-Header-Content-Length: 0\r\nContent-Length: 32\r\n\r\n")
            try client.send(body)
            let response = try client.readResponse()
            #expect(response.status == 200)
            let jsonLength = Int(response.header("Inference-Header-Content-Length") ?? "") ?? -1
            let json = try JSONParser.parse(Array(response.body.prefix(jsonLength)))
            #expect(json["outputs"]?.arrayValue?.first?["shape"] == [2])
            #expect(response.body.count == jsonLength + 8)

            let short = try HTTPTestClient(port: port)
            try short.send(
                "POST \(infer) HTTP/1.1\r\nHost: x\r\nInference-Header-Content-Length: 0\r\nContent-Length: 12\r\n\r\n")
            try short.send(Array(body.prefix(12)))
            let rejected = try short.readResponse()
            #expect(rejected.status == 400)
            #expect(rejected.bodyText.contains("input 'x': binary_data_size is 12 bytes"))
        }
    }

    @Test(arguments: [
        ("{\"inputs\": [{\"name\": \"x\", ", 400, "not valid JSON"),
        (#"{"id":"no-inputs"}"#, 400, #"Expected key "inputs" in request body"#),
        (
            #"{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3]}]}"#, 400,
            "input 'x': shape [1, 4] needs 4 elements, data has 3"
        ),
        (
            #"{"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}"#, 400,
            "input 'x': shape [1, 3] does not match [-1, 4]"
        ),
        (
            #"{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP99","data":[1,2,3,4]}]}"#, 400,
            "input 'x': unknown datatype 'FP99'"
        ),
        (
            #"{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":["a","b","c","d"]}]}"#, 400,
            "input 'x': element 0 is the string \"a\""
        ),
        (
            #"{"inputs":[{"name":"x","shape":[1,4],"datatype":"BYTES","data":["a","b","c","d"]}]}"#, 400,
            "tensor 'x' is BYTES"
        ),
        (
            #"{"inputs":[{"name":"x","shape":[-1,4],"datatype":"FP32","data":[1,2,3,4]}]}"#, 400,
            "input 'x': shape [-1, 4] has a negative dimension"
        ),
        (
            #"{"inputs":[{"name":"x","shape":[4294967296,4294967296],"datatype":"FP32","data":[1]}]}"#, 400,
            "input 'x': shape [4294967296, 4294967296] has more than"
        ),
        (#"{"inputs":[{"name":"y","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}"#, 400, "missing input 'x'"),
        (
            #"{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"nope"}]}"#,
            400, "unknown output 'nope'"
        ),
    ])
    func badJSONInputIsAClientErrorNamingTheProblem(body: String, status: Int, message: String) throws {
        try withFraud { port in
            let (got, answer) = try ServingHarness.post(port, infer, body)
            #expect(got == status)
            #expect(answer["error"]?.stringValue?.contains(message) == true, "\(answer)")
        }
    }

    @Test(arguments: [
        (16, 100, 16, "Inference-Header-Content-Length"),
        (16, 0, 10, "binary data truncated: needs 16 bytes, 10 left"),
        (64, 0, 16, "binary_data_size is 64 bytes, shape and datatype need 16"),
    ])
    func badBinaryFramingIs400(declaredSize: Int, extraHeaderLength: Int, payload: Int, message: String) throws {
        try withFraud { port in
            let header = Array(
                #"{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":\#(declaredSize)}}]}"#
                    .utf8)
            let body = header + [UInt8](repeating: 0, count: payload)
            let client = try HTTPTestClient(port: port)
            try client.send(
                "POST \(infer) HTTP/1.1\r\nHost: x\r\nInference-Header-Content-Length: \(header.count + extraHeaderLength)\r\n"
                    + "Content-Length: \(body.count)\r\n\r\n")
            try client.send(body)
            let response = try client.readResponse()
            #expect(response.status == 400)
            let error = try JSONParser.parse(response.body)["error"]?.stringValue ?? ""
            #expect(error.contains(message), "\(error)")
        }
    }

    @Test func unknownModelAndVersionAre404AndGetOnInferIs405() throws {
        try withFraud { port in
            let body = #"{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}"#
            let (unknown, error) = try ServingHarness.post(port, "/v2/models/nope/infer", body)
            #expect(unknown == 404)
            #expect(error["error"]?.stringValue?.contains("unknown model 'nope'") == true)
            let (version, _) = try ServingHarness.post(port, "/v2/models/fraud/versions/9/infer", body)
            #expect(version == 404)
            let (metadata, _) = try ServingHarness.get(port, "/v2/models/nope")
            #expect(metadata == 404)
            let get = try Curl.run("http://127.0.0.1:\(port)\(infer)")
            #expect(get.status == 405)
            #expect(get.headers["allow"]?.contains("POST") == true)
        }
    }

    @Test func healthMetadataAndModelListAnswerAsTheProtocolSays() throws {
        try withFraud { port in
            #expect(try ServingHarness.get(port, "/v2/health/ready").0 == 200)
            let (readyStatus, ready) = try ServingHarness.get(port, "/v2/models/fraud/ready")
            #expect(readyStatus == 200)
            #expect(ready == ["name": "fraud", "ready": true])
            #expect(try ServingHarness.get(port, "/v2/models/nope/ready").0 == 404)
            let (_, metadata) = try ServingHarness.get(port, "/v2/models/fraud")
            #expect(metadata["platform"] == "swift_logreg")
            #expect(metadata["inputs"] == [["name": "x", "datatype": "FP32", "shape": [-1, 4]]])
            #expect(try ServingHarness.get(port, "/v2/models").1 == ["models": ["fraud"]])
            #expect(try ServingHarness.get(port, "/v2").1["extensions"] == ["binary_tensor_data"])
        }
    }

    @Test func ensembleUnderTheRouterVotesByItsNameAndItsChildrenStayAddressable() throws {
        let logreg = ServingHarness.path("examples/interop/fraud-logreg.json")
        let graph = ServingHarness.router(
            #"{"fraud": {"class_name": "LogisticRegressionModel", "class_args": {"model_path": "\#(logreg)"}},"#
                + #""vote": {"kind": "router", "class_name": "VotingEnsemble", "class_args": {"vote_type": "regression"},"#
                + #""routes": {"a": {"class_name": "LogisticRegressionModel", "class_args": {"model_path": "\#(logreg)"}},"#
                + #""b": {"class_name": "LinearModel", "class_args": {"model_path": "\#(logreg)"}}}}}"#)
        try ServingHarness.withServer(graphJSON: graph) { port, _ in
            let rows = #"{"id":"v","inputs":[[1,2,3,4]]}"#
            let (_, a) = try ServingHarness.post(port, "/v2/models/a/infer", rows)
            let (_, b) = try ServingHarness.post(port, "/v2/models/b/infer", rows)
            let (status, vote) = try ServingHarness.post(port, "/v2/models/vote/infer", rows)
            #expect(status == 200)
            #expect(vote["model_name"] == "vote")
            let mean =
                ((a["outputs"]?.arrayValue?[0].doubleValue ?? 0) + (b["outputs"]?.arrayValue?[0].doubleValue ?? 0)) / 2
            #expect(vote["outputs"] == [.double(mean)])
            #expect(try ServingHarness.get(port, "/v2/models").1 == ["models": ["fraud", "vote", "a", "b"]])
        }
    }

    @Test func mlrunErrorSwitchAnswersEveryModelError400TextAsMLRun() throws {
        try ServingHarness.withServer(graphPath: graph, mlrunErrors: true) { port, _ in
            let client = try HTTPTestClient(port: port)
            let body = #"{"inputs":[[1,2,3,4]]}"#
            try client.send(
                "POST /v2/models/nope/infer HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.header("Content-Type") == "text/plain")
            #expect(response.bodyText == "ServingError: unknown model 'nope', available models: fraud")
        }
    }
}
