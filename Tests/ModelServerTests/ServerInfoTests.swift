import Testing
import ModelServer
struct ServerInfoTests { @Test func versionIsSemantic() { #expect(ServerInfo.version.split(separator: ".").count == 3) } }
