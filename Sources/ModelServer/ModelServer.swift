/// The server's identity, reported by `GET /v2`.
public enum ServerInfo {
    /// Name reported in server metadata.
    public static let name = "swift-serving"
    /// Version reported in server metadata and `serve --version`.
    public static let version = "0.1.0"
}
