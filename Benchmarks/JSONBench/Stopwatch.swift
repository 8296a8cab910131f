#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times a closure on the monotonic clock: warm-up, then the median of several timed batches.
struct Stopwatch {
    /// Timed batches per measurement; the median is reported.
    var batches = 9
    /// Target wall time of one batch, in nanoseconds.
    var batchNanoseconds: UInt64 = 30_000_000

    /// Monotonic nanoseconds (`CLOCK_MONOTONIC`).
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Median microseconds per call of `body`.
    func microsecondsPerOperation(_ body: () -> Int) -> Double {
        // Warm up and size a batch so it lasts about `batchNanoseconds`.
        var iterations = 1
        while true {
            let start = Self.now()
            for _ in 0..<iterations { sink(body()) }
            let elapsed = Self.now() - start
            if elapsed >= batchNanoseconds / 4 {
                iterations = max(1, Int(Double(iterations) * Double(batchNanoseconds) / Double(max(elapsed, 1))))
                break
            }
            iterations *= 2
        }
        var samples: [Double] = []
        for _ in 0..<batches {
            let start = Self.now()
            for _ in 0..<iterations { sink(body()) }
            samples.append(Double(Self.now() - start) / Double(iterations) / 1000)
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}

/// Keeps results alive so the optimiser cannot drop the measured work.
nonisolated(unsafe) var sinkTotal = 0

@inline(never)
func sink(_ value: Int) {
    sinkTotal &+= value
}
