import Testing

@testable import ModelServer
@testable import ServingGraph

/// Open Inference Protocol request bodies in, typed tensors out (no sockets).
struct InferenceRequestDecoderTests {
    private func decode(_ json: String, binary: [UInt8]? = nil, limits: InferenceLimits = InferenceLimits()) throws
        -> InferenceRequest
    {
        try InferenceRequestDecoder.decode(try JSONParser.parse(json), binary: binary.map { $0[...] }, limits: limits)
    }

    private func error(_ json: String, binary: [UInt8]? = nil) -> InferenceProtocolError? {
        do {
            _ = try decode(json, binary: binary)
            return nil
        } catch let error as InferenceProtocolError {
            return error
        } catch {
            return nil
        }
    }

    @Test func readsNestedAndFlatDataAsTheSameRowMajorTensor() throws {
        let nested = try decode(#"{"inputs":[{"name":"x","shape":[2,2],"datatype":"FP32","data":[[1,2],[3,4]]}]}"#)
        let flat = try decode(#"{"inputs":[{"name":"x","shape":[2,2],"datatype":"FP32","data":[1,2,3,4]}]}"#)
        #expect(nested.inputs == flat.inputs)
        #expect(try nested.input("x").floats() == [1, 2, 3, 4])
        #expect(nested.format == .openInference)
    }

    @Test(arguments: [
        ("BOOL", "[true,false]", Tensor.Elements.bools([true, false])),
        ("UINT8", "[0,255]", .integers([0, 255])),
        ("INT8", "[-128,127]", .integers([-128, 127])),
        ("UINT16", "[0,65535]", .integers([0, 65535])),
        ("INT16", "[-32768,32767]", .integers([-32768, 32767])),
        ("UINT32", "[0,4294967295]", .integers([0, 4_294_967_295])),
        ("INT32", "[-2147483648,5]", .integers([-2_147_483_648, 5])),
        ("INT64", "[-9223372036854775808,1]", .integers([Int64.min, 1])),
        ("UINT64", "[0,9223372036854775807]", .unsigned([0, 9_223_372_036_854_775_807])),
        ("FP32", "[0.5,-2]", .floats([0.5, -2])),
        ("FP64", "[0.1,3]", .doubles([0.1, 3])),
        ("BYTES", #"["ab","xyz"]"#, .bytes([Array("ab".utf8), Array("xyz".utf8)])),
    ])
    func readsEveryDatatypeFromJSON(datatype: String, data: String, expected: Tensor.Elements) throws {
        let request = try decode(#"{"inputs":[{"name":"t","shape":[2],"datatype":"\#(datatype)","data":\#(data)}]}"#)
        #expect(request.inputs[0].elements == expected)
        #expect(request.inputs[0].datatype.rawValue == datatype)
    }

    @Test func rejectsCountThatDisagreesWithShapeNamingTheInput() {
        let failure = error(#"{"inputs":[{"name":"x","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,5,6,7]}]}"#)
        #expect(failure == .countMismatch(input: "x", shape: [2, 4], expected: 8, got: 7))
        #expect(failure?.description == "input 'x': shape [2, 4] needs 8 elements, data has 7")
    }

    @Test func rejectsNegativeDimensionBeforeReadingData() {
        let failure = error(#"{"inputs":[{"name":"x","shape":[-1,4],"datatype":"FP32","data":[1,2,3,4]}]}"#)
        #expect(failure == .negativeDimension(input: "x", shape: [-1, 4]))
    }

    @Test func rejectsHugeShapeWithoutAllocating() {
        let failure = error(
            #"{"inputs":[{"name":"x","shape":[9223372036854775807,4],"datatype":"FP32","data":[1]}]}"#)
        #expect(
            failure == .tooManyElements(input: "x", shape: [Int64.max, 4], limit: InferenceLimits().maxTensorElements))
    }

    @Test func rejectsUnknownAndHalfPrecisionDatatypes() {
        #expect(
            error(#"{"inputs":[{"name":"x","shape":[1],"datatype":"FP99","data":[1]}]}"#)
                == .unknownDatatype(input: "x", datatype: "FP99"))
        #expect(
            error(#"{"inputs":[{"name":"h","shape":[1],"datatype":"FP16","data":[1]}]}"#)
                == .unsupportedDatatype(input: "h", datatype: .fp16))
    }

    @Test(arguments: [
        (#"{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[1,"b"]}]}"#, "element 1 is the string \"b\""),
        (#"{"inputs":[{"name":"x","shape":[1],"datatype":"INT8","data":[300]}]}"#, "element 0 is the integer 300"),
        (#"{"inputs":[{"name":"x","shape":[1],"datatype":"BOOL","data":[1]}]}"#, "not a valid BOOL value"),
        (#"{"inputs":[{"name":"x","shape":[1],"datatype":"BYTES","data":[1]}]}"#, "not a valid BYTES value"),
    ])
    func rejectsElementsThatDoNotFitTheDatatype(json: String, message: String) {
        let failure = error(json)
        #expect(failure?.description.contains("input 'x'") == true)
        #expect(failure?.description.contains(message) == true)
    }

    @Test func rejectsMissingOrNonListInputsWithMLRunsMessages() {
        #expect(error(#"{"id":"1"}"#)?.description == #"Expected key "inputs" in request body"#)
        #expect(error(#"{"inputs":5}"#) == .inputsNotAList(got: "integer"))
    }

    @Test func readsBinaryInputsInDeclarationOrder() throws {
        var bytes: [UInt8] = []
        for value: Float in [1, 2, 3, 4] { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        bytes += [2, 0, 0, 0, 0x61, 0x62, 3, 0, 0, 0, 0x78, 0x79, 0x7a]
        let request = try decode(
            #"{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":16}},"#
                + #"{"name":"s","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":13}}]}"#,
            binary: bytes)
        #expect(try request.input("x").floats() == [1, 2, 3, 4])
        #expect(try request.input("s").strings() == ["ab", "xyz"])
        #expect(request.inputs[0].parameters.isEmpty)
    }

    @Test func rejectsBinarySizeThatDisagreesWithShape() {
        let failure = error(
            #"{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":12}}]}"#,
            binary: [UInt8](repeating: 0, count: 12))
        #expect(failure == .binarySizeMismatch(input: "x", expected: 16, declared: 12))
    }

    @Test func rejectsTruncatedBinaryPayload() {
        let failure = error(
            #"{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":16}}]}"#,
            binary: [UInt8](repeating: 0, count: 10))
        #expect(failure == .truncatedBinary(input: "x", needed: 16, available: 10))
    }

    @Test func rejectsBytesElementWhoseLengthRunsPastItsData() {
        let failure = error(
            #"{"inputs":[{"name":"s","shape":[1],"datatype":"BYTES","parameters":{"binary_data_size":6}}]}"#,
            binary: [9, 0, 0, 0, 0x61, 0x62])
        #expect(failure == .malformedBytesElement(input: "s", index: 0))
    }

    @Test func rejectsBytesLeftAfterTheLastBinaryInput() {
        let failure = error(
            #"{"inputs":[{"name":"x","shape":[1],"datatype":"UINT8","parameters":{"binary_data_size":1}}]}"#,
            binary: [1, 2, 3])
        #expect(failure == .trailingBinary(bytes: 2))
    }

    @Test func readsMLRunRowsAsOneTensorNamedInputs() throws {
        let request = try decode(#"{"id":"r1","inputs":[[1,2,3],[4,5,6]]}"#)
        #expect(request.format == .mlrun)
        #expect(request.id == "r1")
        #expect(request.inputs.count == 1)
        #expect(request.inputs[0].shape == [2, 3])
        #expect(try request.input("anything").doubles() == [1, 2, 3, 4, 5, 6])
    }

    @Test func readsRequestedOutputsAndBinaryOutputDefault() throws {
        let request = try decode(
            #"{"inputs":[],"parameters":{"binary_data_output":true,"k":1},"outputs":[{"name":"p","parameters":{"binary_data":false}}]}"#
        )
        #expect(request.binaryOutputByDefault)
        #expect(request.parameters == ["k": 1])
        #expect(request.requestedOutputs == [.init(name: "p", binary: false)])
    }
}
