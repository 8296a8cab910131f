/// The Open Inference Protocol request body, as a `Codable` peer would declare it.
struct InferenceRequest: Codable {
    /// One named input tensor with its shape, datatype and flattened data.
    struct Tensor: Codable {
        let name: String
        let shape: [Int]
        let datatype: String
        let data: [Double]
    }

    let id: String
    let inputs: [Tensor]
}

/// Benchmark inputs: request bodies of the sizes the brief names.
enum BenchmarkInput {
    /// `{"id":"1","inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[0.1,0.2,0.3,0.4]}]}`.
    static let small = #"{"id":"1","inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[0.1,0.2,0.3,0.4]}]}"#

    /// The same request with shape [100,50] and 5000 random FP32 values, each printed in `Float`'s
    /// shortest form (e.g. `0.73412`), from a fixed seed so every run reads the same bytes.
    static func large(rows: Int = 100, columns: Int = 50) -> String {
        var state: UInt64 = 0x5EED
        var numbers: [String] = []
        numbers.reserveCapacity(rows * columns)
        for _ in 0..<(rows * columns) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let unit = Float(state >> 40) / Float(1 << 24)
            numbers.append((unit * 2 - 1).description)
        }
        let data = numbers.joined(separator: ",")
        return #"{"id":"1","inputs":[{"name":"x","shape":[\#(rows),\#(columns)],"datatype":"FP32","data":[\#(data)]}]}"#
    }
}
