import Testing

@testable import ModelServer

/// Ordered, case-insensitive header fields.
struct HTTPHeadersTests {
    @Test func looksUpNamesIgnoringCaseAndKeepsRepeatsInOrder() {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "a")
        headers.add(name: "accept", value: "b")
        #expect(headers["ACCEPT"] == "a")
        #expect(headers.values(for: "Accept") == ["a", "b"])
        #expect(headers["Accept-Encoding"] == nil)
    }

    @Test func replaceOrAddKeepsOneFieldAtTheFirstPosition() {
        var headers: HTTPHeaders = ["A": "1", "B": "2", "a": "3"]
        headers.replaceOrAdd(name: "a", value: "9")
        #expect(headers.map(\.name) == ["a", "B"])
        #expect(headers["A"] == "9")
        headers.replaceOrAdd(name: "C", value: "new")
        #expect(headers.map(\.value) == ["9", "2", "new"])
    }

    @Test func comparesOnlyLettersCaseInsensitively() {
        #expect(HTTPHeaders.equalsIgnoringCase("Content-Length", "content-length"))
        #expect(!HTTPHeaders.equalsIgnoringCase("a-b", "a\rb"))
        #expect(!HTTPHeaders.equalsIgnoringCase("@", "`"))
        #expect(!HTTPHeaders.equalsIgnoringCase("abc", "ab"))
    }
}
