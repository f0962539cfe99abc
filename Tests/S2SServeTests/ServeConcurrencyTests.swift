import Foundation
import Testing

/// Many clients at once, and shutdown with requests in flight, against the built `s2s-serve`.
@Suite(.serialized, .enabled(if: ServerProcess.isBuilt, "needs the built s2s and s2s-serve (swift build)"))
struct ServeConcurrencyTests {
    /// Option sets the requests cycle through, with the `s2s translate` flags that mean the same.
    static var variants: [(json: [String: Any], flags: [String])] {
        [([:], ["--beam", "5"]), (["beam": 1], ["--beam", "1"]), (["beam": 3, "alpha": 0.0], ["--beam", "3", "--alpha", "0"])]
    }

    /// 200 concurrent requests of 1 to 4 sentences, in three option sets: each reply carries its
    /// own id and exactly `s2s translate`'s translations of its own sentences, and the sentences
    /// of different requests were decoded together (fewer decoder calls than requests).
    @Test func concurrentRequestsEachGetTheirOwnTranslations() throws {
        let pool = try ServeFixtures.sentences(40)
        let references = try Self.variants.map { try ServeFixtures.reference(pool, flags: $0.flags) }
        let server = try ServerProcess(["--model", ServerProcess.shippedModel, "--batch-window-ms", "20", "--timeout", "600"])
        let port = server.port
        let count = 200
        var bodies: [(indices: [Int], bytes: [UInt8])] = []
        for i in 0..<count {
            let size = 1 + (i * 7) % 4
            let start = (i * 11) % pool.count
            let indices = (0..<size).map { (start + $0) % pool.count }
            var body = Self.variants[i % Self.variants.count].json
            body["src"] = indices.map { pool[$0] }
            body["id"] = "request-\(i)"
            bodies.append((indices, Array(try JSONSerialization.data(withJSONObject: body))))
        }
        let sent = bodies
        let (replies, group) = Replies.send(count) { i in
            (sent[i].indices, try? LoopbackHTTP.request(port, method: "POST", path: "/v1/translate", body: sent[i].bytes))
        }
        #expect(group.wait(timeout: .now() + 600) == .success)
        for i in 0..<count {
            let (indices, reply) = replies.get(i)
            let r = try #require(reply, "request \(i) got no reply")
            #expect(r.status == 200, "request \(i): \(r.text.prefix(200))")
            #expect(r.json?["id"] as? String == "request-\(i)")
            let expected = indices.map { references[i % Self.variants.count][$0] }
            #expect(ServeFixtures.texts(r) == expected, "request \(i)")
        }
        let metrics = try LoopbackHTTP.get(port, "/metrics").text
        let batches = try #require(ServeFixtures.metric(metrics, "s2s_batches_total"))
        #expect(batches < Double(count), "every request decoded alone: \(batches) decoder calls")
        #expect(metrics.contains("s2s_requests_total{path=\"/v1/translate\",status=\"200\"} \(count)"))
        #expect(server.terminate() == 0, "\(server.stderr)")
    }

    /// SIGTERM while requests wait in the queue: the listener closes at once (a new connection is
    /// refused), every request in flight still gets its full answer, and the exit status is 0.
    @Test func sigtermFinishesRequestsInFlightThenExitsZero() throws {
        let pool = try ServeFixtures.sentences(12)
        let reference = try ServeFixtures.reference(pool, flags: ["--beam", "5"])
        let server = try ServerProcess(["--model", ServerProcess.shippedModel, "--batch-window-ms", "5000"])
        let port = server.port
        let count = 12
        let (replies, group) = Replies.send(count) { i in
            ([i], try? LoopbackHTTP.post(port, "/v1/translate", json: ["src": [pool[i]]]))
        }
        // Until they wait in the queue (the window holds them for 5 s; the first to arrive may
        // be decoding already, not having had company when it came).
        let deadline = Date().addingTimeInterval(30)
        while (ServeFixtures.metric(try LoopbackHTTP.get(port, "/metrics").text, "s2s_queue_sentences") ?? 0) < Double(count - 1)
                && Date() < deadline {
            usleep(5_000)
        }
        kill(server.process.processIdentifier, SIGTERM)
        // The listener goes away promptly, long before the queued requests are answered.
        var refused = false
        let closeBy = Date().addingTimeInterval(10)
        while !refused && Date() < closeBy {
            do { close(try LoopbackHTTP.connect(port)); usleep(5_000) } catch { refused = true }
        }
        #expect(refused, "still accepting connections after SIGTERM")
        #expect(group.wait(timeout: .now() + 300) == .success)
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0, "\(server.stderr)")
        #expect(server.stderr.contains("SIGTERM"))
        for i in 0..<count {
            let r = try #require(replies.get(i).1, "request \(i) lost")
            #expect(r.status == 200 && ServeFixtures.texts(r) == [reference[i]], "request \(i): \(r.text.prefix(200))")
        }
    }
}

/// Replies gathered from many threads: per request, the pool indices sent and the response.
final class Replies: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [([Int], LoopbackHTTP.Response?)]

    init(_ count: Int) { items = Array(repeating: ([], nil), count: count) }

    /// Runs `request(i)` for i in 0..<count, each on its own thread, all at once; the group
    /// is left when all have answered.
    static func send(_ count: Int, _ request: @escaping @Sendable (Int) -> ([Int], LoopbackHTTP.Response?))
        -> (Replies, DispatchGroup) {
        let replies = Replies(count)
        let group = DispatchGroup()
        for i in 0..<count {
            group.enter()
            let thread = Thread {
                let (indices, reply) = request(i)
                replies.set(i, indices, reply)
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        return (replies, group)
    }

    func set(_ i: Int, _ indices: [Int], _ r: LoopbackHTTP.Response?) { lock.lock(); items[i] = (indices, r); lock.unlock() }
    func get(_ i: Int) -> ([Int], LoopbackHTTP.Response?) { lock.lock(); defer { lock.unlock() }; return items[i] }
}
