import Foundation

/// Everything `s2s serve` is told at start: where to listen, which models, and the limits that
/// keep one client from starving the others.
package struct ServeConfiguration: Sendable {
    /// Loopback unless told otherwise: a translation service is usually put behind a proxy.
    package var host = "127.0.0.1"
    /// 0 asks the system for a free port (tests); the bound port is reported on start.
    package var port = 8080
    /// Served models in the order given; the first is the default of a request without `model`.
    package var models: [ModelEntry] = []
    package var limits = ServeLimits()
    package var batching = BatchingPolicy()

    package init() {}

    /// One configured model: the name clients use and the bundle directory it is loaded from.
    package struct ModelEntry: Sendable, Equatable {
        package var name: String
        package var directory: String

        package init(name: String, directory: String) {
            self.name = name
            self.directory = directory
        }
    }
}

/// What one request may ask for; beyond these the answer is 413 (sizes) or 429 (queue).
package struct ServeLimits: Sendable {
    /// Sentences in one request.
    package var maxSentences = 64
    /// UTF-8 bytes of one sentence.
    package var maxSentenceBytes = 4096
    /// Bytes of a request body (checked while it arrives, before it is parsed).
    package var maxBodyBytes = 1 << 20
    /// Sentences waiting for the decoder, over all requests; a request that would pass it gets 429.
    package var maxQueuedSentences = 1024
    /// A request not answered within this many seconds gets 503 (its sentences are dropped
    /// from the queue if they have not started).
    package var timeoutSeconds = 30.0
    /// Largest beam a request may ask for.
    package var maxBeam = 16

    package init() {}
}

/// How sentences of concurrent requests are gathered into one decoder call.
package struct BatchingPolicy: Sendable {
    /// Off: every request is decoded alone, in arrival order (the baseline of the benchmark).
    package var enabled = true
    /// How long the first waiting request may wait for others to join it.
    package var window: Duration = .milliseconds(5)
    /// A batch closes early once its sentences hold this many source tokens (estimated from
    /// UTF-8 bytes, so the estimate needs no tokenizer on the network side).
    package var tokenBudget = 2048
    /// Sentences per decoder batch inside one gathered call (the translator's `batchSize`).
    package var decoderBatchSize = 32

    package init() {}
}

/// Model names a client may send: plain names only, so a name can never be read as a path.
package enum ModelName {
    /// Letters, digits, `-`, `_` and `.`, at most 64 characters, not `.`/`..`-like.
    package static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 64, !name.contains(".."), !name.hasPrefix(".") else { return false }
        return name.unicodeScalars.allSatisfy { s in
            (s.value < 128) && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_" || s == ".")
        }
    }
}
