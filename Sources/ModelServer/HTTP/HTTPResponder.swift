/// What a responder returns: a response now, or a completion that another thread fulfils later.
package enum HTTPResponderResult {
    /// The response, written as soon as earlier responses on the connection are out.
    case response(HTTPResponse)
    /// A response that completes later; the loop writes it, in request order, when `complete` is called.
    case pending(HTTPPendingResponse)
}

/// The application side of the server: turns one request into one response.
///
/// Loop-confined: the server builds one instance per event loop, on that loop's thread, from the
/// factory given to `HTTPServer.init`, and calls it only from that thread, so it needs no locks.
/// `respond` must not block: work that waits returns `.pending` and completes from another thread.
package protocol HTTPResponder: AnyObject {
    /// Answers `request`; called once per request in arrival order on the connection.
    func respond(to request: HTTPRequest) -> HTTPResponderResult
}
