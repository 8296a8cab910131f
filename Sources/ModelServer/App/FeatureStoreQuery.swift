import FeatureEnrich

/// The query parameters of the entity read endpoint: `at` (epoch milliseconds or an ISO 8601 time) and
/// `features` (comma-separated names). Unknown parameters are refused so a typo never passes silently.
struct FeatureStoreQuery {
    /// Read time in epoch milliseconds; nil = now.
    var at: Int64?
    /// Requested columns, in order; nil = all.
    var features: [String]?

    /// Parses `query` (the request-target after `?`).
    init(_ query: String?) throws {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.percentDecoded(parts[0])
            let value = parts.count > 1 ? try Self.percentDecoded(parts[1]) : ""
            switch name {
            case "at":
                if let milliseconds = Int64(value) {
                    at = milliseconds
                } else {
                    do {
                        at = try TimestampParser.epochMilliseconds(value)
                    } catch {
                        throw FeatureStoreRequestError.badQuery(parameter: "at", reason: error.description)
                    }
                }
            case "features":
                features = value.split(separator: ",").map(String.init)
            default:
                throw FeatureStoreRequestError.badQuery(parameter: name, reason: "unknown parameter")
            }
        }
    }

    /// `text` with `%XX` escapes decoded (and `+` kept as is: this is a path or query of our own API).
    static func percentDecoded(_ text: Substring) throws -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw FeatureStoreRequestError.badEscape(text: String(text))
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Why a feature-store request is refused before reaching the store.
enum FeatureStoreRequestError: Error, Equatable, CustomStringConvertible {
    /// The entity was never ingested into the feature set.
    case entityNotFound(featureSet: String, key: String)
    /// A query parameter is unknown or has a bad value.
    case badQuery(parameter: String, reason: String)
    /// A `%` escape in the path or query is not followed by two hex digits.
    case badEscape(text: String)
    /// The route matched without its captures (a routing bug).
    case badPath

    var description: String {
        switch self {
        case .entityNotFound(let featureSet, let key): "entity '\(key)' not found in feature set '\(featureSet)'"
        case .badQuery(let parameter, let reason): "query parameter '\(parameter)': \(reason)"
        case .badEscape(let text): "bad percent escape in '\(text)'"
        case .badPath: "malformed feature-store path"
        }
    }
}
