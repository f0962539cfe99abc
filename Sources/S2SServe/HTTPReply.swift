import Foundation
import NIOHTTP1

/// What the service answers to one request, before it is written as HTTP/1.1.
package struct HTTPReply: Sendable {
    package var status: Int
    package var contentType: String
    package var body: [UInt8]

    init(status: Int = 200, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    static func text(_ s: String, contentType: String = "text/plain; charset=utf-8") -> HTTPReply {
        HTTPReply(contentType: contentType, body: Array(s.utf8))
    }

    static func json<T: Encodable>(_ value: T, status: Int = 200) -> HTTPReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        do {
            return HTTPReply(status: status, contentType: "application/json", body: Array(try encoder.encode(value)))
        } catch {
            return Self.error(ServeError(status: 500, "cannot encode the reply: \(error)"))
        }
    }

    /// `{"error": {"status": 404, "message": "…"}}`.
    static func error(_ e: ServeError) -> HTTPReply {
        struct Body: Encodable {
            struct Inner: Encodable { let status: Int; let message: String }
            let error: Inner
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(Body(error: .init(status: e.status, message: e.message)))) ?? Data("{}".utf8)
        return HTTPReply(status: e.status, contentType: "application/json", body: Array(data))
    }

    /// The response head for `request`: its HTTP version, this status, type, length, and
    /// whether the connection stays open.
    package func responseHead(for request: RequestAssembler.Request) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(body.count))
        headers.add(name: "connection", value: request.keepAlive ? "keep-alive" : "close")
        return HTTPResponseHead(version: request.head.version, status: .init(statusCode: status), headers: headers)
    }
}
