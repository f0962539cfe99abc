import Foundation
import S2SDecode

/// Gathers the sentences of concurrent requests into decoder calls, on one decoding thread.
///
/// A request's sentences wait in a FIFO queue. The decoding thread takes the oldest request,
/// waits up to `policy.window` for more requests with the same model and search options (or
/// until their estimated source tokens fill `policy.tokenBudget`), then translates all their
/// sentences in one `Translator.translate` call, which sorts them by length into batches; each
/// request gets back its own slice of the results. Requests with other options wait for the
/// next round. The window is skipped when requests arrive further apart than it (one client
/// waiting for each answer gains nothing by waiting); requests that queued while the decoder
/// was busy are taken together at once. The queue is bounded (`ServeLimits.maxQueuedSentences`, beyond it 429) and
/// every request has a deadline (503 when it passes, its sentences dropped if not started).
///
/// Decoding is CPU-bound and synchronous, so it never runs on the event loops or on the Swift
/// concurrency pool: those keep answering `/health` and accepting work while a batch decodes.
final class TranslationBatcher: @unchecked Sendable {
    typealias Outcome = Result<[Translator.Translation], ServeError>

    /// What decides which requests may share a decoder call.
    struct Key: Hashable {
        let model: String
        let options: SearchOptions
    }

    private struct Job {
        let id: UInt64
        let key: Key
        let sentences: [String]
        let tokens: Int
        let arrival: Date
        /// Whether another request arrived less than a window before this one: only then is
        /// company likely, and worth waiting for.
        let crowded: Bool
    }

    private let condition = NSCondition()
    private var queue: [Job] = []
    private var queuedSentences = 0
    private var waiting: [UInt64: CheckedContinuation<Outcome, Never>] = [:]
    private var nextID: UInt64 = 0
    private var lastArrival = Date.distantPast
    private var stopping = false
    private var registry: ModelRegistry?

    private let policy: BatchingPolicy
    private let limits: ServeLimits
    private let metrics: ServeMetrics
    /// One translator per (model, options), built on first use; touched by the decoding thread only.
    private var translators: [Key: Translator] = [:]
    private let finished = DispatchSemaphore(value: 0)

    init(policy: BatchingPolicy, limits: ServeLimits, metrics: ServeMetrics) {
        self.policy = policy
        self.limits = limits
        self.metrics = metrics
    }

    /// Starts the decoding thread: it loads the models (`load`), then serves the queue.
    /// `loaded` is called with the outcome of loading.
    func start(load: @escaping @Sendable () throws(ServeStartError) -> ModelRegistry,
               loaded: @escaping @Sendable (ServeStartError?) -> Void) {
        let thread = Thread { [self] in
            do {
                let registry = try load()
                condition.lock()
                self.registry = registry
                condition.unlock()
                loaded(nil)
                run()
            } catch {
                let failure = error as? ServeStartError ?? ServeStartError("\(error)")
                loaded(failure)
                failAll(with: .unavailable("the models could not be loaded: \(failure.description)"))
            }
            finished.signal()
        }
        thread.name = "s2s-decode"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The loaded models, nil until loading has finished.
    var models: ModelRegistry? {
        condition.lock(); defer { condition.unlock() }
        return registry
    }

    var queueDepth: Int {
        condition.lock(); defer { condition.unlock() }
        return queuedSentences
    }

    /// Queues `sentences` for `model` and waits for their translations (in order), for a 429
    /// when the queue is full, or for a 503 when the deadline passes or the service is not ready.
    func translate(_ sentences: [String], model: String, options: SearchOptions) async throws(ServeError) -> [Translator.Translation] {
        let key = Key(model: model, options: options)
        let tokens = sentences.reduce(0) { $0 + Self.estimatedTokens($1) }
        let id = newJobID()
        let deadline = Task { [self, limits] in
            try await Task.sleep(for: .seconds(limits.timeoutSeconds))
            expire(id)
        }
        defer { deadline.cancel() }
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            condition.lock()
            defer { condition.unlock() }
            if registry == nil || stopping {
                continuation.resume(returning: .failure(.unavailable(
                    stopping ? "the service is shutting down" : "the models are still loading; see GET /ready")))
                return
            }
            if queuedSentences + sentences.count > limits.maxQueuedSentences {
                continuation.resume(returning: .failure(.queueFull(
                    "the queue is full (\(queuedSentences) sentences waiting, limit \(limits.maxQueuedSentences)); retry later")))
                return
            }
            let now = Date()
            let crowded = now.timeIntervalSince(lastArrival) < Self.seconds(policy.window)
            lastArrival = now
            queue.append(Job(id: id, key: key, sentences: sentences, tokens: tokens, arrival: now, crowded: crowded))
            queuedSentences += sentences.count
            waiting[id] = continuation
            condition.broadcast()
        }
        return try outcome.get()
    }

    private func newJobID() -> UInt64 {
        condition.lock(); defer { condition.unlock() }
        nextID += 1
        return nextID
    }

    /// Answers job `id` with 503 if it is still unanswered (its deadline passed); a job not
    /// yet decoding leaves the queue, one decoding finishes unseen.
    private func expire(_ id: UInt64) {
        condition.lock()
        let continuation = waiting.removeValue(forKey: id)
        if let i = queue.firstIndex(where: { $0.id == id }) {
            queuedSentences -= queue[i].sentences.count
            queue.remove(at: i)
        }
        condition.unlock()
        continuation?.resume(returning: .failure(
            .unavailable("no answer within \(limits.timeoutSeconds) s; the service is overloaded, retry later")))
    }

    /// Stops taking requests once the queue is empty and waits for the decoding thread to end.
    /// While the models are still loading nothing can be in flight (requests get 503), and a
    /// load blocked on a slow disk cannot be interrupted, so then it returns at once and the
    /// process exits under the load.
    func stop() {
        condition.lock()
        stopping = true
        let loading = registry == nil
        condition.broadcast()
        condition.unlock()
        if !loading { finished.wait() }
    }

    /// A rough source-token count from the UTF-8 size (about 4.5 bytes a subword on Multi30k),
    /// so the budget is known before any tokenizer runs.
    static func estimatedTokens(_ sentence: String) -> Int { sentence.utf8.count / 4 + 2 }

    // MARK: The decoding thread

    private func run() {
        while let (jobs, key) = nextBatch() {
            decode(jobs, key: key)
        }
    }

    /// Waits for work and gathers the next batch; nil once stopping with nothing left.
    private func nextBatch() -> ([Job], Key)? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            guard let head = queue.first else {
                if stopping { return nil }
                _ = condition.wait(until: Date().addingTimeInterval(0.25))
                continue
            }
            // A lone client (requests further apart than the window) is never kept waiting.
            if policy.enabled && !stopping && (head.crowded || queue.count > 1) {
                let closes = head.arrival.addingTimeInterval(Self.seconds(policy.window))
                if Date() < closes && gatheredTokens(for: head.key) < policy.tokenBudget {
                    _ = condition.wait(until: closes)
                    continue
                }
            }
            var taken: [Job] = []
            var tokens = 0
            var kept: [Job] = []
            for job in queue {
                let fits = taken.isEmpty || (policy.enabled && job.key == head.key
                                             && tokens + job.tokens <= policy.tokenBudget)
                if fits {
                    taken.append(job)
                    tokens += job.tokens
                } else {
                    kept.append(job)
                }
            }
            queue = kept
            queuedSentences -= taken.reduce(0) { $0 + $1.sentences.count }
            return (taken, head.key)
        }
    }

    private func gatheredTokens(for key: Key) -> Int {
        queue.reduce(0) { $0 + ($1.key == key ? $1.tokens : 0) }
    }

    private func decode(_ jobs: [Job], key: Key) {
        guard let registry = models else { return }
        let started = Date()
        var outcomes: [Outcome] = []
        var outputTokens = 0
        do {
            let served = try registry.model(named: key.model)
            let translator = self.translator(for: key, served: served)
            var number = 0
            let lines = jobs.flatMap(\.sentences).map { text -> Translator.Line in
                number += 1
                return Translator.Line(text: text, number: number)
            }
            let results = translator.translate(lines)
            var offset = 0
            for job in jobs {
                outcomes.append(.success(Array(results[offset..<offset + job.sentences.count])))
                offset += job.sentences.count
            }
            for r in results {
                outputTokens += (try? served.pipelines.target.encode(r.text).count) ?? 0
            }
        } catch {
            outcomes = jobs.map { _ in .failure(error) }
        }
        metrics.batch(sentences: jobs.reduce(0) { $0 + $1.sentences.count }, outputTokens: outputTokens,
                      seconds: Date().timeIntervalSince(started))
        condition.lock()
        let continuations = jobs.map { waiting.removeValue(forKey: $0.id) }
        condition.unlock()
        for (c, outcome) in zip(continuations, outcomes) { c?.resume(returning: outcome) }
    }

    private func translator(for key: Key, served: ModelRegistry.Served) -> Translator {
        if let t = translators[key] { return t }
        // Distinct option sets are few in practice; a client cycling through alphas cannot grow this without bound.
        if translators.count >= 32 { translators.removeAll() }
        var settings = Translator.Settings()
        settings.strategy = .beam
        settings.options.beamSize = key.options.beam
        settings.options.nBest = key.options.nBest
        settings.options.alpha = key.options.alpha
        settings.batchSize = policy.decoderBatchSize
        settings.keepAttention = key.options.attention
        settings.maxSourceTokens = served.sourceCap
        let t = Translator(model: served.model, pipelines: served.pipelines, settings: settings)
        translators[key] = t
        return t
    }

    private func failAll(with error: ServeError) {
        condition.lock()
        let all = waiting
        waiting.removeAll()
        queue.removeAll()
        queuedSentences = 0
        condition.unlock()
        for c in all.values { c.resume(returning: .failure(error)) }
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
