import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Per-step run counts, failures and latency histograms of one ``CompiledGraph``, plus the failures
/// of branches that do not respond.
///
/// Each compiled graph (one per event loop) owns its metrics; the walk collects the timings of one
/// event without synchronisation and folds them in under one uncontended lock per event. A scraper
/// on another thread reads a ``Snapshot`` and sums the snapshots of every loop's graph
/// (``Snapshot/merge(_:)``). Thread-safe.
public final class GraphMetrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds (a last +Inf bucket follows); the same as the
    /// model stage histograms, so step and model latencies line up.
    public static let bucketBounds: [Double] = [
        0.000_001, 0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005,
        0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
    private static let boundsNanoseconds: [UInt64] = bucketBounds.map { UInt64(($0 * 1e9).rounded()) }

    /// What one step (or error handler) has counted.
    public struct StepSnapshot: Sendable, Equatable {
        /// The step's name.
        public var name: String
        /// Runs, failed ones included.
        public var runs: UInt64 = 0
        /// Runs that threw.
        public var failures: UInt64 = 0
        /// Runs per latency bucket (not cumulative), one per ``GraphMetrics/bucketBounds`` plus +Inf.
        public var buckets = [UInt64](repeating: 0, count: GraphMetrics.bucketBounds.count + 1)
        /// Total time in the step, in nanoseconds.
        public var totalNanoseconds: UInt64 = 0
    }

    /// Everything counted so far.
    public struct Snapshot: Sendable, Equatable {
        /// One entry per step in walk order, then the error handlers.
        public var steps: [StepSnapshot]
        /// Failures on branches that do not lead to the response (logged, never answered).
        public var branchFailures: UInt64

        /// Adds the counts of `other` (another loop's instance of the same graph) step by step, by name.
        public mutating func merge(_ other: Snapshot) {
            branchFailures &+= other.branchFailures
            for step in other.steps {
                guard let i = steps.firstIndex(where: { $0.name == step.name }) else {
                    steps.append(step)
                    continue
                }
                steps[i].runs &+= step.runs
                steps[i].failures &+= step.failures
                steps[i].totalNanoseconds &+= step.totalNanoseconds
                for b in steps[i].buckets.indices { steps[i].buckets[b] &+= step.buckets[b] }
            }
        }
    }

    /// The timing of one step run within one event, collected by the walk.
    struct Sample {
        /// Index into ``stepNames``.
        var slot: Int
        var nanoseconds: UInt64
        var failed: Bool
    }

    /// Step names: walk order, then error handlers.
    public let stepNames: [String]
    private let counts: Mutex<Snapshot>

    /// Zeroed metrics for steps named `stepNames`.
    init(stepNames: [String]) {
        self.stepNames = stepNames
        counts = Mutex(Snapshot(steps: stepNames.map { StepSnapshot(name: $0) }, branchFailures: 0))
    }

    /// Folds in the samples of one event and its branch failures.
    func record(_ samples: [Sample], branchFailures: Int) {
        counts.withLock { counts in
            counts.branchFailures &+= UInt64(branchFailures)
            for sample in samples { Self.add(sample, to: &counts) }
        }
    }

    /// Folds in one sample (an event that ran one step).
    func record(_ sample: Sample) {
        counts.withLock { counts in Self.add(sample, to: &counts) }
    }

    private static func add(_ sample: Sample, to counts: inout Snapshot) {
        guard counts.steps.indices.contains(sample.slot) else { return }
        let bucket = Self.bucket(of: sample.nanoseconds)
        counts.steps[sample.slot].runs &+= 1
        if sample.failed { counts.steps[sample.slot].failures &+= 1 }
        counts.steps[sample.slot].buckets[bucket] &+= 1
        counts.steps[sample.slot].totalNanoseconds &+= sample.nanoseconds
    }

    /// A copy of everything counted so far.
    public func snapshot() -> Snapshot {
        counts.withLock { $0 }
    }

    /// The bucket index of a duration (the last index is +Inf).
    static func bucket(of nanoseconds: UInt64) -> Int {
        var low = 0
        var high = boundsNanoseconds.count
        while low < high {
            let mid = (low + high) / 2
            if nanoseconds <= boundsNanoseconds[mid] { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// A monotonic clock reading in nanoseconds (vDSO, no system call).
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
