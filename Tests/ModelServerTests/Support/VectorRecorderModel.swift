import ModelServer
import ServingGraph
import Synchronization

/// What a ``VectorRecorderModel`` saw: per request, in arrival order, the request's entity key, its time (epoch
/// milliseconds, from the body's `ts`) and the exact feature vector it received in `features`. Shared by the
/// model instances of every event loop.
final class VectorLog: Sendable {
    /// One request as the model saw it.
    struct Entry: Sendable {
        let key: String
        let time: Int64
        let features: ValueObject
    }

    private let storage = Mutex<[Entry]>([])

    /// Everything recorded so far, in arrival order.
    var entries: [Entry] { storage.withLock { $0 } }

    func append(_ entry: Entry) { storage.withLock { $0.append(entry) } }
}

/// A test model that records the vector an `EnrichWithFeatures` step put in the body's `features` object and
/// answers `{"seen": [1]}`; the request must carry `account` and `ts` (epoch milliseconds as an integer).
final class VectorRecorderModel: V2ModelServer {
    private let log: VectorLog

    init(name: String, classArgs: ValueObject, log: VectorLog) {
        self.log = log
        super.init(name: name, classArgs: classArgs)
    }

    override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        guard case .object(let features)? = request.body["features"], case .string(let key)? = request.body["account"],
            case .int(let time)? = request.body["ts_ms"]
        else { throw ServingError.invalidInput("expected account, ts_ms and a features object") }
        log.append(VectorLog.Entry(key: key, time: time, features: features))
        return [Tensor(name: "seen", shape: [1], doubles: [1])]
    }
}

extension StepRegistry {
    /// Makes `"class_name": "VectorRecorder"` record into `log`.
    mutating func registerVectorRecorder(_ log: VectorLog) {
        registerModel("VectorRecorder") { name, classArgs in
            VectorRecorderModel(name: name, classArgs: classArgs, log: log)
        }
    }
}
