import ArgumentParser
import Foundation
import S2SBundle
import S2SModel
import S2SNumerics
import S2SServe

/// `s2s serve` (this binary, `s2s-serve`; `s2s serve …` runs it): the translation service.
/// Prints `listening on http://HOST:PORT` on stdout once bound; logs go to stderr. SIGTERM or
/// SIGINT stop it gracefully: no new connections, requests in flight answered, exit 0.
@main
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s2s serve",
        abstract: "Serve translations over HTTP (JSON API, web page, health and metrics).",
        discussion: """
            Endpoints: POST /v1/translate {"src": [...], "model", "beam", "n_best", "alpha", "attention", "id"}, \
            GET /v1/models, /health, /ready, /metrics (Prometheus text), / (web page). Sentences of concurrent \
            requests with the same model and options are decoded together (see --batch-window-ms). Only the \
            models given with --model are ever loaded.
            """
    )

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp("A model to serve: NAME=DIR, a directory, or a name on the model search path (repeatable; the first is the default).",
                               valueName: "[name=]model"))
    var model: [String] = []
    @Option(name: .long, help: "Address to listen on (loopback unless told otherwise).") var host = "127.0.0.1"
    @Option(name: .long, help: "Port (0 = any free port, printed on start).") var port = 8080
    @Option(name: .customLong("batch-window-ms"), help: "How long a request waits for others to share its batch.")
    var batchWindowMs = 5
    @Option(name: .customLong("token-budget"), help: "Estimated source tokens that close a batch early.") var tokenBudget = 2048
    @Flag(name: .customLong("no-batching"), help: "Decode every request alone (for comparison).") var noBatching = false
    @Option(name: .customLong("batch-size"), help: "Sentences per decoder batch within a gathered call.") var batchSize = 32
    @Option(name: .customLong("max-queue"), help: "Sentences that may wait; beyond them requests get 429.") var maxQueue = 1024
    @Option(name: .customLong("max-sentences"), help: "Sentences per request (beyond: 413).") var maxSentences = 64
    @Option(name: .customLong("max-sentence-bytes"), help: "Bytes per sentence (beyond: 413).") var maxSentenceBytes = 4096
    @Option(name: .long, help: "Seconds a request may take before it gets 503.") var timeout = 30.0
    @Option(name: .long, help: "Engine threads for decoding (0 = the engine default).") var threads = 0

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0 to 65535, got \(port)") }
        if batchWindowMs < 0 || tokenBudget < 1 || batchSize < 1 || maxQueue < 1 || maxSentences < 1 || maxSentenceBytes < 1 {
            throw ValidationError("batching and limit options must be positive")
        }
        if !(timeout > 0) { throw ValidationError("--timeout must be positive, got \(timeout)") }
        if threads < 0 { throw ValidationError("--threads must be 0 or positive, got \(threads)") }
    }

    func run() async throws {
        var config = ServeConfiguration()
        config.host = host
        config.port = port
        config.models = try modelEntries()
        config.batching.enabled = !noBatching
        config.batching.window = .milliseconds(batchWindowMs)
        config.batching.tokenBudget = tokenBudget
        config.batching.decoderBatchSize = batchSize
        config.limits.maxQueuedSentences = maxQueue
        config.limits.maxSentences = maxSentences
        config.limits.maxSentenceBytes = maxSentenceBytes
        config.limits.maxBodyBytes = max(1 << 20, maxSentences * maxSentenceBytes * 2 + 4096)
        config.limits.timeoutSeconds = timeout
        if threads > 0 { EngineThreads.set(threads) }

        let failed = LoadFailure()
        let summary = config.models.map { "\($0.name) from \($0.directory)" }.joined(separator: ", ")
        let server: TranslationServer
        do {
            server = try await TranslationServer.start(config) { error in
                if let error {
                    log("s2s serve: \(error.description)")
                    failed.set()
                } else {
                    log("s2s serve: ready (\(summary))")
                }
            }
        } catch {
            throw ExitFailure(error.description)
        }
        failed.onSet { server.shutdown() }
        // Unbuffered, so a script waiting for the port sees it at once.
        FileHandle.standardOutput.write(Data("listening on http://\(host.contains(":") ? "[\(host)]" : host):\(server.port)\n".utf8))
        let signals = ShutdownSignals { signal in
            log("s2s serve: \(signal), finishing the requests in flight")
            server.shutdown()
        }
        await server.wait()
        signals.cancel()
        if failed.isSet { throw ExitCode(1) }
        log("s2s serve: stopped")
    }

    /// `--model` arguments as named directories; names must be plain and distinct.
    func modelEntries() throws -> [ServeConfiguration.ModelEntry] {
        let search = ModelSearchPath.current()
        var entries: [ServeConfiguration.ModelEntry] = []
        for argument in model.isEmpty ? [ModelSearchPath.defaultName] : model {
            var name: String?
            var location = argument
            if let eq = argument.firstIndex(of: "="), !argument[..<eq].contains("/") {
                name = String(argument[..<eq])
                location = String(argument[argument.index(after: eq)...])
            }
            let directory: String
            do {
                directory = try search.resolve(location)
            } catch {
                throw ExitFailure("s2s serve: --model \(argument): \(error.description)")
            }
            let served = name ?? URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
            guard ModelName.isValid(served) else {
                throw ExitFailure("s2s serve: --model \(argument): '\(served)' is not a plain model name (letters, digits, '-', '_', '.'); give NAME=DIR")
            }
            guard !entries.contains(where: { $0.name == served }) else {
                throw ExitFailure("s2s serve: --model \(argument): the name '\(served)' is given twice; give NAME=DIR")
            }
            entries.append(.init(name: served, directory: directory))
        }
        return entries
    }
}

/// A one-line error (ArgumentParser prints "Error: …" and exits 1).
struct ExitFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func log(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
