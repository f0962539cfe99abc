import NIOHTTP1

/// Gathers the parts NIO's HTTP/1.1 decoder yields on one connection (head, body chunks, end)
/// into whole requests, holding at most `bodyLimit` bytes of a body: past the limit the rest is
/// read and dropped, so that a 413 can still be answered on the connection. The server and the
/// HTTP fuzz target (Fuzz/Sources/FuzzServe) both go through it.
package struct RequestAssembler {
    /// One request as read: its head, its body, and whether the body passed the limit.
    package struct Request {
        package let head: HTTPRequestHead
        package let body: [UInt8]
        package let tooLarge: Bool

        /// Whether the connection stays open after the reply (never after a 413: the client
        /// may still be sending a body nobody will read).
        package var keepAlive: Bool { head.isKeepAlive && !tooLarge }
    }

    package let bodyLimit: Int
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    package init(bodyLimit: Int) {
        self.bodyLimit = bodyLimit
    }

    /// Takes the next part; returns the request it completes, if any.
    package mutating func take(_ part: HTTPServerRequestPart) -> Request? {
        switch part {
        case .head(let h):
            head = h
            body.removeAll(keepingCapacity: true)
            tooLarge = false
            return nil
        case .body(var buffer):
            if tooLarge || body.count + buffer.readableBytes > bodyLimit {
                tooLarge = true
                body.removeAll()
            } else {
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            }
            return nil
        case .end:
            guard let h = head else { return nil }
            head = nil
            return Request(head: h, body: tooLarge ? [] : body, tooLarge: tooLarge)
        }
    }
}
