import ModelServer
import Testing

struct ServerInfoTests {
    @Test func versionIsSemantic() { #expect(ServerInfo.version.split(separator: ".").count == 3) }
}
