import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The window between "listening" and "ready": the port is bound before the models load, and
/// until they have loaded `/ready`, `/v1/models` and `/v1/translate` answer 503 while
/// `/health` answers 200. The window is held open without any hook in the server: the model's
/// `vocab/source.vocab` is a named pipe, so loading blocks in open(2) until the test writes
/// the real file's bytes into it.
@Suite(.serialized, .enabled(if: ServerProcess.isBuilt, "needs the built s2s and s2s-serve (swift build)"))
struct ServeLoadingTests {
    @Test func answers503UntilTheModelsHaveLoaded() throws {
        let model = try PipedModel()
        defer { model.remove() }
        let server = try ServerProcess(["--model", "default=\(model.directory.path)"], waitReady: false)
        let port = server.port
        #expect(try LoopbackHTTP.get(port, "/health").status == 200)
        let ready = try LoopbackHTTP.get(port, "/ready")
        #expect(ready.status == 503, "\(ready.text)")
        #expect((ready.json?["error"] as? [String: Any])?["message"] as? String == "the models are still loading")
        #expect(try LoopbackHTTP.get(port, "/v1/models").status == 503)
        let early = try LoopbackHTTP.post(port, "/v1/translate", json: ["src": ["Two dogs are playing in the snow."]])
        #expect(early.status == 503, "\(early.text)")
        #expect(((early.json?["error"] as? [String: Any])?["message"] as? String)?.contains("still loading") == true)
        // A bad request is still refused for what it is, not for the wait.
        #expect(try LoopbackHTTP.post(port, "/v1/translate", json: ["src": []]).status == 400)
        let metrics = try LoopbackHTTP.get(port, "/metrics").text
        #expect(ServeFixtures.metric(metrics, "s2s_ready") == 0)
        // The process's memory: resident pages and malloc's live bytes, both real and the first larger.
        let resident = ServeFixtures.metric(metrics, "process_resident_memory_bytes") ?? 0
        let heap = ServeFixtures.metric(metrics, "s2s_heap_in_use_bytes") ?? 0
        #expect(heap > 1_000_000 && resident > heap, "resident \(resident), heap \(heap)")

        // Let loading go on: the file's bytes once the loader has the pipe open (it reads the
        // file once), then /ready must turn 200.
        let deadline = Date().addingTimeInterval(120)
        var status = 0, feeds = 0
        while status != 200 && Date() < deadline && server.process.isRunning {
            if feeds == 0, try model.feedIfOpened() { feeds += 1 }
            status = (try? LoopbackHTTP.get(port, "/ready").status) ?? 0
            if status != 200 { usleep(10_000) }
        }
        #expect(status == 200 && feeds == 1, "\(server.stderr)")
        let reply = try LoopbackHTTP.post(port, "/v1/translate", json: ["src": ["Two dogs are playing in the snow."]])
        #expect(reply.status == 200 && ServeFixtures.texts(reply) == ["Zwei Hunde spielen im Schnee."], "\(reply.text)")
        #expect(server.terminate() == 0)
    }

    /// SIGTERM while the models load: nothing is in flight, so it exits 0 at once rather than
    /// waiting for a load that may never end.
    @Test func sigtermWhileLoadingExitsZero() throws {
        let model = try PipedModel()
        defer { model.remove() }
        let server = try ServerProcess(["--model", "default=\(model.directory.path)"], waitReady: false)
        #expect(try LoopbackHTTP.get(server.port, "/ready").status == 503)
        let started = Date()
        #expect(server.terminate() == 0, "\(server.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
    }
}

/// The shipped model with `vocab/source.vocab` (read once by a load) replaced by a named pipe (the rest symlinked):
/// whoever loads it blocks in open(2) until `feedIfOpened` writes the real file into the pipe.
private struct PipedModel {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-serve-loading-\(UUID().uuidString)")
    let pipe: String
    let contents: Data

    init() throws {
        let shipped = URL(fileURLWithPath: ServerProcess.shippedModel)
        let files = FileManager.default
        try files.createDirectory(at: directory.appendingPathComponent("vocab"), withIntermediateDirectories: true)
        try files.createSymbolicLink(at: directory.appendingPathComponent("model.safetensors"),
                                     withDestinationURL: shipped.appendingPathComponent("model.safetensors"))
        for name in try files.contentsOfDirectory(atPath: shipped.appendingPathComponent("vocab").path) where name != "source.vocab" {
            try files.createSymbolicLink(at: directory.appendingPathComponent("vocab/\(name)"),
                                         withDestinationURL: shipped.appendingPathComponent("vocab/\(name)"))
        }
        contents = try Data(contentsOf: shipped.appendingPathComponent("vocab/source.vocab"))
        pipe = directory.appendingPathComponent("vocab/source.vocab").path
        guard mkfifo(pipe, 0o600) == 0 else {
            throw LoopbackHTTP.Failure(description: "mkfifo \(pipe): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes the file once if a reader has the pipe open (a non-blocking open for writing
    /// fails with ENXIO until one has); whether it did.
    func feedIfOpened() throws -> Bool {
        let fd = open(pipe, O_WRONLY | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, 0)
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == contents.count else { throw LoopbackHTTP.Failure(description: "short write to \(pipe)") }
        return true
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
