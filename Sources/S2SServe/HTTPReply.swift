import Foundation

/// What the service answers to one request, before it is written as HTTP/1.1.
struct HTTPReply: Sendable {
    var status: Int
    var contentType: String
    var body: [UInt8]

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
}
