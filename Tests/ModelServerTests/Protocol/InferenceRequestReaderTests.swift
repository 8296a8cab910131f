import Testing

@testable import ModelServer
@testable import ServingGraph

/// The fast Open Inference Protocol reader either decodes a body exactly as the general path
/// (`JSONParser` + `InferenceRequestDecoder`) does, or declines it (no sockets).
struct InferenceRequestReaderTests {
    private func fast(_ json: String, binary: [UInt8]? = nil) -> InferenceRequest? {
        Array(json.utf8).withUnsafeBytes { bytes in
            InferenceRequestReader.read(bytes, binary: binary.map { $0[...] }, limits: InferenceLimits())
        }
    }

    private func general(_ json: String, binary: [UInt8]? = nil) throws -> InferenceRequest {
        try InferenceRequestDecoder.decode(
            try JSONParser.parse(json), binary: binary.map { $0[...] }, limits: InferenceLimits())
    }

    private static let x = #"{"name":"x","shape":[1,4],"datatype":"FP32","data":[[0.5,-1.25,2,0.75]]}"#

    @Test(arguments: [
        #"{"inputs":[\#(x)]}"#,
        #" { "inputs" : [ { "data" : [ 1 , 2 ] , "name" : "x" , "shape" : [ 2 ] , "datatype" : "FP64" } ] } "#,
        #"{"id":"r-1","inputs":[\#(x)],"outputs":[{"name":"probability"}]}"#,
        #"{"id":7,"parameters":{"binary_data_output":true,"k":[1,{"a":null}]},"inputs":[\#(x)]}"#,
        #"{"inputs":[{"name":"a","shape":[2,2],"datatype":"FP64","data":[[1e300,-0.0],[3,4.5]]}]}"#,
        #"{"inputs":[{"name":"a","shape":[3],"datatype":"INT32","data":[-2147483648,0,7]},"#
            + #"{"name":"b","shape":[2],"datatype":"UINT8","data":[[0],[255]],"parameters":{"p":1}}]}"#,
        #"{"inputs":[{"name":"b","shape":[2],"datatype":"BOOL","data":[true,false]}]}"#,
        #"{"inputs":[{"name":"s","shape":[1],"datatype":"BYTES","data":["h\u00e9"]}]}"#,
        #"{"inputs":[{"name":"u","shape":[1],"datatype":"UINT64","data":[9223372036854775807]}]}"#,
        #"{"inputs":[{"datatype":"FP32","data":[1,2],"shape":[2],"name":"late"}]}"#,
        #"{"inputs":[{"name":"e","shape":[0,4],"datatype":"FP32","data":[]}]}"#,
        #"{"inputs":[],"unknown":{"deep":[[[]]]}}"#,
        #"{"inputs":[{"name":"s","shape":[],"datatype":"FP32","data":3}]}"#,
    ])
    func decodesAcceptedBodiesAsTheGeneralPathDoes(json: String) throws {
        let read = try #require(fast(json))
        let expected = try general(json)
        #expect(read.id == expected.id)
        #expect(read.parameters == expected.parameters)
        #expect(read.inputs == expected.inputs)
        #expect(read.requestedOutputs == expected.requestedOutputs)
        #expect(read.binaryOutputByDefault == expected.binaryOutputByDefault)
        #expect(read.format == expected.format)
    }

    @Test(arguments: TensorDatatype.allCases)
    func readsEveryDatatypeTheGeneralPathAcceptsAndDeclinesTheOthers(datatype: TensorDatatype) throws {
        let json = #"{"inputs":[{"name":"e","shape":[0],"datatype":"\#(datatype.rawValue)","data":[]}]}"#
        guard datatype != .fp16 && datatype != .bf16 else {
            #expect(fast(json) == nil)
            #expect(throws: InferenceProtocolError.self) { try general(json) }
            return
        }
        let read = try #require(fast(json))
        #expect(read.inputs == (try general(json)).inputs)
        #expect(read.inputs.first?.datatype == datatype)
    }

    @Test func readsBinaryInputsFromTheBytesAfterTheHeader() throws {
        let json =
            #"{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}}],"#
            + #""outputs":[{"name":"y","parameters":{"binary_data":true}}]}"#
        let binary: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]
        let read = try #require(fast(json, binary: binary))
        #expect(read.inputs == (try general(json, binary: binary)).inputs)
        #expect(try read.input("x").floats() == [1, 2])
        #expect(read.requestedOutputs == [InferenceRequest.RequestedOutput(name: "y", binary: true)])
    }

    @Test(arguments: [
        "",
        "   ",
        "\u{FEFF}{\"inputs\":[]}",
        #"{"inputs":[[1,2,3,4]]}"#,
        #"{"inputs":[{"a":1,"b":2}]}"#,
        #"{"inputs":[1,2]}"#,
        #"{"inputs":[\#(x)],"operation":"explain"}"#,
        #"{"inputs":[\#(x)],"model":"other"}"#,
        #"{"inputs":[\#(x)],"inputs":[\#(x)]}"#,
        #"{"inputs":[{"name":"x","name":"y","shape":[1],"datatype":"FP32","data":[1]}]}"#,
        #"{"inputs":[\#(x),\#(x)]}"#,
        #"{"id":"1"}"#,
        #"{"inputs":{}}"#,
        #"{"inputs":[\#(x)]} x"#,
        #"{"inputs":[\#(x)],}"#,
        #"{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[1,2,]}]}"#,
        #"{"inputs":[{"name":"x","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,5,6,7]}]}"#,
        #"{"inputs":[{"name":"x","shape":[3],"datatype":"FP32","data":[1,2,3,4]}]}"#,
        #"{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[1,"2"]}]}"#,
        #"{"inputs":[{"name":"x","shape":[2],"datatype":"INT8","data":[1,128]}]}"#,
        #"{"inputs":[{"name":"x","shape":[1],"datatype":"INT32","data":[1.5]}]}"#,
        #"{"inputs":[{"name":"x","shape":[-1],"datatype":"FP32","data":[1]}]}"#,
        #"{"inputs":[{"name":"x","shape":[1],"datatype":"FP16","data":[1]}]}"#,
        #"{"inputs":[{"name":"x","shape":[1],"datatype":"NOPE","data":[1]}]}"#,
        #"{"inputs":[{"name":"x","shape":[1],"datatype":"FP32"}]}"#,
        #"{"inputs":[{"shape":[1],"datatype":"FP32","data":[1]}]}"#,
        #"{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],"id":[1]}"#,
        #"{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],"outputs":[{"x":1}]}"#,
        #"{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","parameters":{"binary_data_size":4}}]}"#,
    ])
    func declinesBodiesForTheGeneralPath(json: String) {
        #expect(fast(json) == nil)
    }

    @Test func declinesDataNestedDeeperThanItsLimit() throws {
        let depth = InferenceRequestReader.maxDataDepth
        func body(_ levels: Int) -> String {
            let data = String(repeating: "[", count: levels) + "1" + String(repeating: "]", count: levels)
            return #"{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":\#(data)}]}"#
        }
        #expect(fast(body(depth)) != nil)
        #expect(fast(body(depth + 1)) == nil)
        #expect(try general(body(depth + 1)).inputs[0].elements == .floats([1]))
    }

    @Test func declinesBinaryBytesLeftOverAfterTheInputs() {
        let json = #"{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","parameters":{"binary_data_size":4}}]}"#
        #expect(fast(json, binary: [0, 0, 0x80, 0x3F]) != nil)
        #expect(fast(json, binary: [0, 0, 0x80, 0x3F, 1]) == nil)
        #expect(fast(json, binary: [0, 0, 0x80]) == nil)
    }
}
