import Dispatch
import Foundation
import FuzzSupport
import NIOCore
import NIOEmbedded
import NIOHTTP1
import S2SServe

// The HTTP request handling of `s2s serve` on arbitrary bytes, two ways for every input, with a
// tiny real model loaded behind the service (valid requests are really translated):
//  1. the bytes as the body of `POST /v1/translate`: UTF-8 check, JSON decoding and validation,
//     model lookup, batching, the reply's encoding. The reply is 200 with translations or a
//     JSON error (400, 404, 413), never anything else.
//  2. the bytes as a client's stream on a connection: NIO's HTTP/1.1 decoder configured as the
//     server configures it (pipelining, protocol errors answered 400), our `RequestAssembler`
//     with a small body limit, the routes, and each reply encoded back through the pipeline.

/// The body limit of mode 2, small so that inputs reach the 413 path.
private let bodyLimit = 2048

nonisolated(unsafe) private var service: TranslationService?

/// The outcome of an async call, handed from its task to the waiting fuzzer thread.
private final class Slot: @unchecked Sendable {
    var reply: HTTPReply?
}

/// Runs `work` on the concurrency pool and waits for it (libFuzzer's callback is synchronous).
private func wait(_ work: @escaping @Sendable () async -> HTTPReply) -> HTTPReply {
    let slot = Slot()
    let done = DispatchSemaphore(value: 0)
    Task {
        slot.reply = await work()
        done.signal()
    }
    done.wait()
    guard let reply = slot.reply else { fatalError("fuzz harness: no reply") }
    return reply
}

/// The properties of every reply: a known status, and an error is `{"error": {"status", "message"}}`.
private func checkReply(_ reply: HTTPReply, allowed: Set<Int>, context: String) {
    FuzzSupport.check(allowed.contains(reply.status), "\(context): status \(reply.status): \(String(decoding: reply.body, as: UTF8.self).prefix(300))")
    let object = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
    if reply.contentType == "application/json" {
        FuzzSupport.check(object != nil, "\(context): the reply is not a JSON object")
    }
    if reply.status >= 400 {
        let error = object?["error"] as? [String: Any]
        FuzzSupport.check(error?["status"] as? Int == reply.status && error?["message"] is String,
                          "\(context): malformed error reply \(String(decoding: reply.body, as: UTF8.self).prefix(300))")
    }
}

/// Mode 1: the input as a translate request's body.
private func fuzzBody(_ service: TranslationService, _ body: [UInt8]) {
    let reply = wait { await service.respond(method: "POST", uri: "/v1/translate", body: body) }
    checkReply(reply, allowed: [200, 400, 404, 413], context: "POST /v1/translate")
    if reply.status == 200 {
        let object = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
        FuzzSupport.check((object?["translations"] as? [Any])?.isEmpty == false, "200 without translations")
    }
}

/// Mode 2: the input as the bytes a client sends on one connection.
private func fuzzConnection(_ service: TranslationService, _ bytes: [UInt8]) {
    let channel = EmbeddedChannel()
    defer { _ = try? channel.finish() }
    do {
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
    } catch {
        fatalError("fuzz harness: cannot configure the pipeline: \(error)")
    }
    // A malformed stream is an error NIO's handler answers with 400 and a close; it surfaces here.
    _ = try? channel.writeInbound(ByteBuffer(bytes: bytes))
    var requests = RequestAssembler(bodyLimit: bodyLimit)
    var answered = 0
    while channel.isActive, let part = try? channel.readInbound(as: HTTPServerRequestPart.self) {
        guard let request = requests.take(part) else { continue }
        let reply = wait { await service.reply(to: request) }
        checkReply(reply, allowed: [200, 400, 404, 405, 413], context: "\(request.head.method) \(request.head.uri.prefix(100))")
        answered += 1
        // Writing the end lets the pipelining handler pass on the next request it held back.
        _ = try? channel.writeOutbound(HTTPServerResponsePart.head(reply.responseHead(for: request)))
        if request.head.method != .HEAD {
            _ = try? channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: reply.body))))
        }
        _ = try? channel.writeOutbound(HTTPServerResponsePart.end(nil))
        if !request.keepAlive { break }
    }
    // Whatever went out is HTTP responses, one per answered request (plus NIO's own 400).
    var written: [UInt8] = []
    while let data = try? channel.readOutbound(as: IOData.self) {
        if case .byteBuffer(var b) = data { written += b.readBytes(length: b.readableBytes) ?? [] }
    }
    let text = String(decoding: written, as: UTF8.self)
    FuzzSupport.check(answered == 0 || text.hasPrefix("HTTP/"), "the output does not start with a status line: \(text.prefix(200))")
    let statusLines = text.components(separatedBy: "\r\n").filter { $0.hasPrefix("HTTP/") && $0.split(separator: " ").count >= 2 }
    FuzzSupport.check(statusLines.count >= answered, "\(answered) requests answered, \(statusLines.count) status lines written")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServe(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let service else { fatalError("fuzz harness: the service is not set up") }
    let bytes = Array(FuzzSupport.buffer(data, size))
    fuzzBody(service, bytes)
    fuzzConnection(service, bytes)
    return 0
}

/// Seeds: request bodies (mode 1) and connection streams (mode 2).
private func seeds() -> [String: [UInt8]] {
    func http(_ method: String, _ path: String, _ body: String = "", headers: String = "") -> String {
        "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n\(headers)" + (body.isEmpty ? "" : "Content-Length: \(body.utf8.count)\r\n") + "\r\n" + body
    }
    let translate = #"{"src": ["A man is riding a bike.", "Two dogs play."], "beam": 3, "n_best": 2, "alpha": 0.6, "attention": true, "id": "r1", "model": "tiny"}"#
    var seeds: [String: [UInt8]] = [
        "body-minimal.json": Array(#"{"src": ["A dog runs."]}"#.utf8),
        "body-full.json": Array(translate.utf8),
        "body-unknown-field.json": Array(#"{"src": ["A dog."], "beams": 2}"#.utf8),
        "body-wrong-type.json": Array(#"{"src": "A dog.", "beam": "5"}"#.utf8),
        "body-path-model.json": Array(#"{"src": ["A dog."], "model": "../etc"}"#.utf8),
        "body-unknown-model.json": Array(#"{"src": ["A dog."], "model": "other"}"#.utf8),
        "body-escapes.json": Array(#"{"src": ["\u00e9t\u00e9 \ud83d\ude00", "  "], "alpha": 1e309}"#.utf8),
        "body-invalid-utf8.json": Array(#"{"src": [""#.utf8) + [0xff, 0xfe] + Array(#""]}"#.utf8),
        "http-get-health": Array(http("GET", "/health").utf8),
        "http-pipelined": Array((http("GET", "/ready") + http("GET", "/v1/models") + http("HEAD", "/metrics")).utf8),
        "http-translate": Array(http("POST", "/v1/translate?x=1", translate, headers: "Content-Type: application/json\r\n").utf8),
        "http-chunked": Array(("POST /v1/translate HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                               + "e\r\n{\"src\": [\"A d\r\n9\r\nog runs\"]}\r\n0\r\n\r\n").utf8),
        "http-close": Array(http("GET", "/nowhere", headers: "Connection: close\r\n").utf8),
        "http-wrong-method": Array(http("DELETE", "/v1/translate").utf8),
        "http-10": Array("GET /health HTTP/1.0\r\n\r\n".utf8),
        "http-malformed": Array("GET / HTTP/1.1\r\nHost a\r\n\r\n".utf8),
    ]
    seeds["http-too-large"] = Array(http("POST", "/v1/translate", String(repeating: "x", count: bodyLimit + 10)).utf8)
    return seeds
}

@_cdecl("FuzzServe_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var configuration = ServeConfiguration()
    configuration.models = [.init(name: "tiny", directory: FuzzSupport.modelDirectory)]
    configuration.batching.window = .zero
    let loading = DispatchSemaphore(value: 0)
    let ready = TranslationService(configuration: configuration)
    ready.loadModels { error in
        if let error { fatalError("fuzz harness: the tiny model does not load: \(error)") }
        loading.signal()
    }
    loading.wait()
    service = ready
    FuzzSupport.writeSeeds(seeds())
    return FuzzSupport.main(argc, argv, fuzzServe)
}
