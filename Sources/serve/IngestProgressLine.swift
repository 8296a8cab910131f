import FeatureEnrich

#if canImport(Glibc)
    import Glibc
#endif

/// The progress line of `serve ingest` on a terminal: rows, rows/s and ETA, redrawn in place on stderr.
/// Called from the store-writer thread; holds only immutable state.
final class IngestProgressLine: Sendable {
    private let started: Double

    /// A line for an ingestion that began at `started` (``now()`` seconds).
    init(started: Double) {
        self.started = started
    }

    /// Redraws the line for `progress`.
    func show(_ progress: BatchIngestProgress) {
        let elapsed = max(1e-9, Self.now() - started)
        let rate = Double(progress.rows) / elapsed
        let remaining = max(0, progress.estimatedRows - progress.rows)
        let eta = rate > 0 ? Int(Double(remaining) / rate) : 0
        writeStandardError(
            "\r\u{1B}[K\(progress.rows)/\(progress.estimatedRows) rows, \(Int(rate)) rows/s, ETA \(eta) s")
    }

    /// Ends the line.
    func finish() {
        writeStandardError("\r\u{1B}[K")
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private func writeStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
