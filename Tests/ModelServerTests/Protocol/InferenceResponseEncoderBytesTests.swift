import Testing

@testable import ModelServer
@testable import ServingGraph

/// The response bytes written straight from tensors equal the bytes of the `Value` body the general
/// path builds and serialises (no sockets).
struct InferenceResponseEncoderBytesTests {
    private static let outputs: [Tensor] = [
        Tensor(name: "f", shape: [2, 2], floats: [0.25, -1.5, .nan, 3.4028235e38]),
        Tensor(name: "d", shape: [3], doubles: [0.1, -0.0, .infinity]),
        Tensor(name: "i", shape: [2], integers: [Int64.min, 42]),
        Tensor(name: "u", datatype: .uint64, shape: [2], elements: .unsigned([7, UInt64.max])),
        Tensor(name: "b", datatype: .bool, shape: [2], elements: .bools([true, false])),
        Tensor(name: "s\"q", shape: [2], strings: ["a\"b\\c\n", "é"]),
        Tensor(name: "empty", shape: [0], doubles: []),
    ]

    private static let requests: [InferenceRequest] = [
        InferenceRequest(inputs: []),
        InferenceRequest(inputs: [], binaryOutputByDefault: true),
        InferenceRequest(
            inputs: [], requestedOutputs: [.init(name: "d", binary: true), .init(name: "f"), .init(name: "s\"q")]),
        InferenceRequest(inputs: [], format: .mlrun),
    ]

    @Test(arguments: 0..<requests.count)
    func writesTheBytesOfTheValueBody(request index: Int) throws {
        let request = Self.requests[index]
        for version in [nil, "2"] as [String?] {
            for parameters in [ValueObject(), ["sequence_id": 3, "note": "x"]] {
                let response = InferenceResponse(
                    modelName: "m", modelVersion: version, id: "id-\"1", parameters: parameters,
                    outputs: Self.outputs)
                let general = try InferenceResponseEncoder.encode(
                    response, for: request, receivedAtMicroseconds: 1_700_000_000_123_456)
                let direct = try InferenceResponseEncoder.encodeJSON(
                    response, for: request, receivedAtMicroseconds: 1_700_000_000_123_456)
                #expect(String(decoding: direct.json, as: UTF8.self) == JSONWriter.string(general.body))
                #expect(direct.binary == general.binary)
            }
        }
    }

    @Test func rejectsAnUnknownRequestedOutputAsTheGeneralPathDoes() {
        let request = InferenceRequest(inputs: [], requestedOutputs: [.init(name: "nope")])
        let response = InferenceResponse(modelName: "m", id: "1", outputs: Self.outputs)
        var general: ServingError?
        var direct: ServingError?
        do { _ = try InferenceResponseEncoder.encode(response, for: request, receivedAtMicroseconds: nil) } catch {
            general = error
        }
        do { _ = try InferenceResponseEncoder.encodeJSON(response, for: request, receivedAtMicroseconds: nil) } catch {
            direct = error
        }
        #expect(direct != nil)
        #expect(direct == general)
    }
}
