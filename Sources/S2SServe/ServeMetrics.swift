import Foundation

/// Counters of the service, rendered as Prometheus text (`GET /metrics`, exposition format
/// 0.0.4). One lock; every update is a few additions.
final class ServeMetrics: @unchecked Sendable {
    /// Upper bounds (seconds) of the request latency histogram.
    static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    private let lock = NSLock()
    private var requests: [RequestKey: Int] = [:]
    private var sentences = 0
    private var outputTokens = 0
    private var batches = 0
    private var decodeSeconds = 0.0
    private var latencyCounts = [Int](repeating: 0, count: latencyBuckets.count)
    private var latencySum = 0.0
    private var latencyCount = 0

    private struct RequestKey: Hashable {
        let path: String
        let status: Int
    }

    /// One answered request (any path; the latency histogram is of `/v1/translate` only).
    func request(path: String, status: Int, seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        requests[RequestKey(path: path, status: status), default: 0] += 1
        guard path == "/v1/translate" else { return }
        latencySum += seconds
        latencyCount += 1
        if let i = Self.latencyBuckets.firstIndex(where: { seconds <= $0 }) { latencyCounts[i] += 1 }
    }

    /// One decoder call: how many sentences, output tokens, and how long it took.
    func batch(sentences n: Int, outputTokens tokens: Int, seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        batches += 1
        sentences += n
        outputTokens += tokens
        decodeSeconds += seconds
    }

    /// The exposition text; `queued` is the number of sentences waiting now.
    func render(queued: Int, ready: Bool) -> String {
        lock.lock(); defer { lock.unlock() }
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("s2s_requests_total", "counter", "HTTP requests answered, by path and status.")
        // Only paths the service knows, so a scanner cannot grow the label set.
        for (key, n) in requests.sorted(by: { ($0.key.path, $0.key.status) < ($1.key.path, $1.key.status) }) {
            out += "s2s_requests_total{path=\"\(key.path)\",status=\"\(key.status)\"} \(n)\n"
        }
        let tokensPerSecond = decodeSeconds > 0 ? Double(outputTokens) / decodeSeconds : 0
        let scalars: [(String, String, String, String)] = [
            ("s2s_sentences_total", "counter", "Sentences translated.", "\(sentences)"),
            ("s2s_output_tokens_total", "counter", "Target subword tokens produced (best candidate).", "\(outputTokens)"),
            ("s2s_batches_total", "counter", "Decoder calls (each gathers the sentences of one or more requests).", "\(batches)"),
            ("s2s_decode_seconds_total", "counter", "Seconds spent decoding.", "\(decodeSeconds)"),
            ("s2s_tokens_per_second", "gauge", "Output tokens per second of decoding, since start.", "\(tokensPerSecond)"),
            ("s2s_queue_sentences", "gauge", "Sentences waiting for the decoder.", "\(queued)"),
            ("s2s_ready", "gauge", "1 once every configured model is loaded.", ready ? "1" : "0"),
            ("process_resident_memory_bytes", "gauge", "Resident memory of the process.", "\(ProcessMemory.residentBytes)"),
            ("s2s_heap_in_use_bytes", "gauge", "Bytes allocated with malloc and not yet freed.", "\(ProcessMemory.heapInUseBytes)"),
        ]
        for (name, type, help, value) in scalars {
            family(name, type, help)
            out += "\(name) \(value)\n"
        }
        family("s2s_request_duration_seconds", "histogram", "Latency of POST /v1/translate, arrival to reply.")
        var cumulative = 0
        for (bound, n) in zip(Self.latencyBuckets, latencyCounts) {
            cumulative += n
            out += "s2s_request_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "s2s_request_duration_seconds_bucket{le=\"+Inf\"} \(latencyCount)\n"
        out += "s2s_request_duration_seconds_sum \(latencySum)\n"
        out += "s2s_request_duration_seconds_count \(latencyCount)\n"
        return out
    }
}
