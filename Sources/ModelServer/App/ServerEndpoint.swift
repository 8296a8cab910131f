/// Every endpoint the server answers; the router maps method + path to one of these.
enum ServerEndpoint: Sendable {
    case healthLive
    case healthReady
    case serverMetadata

    /// The route table of the server (DESIGN.md, "HTTP surface").
    static func makeRouter() -> Router<ServerEndpoint> {
        var router = Router<ServerEndpoint>()
        router.add(.get, "/v2/health/live", .healthLive)
        router.add(.get, "/v2/health/ready", .healthReady)
        router.add(.get, "/v2", .serverMetadata)
        return router
    }
}
