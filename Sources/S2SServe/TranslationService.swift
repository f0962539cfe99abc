import Foundation

/// The service behind the HTTP layer: routes a request to its handler and answers.
///
/// | route | answer |
/// | --- | --- |
/// | `GET /` | the web page |
/// | `GET /health` | 200 while the process runs |
/// | `GET /ready` | 200 once every model is loaded, else 503 |
/// | `GET /metrics` | Prometheus text |
/// | `GET /v1/models` | the served models |
/// | `POST /v1/translate` | translations (see `TranslateRequest`, `TranslateReply`) |
package final class TranslationService: Sendable {
    package let configuration: ServeConfiguration
    let metrics = ServeMetrics()
    let batcher: TranslationBatcher

    package init(configuration: ServeConfiguration) {
        self.configuration = configuration
        batcher = TranslationBatcher(policy: configuration.batching, limits: configuration.limits, metrics: metrics)
    }

    /// Starts loading the configured models on the decoding thread (`/ready` answers 503 until
    /// they are loaded); `loaded` is called with nil once they are, or with the failure.
    package func loadModels(loaded: @escaping @Sendable (ServeStartError?) -> Void) {
        let entries = configuration.models
        batcher.start(load: { () throws(ServeStartError) -> ModelRegistry in try ModelRegistry(entries) }, loaded: loaded)
    }

    /// The reply to a request read off a connection (413 when its body passed the limit).
    package func reply(to request: RequestAssembler.Request) async -> HTTPReply {
        if request.tooLarge {
            return .error(.tooLarge("the request body is larger than \(configuration.limits.maxBodyBytes) bytes"))
        }
        return await respond(method: request.head.method.rawValue, uri: request.head.uri, body: request.body)
    }

    static let routes: [String: String] = [
        "/": "GET", "/health": "GET", "/ready": "GET", "/metrics": "GET", "/v1/models": "GET", "/v1/translate": "POST",
    ]

    /// The reply to `method path` with `body`; never throws, every failure is a JSON error.
    package func respond(method: String, uri: String, body: [UInt8]) async -> HTTPReply {
        let started = ContinuousClock.now
        let path = String(uri.prefix { $0 != "?" })
        let reply: HTTPReply
        do {
            reply = try await route(method: method, path: path, body: body)
        } catch {
            reply = .error(error)
        }
        let elapsed = ContinuousClock.now - started
        metrics.request(path: Self.routes[path] != nil ? path : "other", status: reply.status,
                        seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        return reply
    }

    private func route(method: String, path: String, body: [UInt8]) async throws(ServeError) -> HTTPReply {
        guard let allowed = Self.routes[path] else { throw .notFound("no such path: \(path.prefix(200))") }
        guard method == allowed || (method == "HEAD" && allowed == "GET") else {
            throw .methodNotAllowed("\(path) takes \(allowed), not \(method)")
        }
        switch path {
        case "/": return .text(WebPage.html, contentType: "text/html; charset=utf-8")
        case "/health": return .json(["status": "ok"])
        case "/ready":
            guard batcher.models != nil else { throw .unavailable("the models are still loading") }
            return .json(["status": "ready"])
        case "/metrics":
            return .text(metrics.render(queued: batcher.queueDepth, ready: batcher.models != nil),
                         contentType: "text/plain; version=0.0.4; charset=utf-8")
        case "/v1/models": return try models()
        default: return try await translate(body)
        }
    }

    private func models() throws(ServeError) -> HTTPReply {
        struct Listing: Encodable {
            struct Model: Encodable {
                let name: String
                let source: String
                let target: String
                let isDefault: Bool
                enum CodingKeys: String, CodingKey { case name, source, target, isDefault = "default" }
            }
            let models: [Model]
        }
        guard let registry = batcher.models else { throw .unavailable("the models are still loading") }
        return .json(Listing(models: registry.models.enumerated().map { i, m in
            .init(name: m.name, source: m.languages.source, target: m.languages.target, isDefault: i == 0)
        }))
    }

    private func translate(_ body: [UInt8]) async throws(ServeError) -> HTTPReply {
        let started = ContinuousClock.now
        let request = try TranslateRequest.parse(body, limits: configuration.limits)
        guard let registry = batcher.models else { throw .unavailable("the models are still loading; see GET /ready") }
        let model = try registry.model(named: request.model).name
        let results = try await batcher.translate(request.sentences, model: model, options: request.options)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return .json(TranslateReply(id: request.id, model: model, seconds: seconds, results: results,
                                    nBest: request.options.nBest))
    }
}
