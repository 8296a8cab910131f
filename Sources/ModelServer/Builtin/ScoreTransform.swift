#if canImport(Glibc)
    import Glibc
#endif

/// The output transforms the built-in models share on row-major scores (`width` scores per row):
/// the logistic sigmoid, a per-row softmax and the per-row index of the largest score.
enum ScoreTransform {
    /// Replaces every score s by 1 / (1 + e^-s).
    static func sigmoid(_ scores: inout [Double]) {
        for i in scores.indices { scores[i] = 1 / (1 + exp(-scores[i])) }
    }

    /// Replaces each row of `width` scores by its softmax (shifted by the row's maximum for stability).
    static func softmax(_ scores: inout [Double], rows: Int, width: Int) {
        for r in 0..<rows { softmax(&scores[(r * width)..<((r + 1) * width)]) }
    }

    /// The index within its row (0..<width) of row `r`'s largest score; the first one on ties.
    static func argmax(_ scores: [Double], row r: Int, width: Int) -> Int {
        let row = scores[(r * width)..<((r + 1) * width)]
        return (row.indices.max { row[$0] < row[$1] } ?? row.startIndex) - r * width
    }

    private static func softmax(_ row: inout ArraySlice<Double>) {
        let top = row.max() ?? 0
        var total = 0.0
        for i in row.indices {
            row[i] = exp(row[i] - top)
            total += row[i]
        }
        for i in row.indices { row[i] /= total }
    }
}
