import ServingGraph

/// Reads and checks a declared shape: integers, none negative, and an element count within the
/// limit, computed with overflow checks so a huge shape is refused before any allocation.
enum TensorShape {
    /// The dimensions of `value` (at `path`) for input `input`, and their element count.
    static func read(
        _ value: Value?, input: String, path: String, limits: InferenceLimits
    ) throws(InferenceProtocolError) -> (shape: [Int], count: Int) {
        guard let array = value?.arrayValue else {
            throw .invalidField(path: "\(path).shape", reason: "expected an array of integers")
        }
        guard array.count <= limits.maxRank else {
            throw .invalidField(path: "\(path).shape", reason: "more than \(limits.maxRank) dimensions")
        }
        var raw: [Int64] = []
        raw.reserveCapacity(array.count)
        for element in array {
            guard case .int(let dimension) = element else {
                throw .invalidField(path: "\(path).shape", reason: "expected an array of integers")
            }
            raw.append(dimension)
        }
        if raw.contains(where: { $0 < 0 }) { throw .negativeDimension(input: input, shape: raw) }
        var count = 1
        for dimension in raw {
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(dimension))
            guard !overflow, product <= limits.maxTensorElements else {
                throw .tooManyElements(input: input, shape: raw, limit: limits.maxTensorElements)
            }
            count = product
        }
        return (raw.map { Int($0) }, count)
    }
}
