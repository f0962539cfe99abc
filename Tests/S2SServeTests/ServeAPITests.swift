import Foundation
import S2SCommandSupport
import Testing

/// Every endpoint of `s2s serve` and every error status, over real HTTP to the built binary.
@Suite(.serialized, .enabled(if: ServerProcess.isBuilt, "needs the built s2s and s2s-serve (swift build)"))
struct ServeAPITests {
    @Test func endpointsAnswerAndTranslationsEqualTheCommandLine() throws {
        let server = try ServerProcess(["--model", ServerProcess.shippedModel, "--model", "second=\(ServerProcess.shippedModel)"])
        let port = server.port

        let health = try LoopbackHTTP.get(port, "/health")
        #expect(health.status == 200 && health.json?["status"] as? String == "ok")
        #expect(try LoopbackHTTP.get(port, "/ready").status == 200)

        let models = try #require(try LoopbackHTTP.get(port, "/v1/models").json?["models"] as? [[String: Any]])
        #expect(models.map { $0["name"] as? String } == ["default", "second"])
        #expect(models.first?["source"] as? String == "en" && models.first?["target"] as? String == "de")
        #expect(models.first?["default"] as? Bool == true)

        let page = try LoopbackHTTP.get(port, "/")
        #expect(page.status == 200 && page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(page.text.contains("<textarea") && page.text.contains("/v1/translate"))

        let lines = try ServeFixtures.sentences(6)
        let reply = try LoopbackHTTP.post(port, "/v1/translate", json: ["src": lines, "id": "abc"])
        #expect(reply.status == 200, "\(reply.text)")
        #expect(ServeFixtures.texts(reply) == (try ServeFixtures.reference(lines, flags: ["--beam", "5"])))
        #expect(reply.json?["id"] as? String == "abc" && reply.json?["model"] as? String == "default")
        #expect((reply.json?["time_ms"] as? Double).map { $0 > 0 } == true)

        let other = try LoopbackHTTP.post(port, "/v1/translate",
                                          json: ["src": [lines[0]], "model": "second", "beam": 3, "n_best": 3, "alpha": 0.0])
        let item = try #require((other.json?["translations"] as? [[String: Any]])?.first)
        let nBest = try #require(item["n_best"] as? [[String: Any]])
        #expect(other.json?["model"] as? String == "second" && nBest.count == 3)
        let scores = nBest.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >) && scores.count == 3)
        #expect(nBest.map { $0["text"] as? String ?? "" }
                == (try ServeFixtures.reference([lines[0]], flags: ["--beam", "3", "--n-best", "3", "--alpha", "0"]))[0]
                .split(separator: "\t").map(String.init))

        let attention = try LoopbackHTTP.post(port, "/v1/translate", json: ["src": [lines[1]], "attention": true])
        let plot = try #require(((attention.json?["translations"] as? [[String: Any]])?.first?["attention"]) as? [String: Any])
        let source = try #require(plot["source"] as? [String]), target = try #require(plot["target"] as? [String])
        let weights = try #require(plot["weights"] as? [[Double]])
        #expect(source.last == "</s>" && weights.count == target.count && weights.allSatisfy { $0.count == source.count })
        #expect((plot["svg"] as? String)?.contains("<svg") == true)

        let metrics = try LoopbackHTTP.get(port, "/metrics")
        #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(ServeFixtures.metric(metrics.text, "s2s_sentences_total") == 8)
        #expect(metrics.text.contains("s2s_requests_total{path=\"/v1/translate\",status=\"200\"} 3"))
        #expect(ServeFixtures.metric(metrics.text, "s2s_request_duration_seconds_count") == 3)
        #expect(ServeFixtures.metric(metrics.text, "s2s_queue_sentences") == 0)
        #expect((ServeFixtures.metric(metrics.text, "s2s_tokens_per_second") ?? 0) > 0)
        #expect(server.terminate() == 0)
    }

    /// 400, 404, 405 and 413, each a JSON error with a message, and the server still answering after.
    @Test func badInputGetsOneClearJSONErrorAndNeverACrash() throws {
        let server = try ServerProcess(["--model", ServerProcess.shippedModel, "--max-sentences", "8", "--max-sentence-bytes", "1000"])
        let port = server.port
        func post(_ body: [UInt8]) throws -> LoopbackHTTP.Response {
            try LoopbackHTTP.request(port, method: "POST", path: "/v1/translate", body: body)
        }
        let cases: [(String, [UInt8], Int, String)] = [
            ("not JSON", Array("{src: nope".utf8), 400, "not a JSON object"),
            ("a JSON array", Array("[\"a\"]".utf8), 400, "not a JSON object"),
            ("invalid UTF-8", Array("{\"src\": [\"A ".utf8) + [0xFF, 0xFE] + Array("dog\"]}".utf8), 400, "not valid UTF-8"),
            ("no src", Array("{}".utf8), 400, "'src' is missing"),
            ("empty src", Array("{\"src\": []}".utf8), 400, "'src' is empty"),
            ("empty string", Array("{\"src\": [\"A dog.\", \"\"]}".utf8), 400, "src[1] is empty"),
            ("blank string", Array("{\"src\": [\"  \\t\"]}".utf8), 400, "src[0] is empty"),
            ("unknown field", Array("{\"src\": [\"A dog.\"], \"beam_size\": 4}".utf8), 400, "unknown field 'beam_size'"),
            ("src not strings", Array("{\"src\": [1, 2]}".utf8), 400, "has the wrong type"),
            ("beam a string", Array("{\"src\": [\"A dog.\"], \"beam\": \"5\"}".utf8), 400, "'beam' has the wrong type"),
            ("beam 0", Array("{\"src\": [\"A dog.\"], \"beam\": 0}".utf8), 400, "'beam' must be"),
            ("n_best over beam", Array("{\"src\": [\"A dog.\"], \"beam\": 2, \"n_best\": 3}".utf8), 400, "'n_best' must be"),
            ("model with slash", Array("{\"src\": [\"A dog.\"], \"model\": \"../models/default\"}".utf8), 400, "is not a model name"),
            ("model path", Array("{\"src\": [\"A dog.\"], \"model\": \"/etc/passwd\"}".utf8), 400, "is not a model name"),
            ("model dots", Array("{\"src\": [\"A dog.\"], \"model\": \"..\"}".utf8), 400, "is not a model name"),
            ("unknown model", Array("{\"src\": [\"A dog.\"], \"model\": \"nosuch\"}".utf8), 404, "no model named 'nosuch'"),
            ("too many sentences", Array("{\"src\": [\(Array(repeating: "\"A dog.\"", count: 9).joined(separator: ","))]}".utf8),
             413, "9 sentences; the limit is 8"),
            ("too long a line", Array("{\"src\": [\"\(String(repeating: "dog ", count: 300))\"]}".utf8), 413, "src[0] is 1200 bytes"),
            ("a megabyte body", Array("{\"src\": [\"\(String(repeating: "a", count: 3 << 20))\"]}".utf8), 413, "larger than"),
        ]
        for (name, body, status, message) in cases {
            let r = try post(body)
            #expect(r.status == status, "\(name): \(r.status) \(r.text.prefix(300))")
            #expect(r.headers["content-type"] == "application/json", "\(name)")
            #expect(r.errorMessage?.contains(message) == true, "\(name): \(r.text.prefix(300))")
        }
        let unknownPath = try LoopbackHTTP.get(port, "/v2/translate")
        #expect(unknownPath.status == 404 && unknownPath.errorMessage?.contains("no such path") == true)
        let wrongMethod = try LoopbackHTTP.get(port, "/v1/translate")
        #expect(wrongMethod.status == 405 && wrongMethod.errorMessage?.contains("takes POST") == true)
        let garbage = try LoopbackHTTP.exchange(port, Array("NOT HTTP AT ALL\r\n\r\n".utf8))
        #expect(String(decoding: garbage, as: UTF8.self).hasPrefix("HTTP/1.1 400"))
        // Still alive and translating.
        #expect(try post(Array("{\"src\": [\"A dog runs.\"]}".utf8)).status == 200)
        let metrics = try LoopbackHTTP.get(port, "/metrics").text
        #expect(metrics.contains("s2s_requests_total{path=\"/v1/translate\",status=\"400\"} 15"))
        #expect(server.terminate() == 0)
    }

    /// 429 when the queue is full and 503 when a request's deadline passes. A second request
    /// close behind a first one waits out the (long) batch window in the queue, so the queue
    /// stays occupied until its 3 s deadline.
    @Test func fullQueueIs429AndTimeoutIs503() throws {
        let server = try ServerProcess(["--model", ServerProcess.shippedModel, "--max-queue", "2",
                                        "--batch-window-ms", "20000", "--timeout", "3"])
        let port = server.port
        let first = LockedResult(), second = LockedResult()
        Thread { first.set(try? LoopbackHTTP.post(port, "/v1/translate", json: ["src": ["A dog runs."]])) }.start()
        usleep(20_000)
        Thread { second.set(try? LoopbackHTTP.post(port, "/v1/translate", json: ["src": ["A cat sleeps."]])) }.start()
        let deadline = Date().addingTimeInterval(20)
        while (ServeFixtures.metric(try LoopbackHTTP.get(port, "/metrics").text, "s2s_queue_sentences") ?? 0) < 1
                && Date() < deadline {
            usleep(5_000)
        }
        let full = try LoopbackHTTP.post(port, "/v1/translate", json: ["src": ["A cat.", "A bird."]])
        #expect(full.status == 429 && full.errorMessage?.contains("queue is full") == true, "\(full.text)")
        while (first.get() == nil || second.get() == nil) && Date() < deadline { usleep(10_000) }
        let timedOut = try #require(second.get() ?? nil)
        #expect(timedOut.status == 503 && timedOut.errorMessage?.contains("no answer within 3.0 s") == true, "\(timedOut.text)")
        // The first was decoded at once, or waited with the second and timed out with it.
        let firstStatus = try #require(first.get() ?? nil).status
        #expect(firstStatus == 200 || firstStatus == 503)
        #expect(ServeFixtures.metric(try LoopbackHTTP.get(port, "/metrics").text, "s2s_queue_sentences") == 0)
        #expect(server.terminate() == 0)
    }

    /// A model that cannot be loaded is a clear one-line error and exit status 1, and `--model`
    /// names that could be read as paths are refused before anything starts.
    @Test func badModelsAreRefusedAtStart() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-serve-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try Data("not a model".utf8).write(to: scratch.appendingPathComponent("model.safetensors"))
        let broken = try ServerProcess.runToExit(["--model", "broken=\(scratch.path)", "--port", "0"])
        #expect(broken.status == 1 && broken.stderr.contains("model 'broken'"), "\(broken.stderr)")
        let badName = try ServerProcess.runToExit(["--model", "a..b=\(ServerProcess.shippedModel)", "--port", "0"])
        #expect(badName.status != 0 && badName.stderr.contains("not a plain model name"), "\(badName.stderr)")
        let twice = try ServerProcess.runToExit(["--model", ServerProcess.shippedModel, "--model", ServerProcess.shippedModel, "--port", "0"])
        #expect(twice.status != 0 && twice.stderr.contains("given twice"), "\(twice.stderr)")
        // `s2s serve` is the same program, run from beside `s2s`.
        let viaS2S = try S2SCommand.run(["serve", "--model", "no-such-model", "--port", "0"], environment: ["S2S_MODEL_PATH": scratch.path])
        #expect(viaS2S.status == 1 && viaS2S.stderr.contains("s2s serve: --model no-such-model: no model named"), "\(viaS2S.stderr)")
    }
}

/// One value set from another thread.
final class LockedResult: @unchecked Sendable {
    private let lock = NSLock()
    private var value: LoopbackHTTP.Response??

    func set(_ v: LoopbackHTTP.Response?) { lock.lock(); value = .some(v); lock.unlock() }
    func get() -> LoopbackHTTP.Response?? { lock.lock(); defer { lock.unlock() }; return value }
}
