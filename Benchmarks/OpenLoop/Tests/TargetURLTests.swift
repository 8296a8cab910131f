import Testing

@testable import OpenLoop

struct TargetURLTests {
    @Test func parsesHostPortAndPath() throws {
        let url = try TargetURL(parsing: "http://127.0.0.1:8080/v2/health/live?x=1")
        #expect(url.host == "127.0.0.1")
        #expect(url.address == 0x7F00_0001)
        #expect(url.port == 8080)
        #expect(url.path == "/v2/health/live?x=1")
    }

    @Test func defaultsToPort80AndRootPath() throws {
        let url = try TargetURL(parsing: "http://localhost")
        #expect(url.port == 80)
        #expect(url.path == "/")
        #expect(url.address == 0x7F00_0001)
    }

    @Test func acceptsAnyAddressInTheLoopbackNetwork() throws {
        #expect(try TargetURL(parsing: "http://127.1.2.3:9/").address == 0x7F01_0203)
    }

    @Test(arguments: ["10.0.0.1", "example.com", "127.0.0.1.example.com", "0.0.0.0", "128.0.0.1", "::1"])
    func refusesHostsOutsideLoopback(host: String) {
        #expect(throws: OpenLoopError.nonLoopbackHost(host)) {
            try TargetURL(parsing: "http://\(host):80/")
        }
    }

    @Test(arguments: [
        "https://127.0.0.1/", "127.0.0.1:80/", "http://127.0.0.1:0/", "http://127.0.0.1:99999/", "http://:80/",
    ])
    func rejectsURLsItCannotLoad(text: String) {
        #expect(throws: OpenLoopError.self) { try TargetURL(parsing: text) }
    }
}
