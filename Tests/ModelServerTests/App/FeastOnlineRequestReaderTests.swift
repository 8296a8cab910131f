import Testing

@testable import ModelServer
@testable import ServingGraph

/// The bytes-to-request reader of `/get-online-features`: it decodes the common shape exactly as the general
/// path (``JSONParser`` then ``FeastOnlineRequest/init(_:featureServices:)``) does, and declines everything else.
struct FeastOnlineRequestReaderTests {
    private static let services = ["svc": ["customer_stats:country"]]

    private func read(_ body: String, plans: FeastReadPlanCache = FeastReadPlanCache()) -> FeastOnlineRequest? {
        FeastOnlineRequestReader.read(Array(body.utf8), featureServices: Self.services, plans: plans)
    }

    private func general(_ body: String) throws -> FeastOnlineRequest {
        try FeastOnlineRequest(try JSONParser.parse(body), featureServices: Self.services)
    }

    /// The references a request's features name (the service's name for a service).
    private func references(_ request: FeastOnlineRequest) throws -> [String] {
        switch request.features {
        case .service(let name): ["service:\(name)"]
        case .features(let text): try text.references()
        }
    }

    @Test(arguments: [
        #"{"features": ["customer_stats:amount_avg_1d", "customer_stats:country"], "entities": {"customer_id": [42]}}"#,
        #"{"entities":{"customer_id":[1,"2",3.0,-4]},"features":["a:b"],"full_feature_names":true}"#,
        #" { "features" : [ ] , "entities" : { } , "full_feature_names" : 1 } "#,
        #"{"feature_service": "svc", "entities": {"customer_id": [5], "account": ["x"]}, "other": {"a": [1, {}]}}"#,
        #"{"feature_service": null, "features": ["a:\u0062"], "entities": {"k": [null, true, [1], {"x": 2}]}}"#,
        #"{"features": ["v:é"], "entities": {"k": []}, "full_feature_names": null}"#,
    ])
    func decodesTheCommonShapeAsTheGeneralPathDoes(_ body: String) throws {
        let fast = try #require(read(body))
        let slow = try general(body)
        #expect(try references(fast) == references(slow))
        #expect(fast.entities.map(\.name) == slow.entities.map(\.name))
        #expect(fast.entities.map(\.values) == slow.entities.map(\.values))
        #expect(fast.fullNames == slow.fullNames)
        #expect(fast.rowCount == slow.rowCount)
    }

    @Test(arguments: [
        "", "null", "[]", "{}", "{", #"{"features": ["a:b"], "entities": {"k": [1]}} x"#,
        "\u{FEFF}" + #"{"features": ["a:b"], "entities": {"k": [1]}}"#,
        #"{"features": ["a:b"], "features": ["a:b"], "entities": {"k": [1]}}"#,
        #"{"features": ["a:b"], "entities": {"k": [1], "k": [2]}}"#,
        #"{"features": ["a:b"], "entities": {"k": [1, 2], "j": [1]}}"#,
        #"{"features": ["a:b", 1], "entities": {"k": [1]}}"#,
        #"{"features": "a:b", "entities": {"k": [1]}}"#,
        #"{"feature_service": "nope", "entities": {"k": [1]}}"#,
        #"{"feature_service": 5, "entities": {"k": [1]}}"#,
        #"{"feature_service": "svc", "features": 5, "entities": {"k": [1]}}"#,
        #"{"features": ["a:b"]}"#, #"{"entities": {"k": [1]}}"#,
        #"{"features": ["a:b"], "entities": [1]}"#, #"{"features": ["a:b"], "entities": {"k": 1}}"#,
        #"{"features": ["a:b"], "entities": {"k": [01]}}"#,
    ])
    func declinesEveryOtherBodyForTheGeneralPath(_ body: String) {
        #expect(read(body) == nil)
    }
}
