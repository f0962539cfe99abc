/// Drives a `Translator` over a stream of lines: one output line per input line, in order.
///
/// Streaming (a terminal, or `--unbuffered`): a line is translated and written (and the output
/// flushed) as soon as it has been read, so an interactive user or a pipeline partner sees every
/// answer at once. Lines that arrived together (a producer ahead of the decoder) are translated
/// together, up to the translator's batch size: the stream never waits for input to fill a
/// batch, but a backlog is worked off at batched speed rather than one decoder call per line.
/// Batched: up to `window` lines are read, translated together
/// (the translator sorts them by length into batches) and written back in input order, then
/// the next window; memory stays bounded on any input size.
package struct TranslationStream {
    package var translator: Translator
    package var format: TranslationFormat
    package var streaming: Bool
    /// Lines per window in batched mode.
    package var window: Int

    package init(translator: Translator, format: TranslationFormat, streaming: Bool, window: Int) {
        self.translator = translator
        self.format = format
        self.streaming = streaming
        self.window = max(1, window)
    }

    /// Reads `input` to its end. `write` receives each output line without its newline
    /// (`flush` true when it must reach the reader now); `warn` receives warnings;
    /// `beforeBatch` runs before each call of the translator (e.g. to adapt the thread count).
    /// Returns the number of lines translated.
    @discardableResult
    package func run(input: LineInput, write: (String, _ flush: Bool) -> Void, warn: (String) -> Void,
                    beforeBatch: () -> Void = {}) throws(InputError) -> Int {
        var count = 0
        var pending: [Translator.Line] = []
        let nBest = translator.settings.options.nBest
        let maxStreamingBatch = max(1, translator.settings.batchSize)
        func flushPending(_ flush: Bool) {
            guard !pending.isEmpty else { return }
            beforeBatch()
            let results = translator.translate(pending)
            for (line, result) in zip(pending, results) {
                for w in result.warnings { warn(w) }
                write(format.render(result, number: line.number, nBest: nBest), flush)
            }
            count += pending.count
            pending.removeAll(keepingCapacity: true)
        }
        while let line = try input.next() {
            pending.append(line)
            if streaming {
                if pending.count < maxStreamingBatch && input.hasBufferedLine { continue }
                flushPending(true)
            } else if pending.count >= window {
                flushPending(false)
            }
        }
        flushPending(true)
        return count
    }
}
