import ModelServer
import ServingGraph

/// A user model: flags rows whose sum exceeds `class_args.threshold`. Compiled by `swift test`.
final class ThresholdModel: V2ModelServer {
    override var inputs: [TensorMetadata] { [TensorMetadata(name: "x", datatype: .fp64, shape: [-1, -1])] }
    override var outputs: [TensorMetadata] { [TensorMetadata(name: "flag", datatype: .int64, shape: [-1])] }

    /// Runs once per server; every event loop's instance shares what it returns.
    override func load() throws -> (any Sendable)? {
        classArgs["threshold"]?.doubleValue ?? 0.5
    }

    override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        let threshold = try loadedModel(as: Double.self)
        let x = try request.input("x")
        let values = try x.doubles()
        let flags = (0..<x.rows).map { row in
            values[(row * x.columns)..<((row + 1) * x.columns)].reduce(0, +) > threshold ? Int64(1) : 0
        }
        return [Tensor(name: "flag", shape: [x.rows], integers: flags)]
    }
}

extension StepRegistry {
    /// Makes `"class_name": "ThresholdModel"` usable in graph files.
    mutating func registerThresholdModel() {
        registerModel("ThresholdModel") { name, classArgs in ThresholdModel(name: name, classArgs: classArgs) }
    }
}
