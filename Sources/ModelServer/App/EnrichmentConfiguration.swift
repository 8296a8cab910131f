import FeatureEnrich
import Foundation
import ServingGraph

/// The feature sections of a service file, decoded at start-up before any port is bound:
///
/// ```json
/// {"graph": {...},                                     // optional when the file only serves features
///  "feature_sets": ["customer_stats.json", {...}],     // paths (relative to the file) or inline definitions
///  "feature_vectors": ["vector.json", {...}],          // FeatureVectorDefinition JSON, or paths to it
///  "feature_services": [{"name": "customer_stats_v1", "features": ["customer_stats:amount_avg_1d"]}],
///  "push_sources": [{"name": "customer_push", "feature_set": "customer_stats"}]}
/// ```
struct EnrichmentConfiguration: Sendable {
    /// Feature-set definitions declared by the file.
    var featureSets: [FeatureSetDefinition] = []
    /// Feature-vector definitions (resolved once the store's sets are known).
    var featureVectors: [FeatureVectorDefinition] = []
    /// Feast feature services: name → `view:feature` references.
    var featureServices: [String: [String]] = [:]
    /// Feast push sources: name → feature set.
    var pushSources: [String: String] = [:]
    /// False when the file has feature sections but no `graph` (then only the feature endpoints are served).
    var servesGraph = true

    /// Nothing declared.
    init() {}

    /// Reads the sections of the service file at `path` (an absent section is empty).
    init(serviceFile path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ApplicationError.unreadableGraph(path: path, reason: error.localizedDescription)
        }
        guard let root = (try? JSONParser.parse(text))?.objectValue else { return }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func resolved(_ file: String) -> String { file.hasPrefix("/") ? file : "\(directory)/\(file)" }
        servesGraph = root["graph"] != nil || root["spec"] != nil || root["kind"] != nil
        for (index, item) in (root["feature_sets"]?.arrayValue ?? []).enumerated() {
            do {
                if case .string(let file) = item {
                    featureSets.append(try FeatureSetDefinition(contentsOfFile: resolved(file)))
                } else {
                    featureSets.append(try FeatureSetDefinition(json: item))
                }
            } catch {
                throw EnrichmentConfigurationError.invalid(path: "\(path): feature_sets[\(index)]", reason: "\(error)")
            }
        }
        for (index, item) in (root["feature_vectors"]?.arrayValue ?? []).enumerated() {
            if case .string(let file) = item {
                featureVectors.append(try FeatureVectorDefinition(contentsOfFile: resolved(file)))
            } else {
                featureVectors.append(try FeatureVectorDefinition(json: item, path: "feature_vectors[\(index)]"))
            }
        }
        for (index, item) in (root["feature_services"]?.arrayValue ?? []).enumerated() {
            guard let name = item["name"]?.stringValue, let features = item["features"]?.arrayValue else {
                throw EnrichmentConfigurationError.invalid(
                    path: "\(path): feature_services[\(index)]", reason: "expected {\"name\", \"features\": [...]}")
            }
            featureServices[name] = features.compactMap(\.stringValue)
        }
        for (index, item) in (root["push_sources"]?.arrayValue ?? []).enumerated() {
            guard let name = item["name"]?.stringValue, let set = item["feature_set"]?.stringValue else {
                throw EnrichmentConfigurationError.invalid(
                    path: "\(path): push_sources[\(index)]", reason: "expected {\"name\", \"feature_set\"}")
            }
            pushSources[name] = set
        }
    }
}

/// Why the feature sections of a service file cannot be loaded.
enum EnrichmentConfigurationError: Error, CustomStringConvertible {
    /// A section entry is malformed; `path` names the file and entry.
    case invalid(path: String, reason: String)

    var description: String {
        switch self {
        case .invalid(let path, let reason): "\(path): \(reason)"
        }
    }
}
