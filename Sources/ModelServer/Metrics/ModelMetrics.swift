import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Per-model request counts and per-stage latency histograms (KServe's `request_<stage>_seconds`),
/// shared by every event loop's instance of the model: one short lock per inference, read at scrape time.
public final class ModelMetrics: Sendable {
    /// The timed stages of an inference, in MLRun's hook order.
    public enum Stage: Int, CaseIterable, Sendable {
        /// `preprocess` and `validate`.
        case preprocess
        /// `predict` or `explain`.
        case predict
        /// Building the response and `postprocess`.
        case postprocess

        /// The Prometheus label value.
        public var label: String {
            switch self {
            case .preprocess: "preprocess"
            case .predict: "predict"
            case .postprocess: "postprocess"
            }
        }
    }

    /// How an inference ended.
    public enum Outcome: Int, CaseIterable, Sendable {
        case success, clientError, serverError

        /// The Prometheus label value.
        public var label: String {
            switch self {
            case .success: "success"
            case .clientError: "client_error"
            case .serverError: "server_error"
            }
        }
    }

    /// Upper bounds of the histogram buckets, in seconds (the last bucket is +Inf).
    public static let bucketBounds: [Double] = [
        0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
    private static let boundsNanoseconds: [UInt64] = bucketBounds.map { UInt64($0 * 1e9) }

    /// Everything counted, under one lock taken once per inference.
    private struct Counts {
        var outcomes = [UInt64](repeating: 0, count: Outcome.allCases.count)
        /// Per stage: one counter per bucket plus +Inf.
        var buckets = [[UInt64]](
            repeating: [UInt64](repeating: 0, count: ModelMetrics.bucketBounds.count + 1), count: Stage.allCases.count)
        var sums = [UInt64](repeating: 0, count: Stage.allCases.count)
    }

    private let counts = Mutex(Counts())

    /// Zeroed metrics.
    public init() {}

    /// Nanoseconds of each stage an inference completed (`nil` for stages it did not reach).
    struct StageTimes {
        var preprocess: UInt64?
        var predict: UInt64?
        var postprocess: UInt64?
    }

    /// Counts one inference that ended with `outcome`, with the stages it completed.
    func record(_ outcome: Outcome, stages: StageTimes) {
        counts.withLock { counts in
            counts.outcomes[outcome.rawValue] &+= 1
            if let nanoseconds = stages.preprocess { Self.add(nanoseconds, to: .preprocess, in: &counts) }
            if let nanoseconds = stages.predict { Self.add(nanoseconds, to: .predict, in: &counts) }
            if let nanoseconds = stages.postprocess { Self.add(nanoseconds, to: .postprocess, in: &counts) }
        }
    }

    private static func add(_ nanoseconds: UInt64, to stage: Stage, in counts: inout Counts) {
        let slot = boundsNanoseconds.firstIndex { nanoseconds <= $0 } ?? boundsNanoseconds.count
        counts.buckets[stage.rawValue][slot] &+= 1
        counts.sums[stage.rawValue] &+= nanoseconds
    }

    /// Inferences that ended with `outcome`.
    public func count(_ outcome: Outcome) -> UInt64 { counts.withLock { $0.outcomes[outcome.rawValue] } }

    /// Cumulative bucket counts of `stage` (the last is +Inf), the sum in seconds and the count.
    public func histogram(_ stage: Stage) -> (cumulative: [UInt64], sumSeconds: Double, count: UInt64) {
        let (buckets, sum) = counts.withLock { ($0.buckets[stage.rawValue], $0.sums[stage.rawValue]) }
        var running: UInt64 = 0
        let cumulative = buckets.map { value in
            running += value
            return running
        }
        return (cumulative, Double(sum) / 1e9, running)
    }

    /// A monotonic clock reading in nanoseconds (vDSO, no system call).
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
