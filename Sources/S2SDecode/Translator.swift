import S2SModel
import S2SNumerics
import S2SText

/// Text in, text out: a trained model with its text pipelines and a search strategy.
///
/// `translate(_:)` takes any number of lines and returns one `Translation` per line, in input
/// order. Blank lines give an empty translation without running the model; the other lines are
/// framed exactly as training frames them (`SequenceFraming.source`), sorted by length and
/// decoded in batches of `batchSize`, so similar lengths share a batch and padding stays small.
/// Outputs are detokenized by the target pipeline, with `<unk>` optionally replaced by the most
/// attended source word. Problems with a line (too long, invalid UTF-8, untokenizable) become
/// warnings on that line's result; a line always yields a result.
package final class Translator {
    /// How sentences are searched.
    package enum Strategy: String, Sendable, CaseIterable {
        case beam, greedy, sample
    }

    /// Everything that decides what a translation looks like.
    package struct Settings: Sendable {
        package var strategy: Strategy = .beam
        package var options = DecodeOptions()
        /// Sentences per decoder batch (beam search runs K rows per sentence).
        package var batchSize = 32
        /// Replace `<unk>` outputs by the most attended source word (Luong et al. 2015).
        package var replaceUnknown = false
        /// Longest framed source (ids + `</s>`); longer lines are cut with a warning.
        package var maxSourceTokens = 250
        /// Keep pieces and attention rows in the results (JSON output, heatmaps).
        package var keepAttention = false
        /// Score only each batch's candidate tokens (`Shortlist`; nil: the whole vocabulary).
        package var shortlist: Shortlist?

        package init() {}
    }

    /// One line to translate: its text and where it came from.
    package struct Line: Sendable {
        package var text: String
        /// 1-based line number, for warnings.
        package var number: Int
        /// A warning known before translation (e.g. invalid UTF-8 replaced on reading).
        package var warning: String?

        package init(text: String, number: Int, warning: String? = nil) {
            self.text = text
            self.number = number
            self.warning = warning
        }
    }

    /// One alternative output.
    package struct Candidate: Sendable, Equatable {
        package var text: String
        package var score: Float
        package var logProb: Float
        package var finished: Bool
    }

    /// The result for one line.
    package struct Translation: Sendable {
        package var source: String
        /// The best output, detokenized ("" for a blank line).
        package var text: String { candidates.first?.text ?? "" }
        /// Best first; one entry unless n-best was asked for; empty for a blank line.
        package var candidates: [Candidate]
        /// With `keepAttention`: source pieces (ending with `</s>`), output pieces of the best
        /// candidate, and its attention rows [output piece][source piece].
        package var sourcePieces: [String] = []
        package var outputPieces: [String] = []
        package var attention: [[Float]] = []
        package var warnings: [String] = []
    }

    /// The first (or only) model.
    package var model: Seq2SeqModel { models[0] }
    /// With more than one, an ensemble: every step averages their log-probabilities.
    package let models: [Seq2SeqModel]
    package let pipelines: TextPipelinePair
    package var settings: Settings
    private let stepModel: Seq2SeqStepModel
    private let ensemble: EnsembleStepModel?

    package convenience init(model: Seq2SeqModel, pipelines: TextPipelinePair, settings: Settings = Settings()) {
        self.init(models: [model], pipelines: pipelines, settings: settings)
    }

    /// - Precondition: at least one model; all were trained with `pipelines` (the caller checks
    ///   their vocabularies, e.g. by the hashes in their headers).
    package init(models: [Seq2SeqModel], pipelines: TextPipelinePair, settings: Settings = Settings()) {
        precondition(!models.isEmpty, "Translator: no model")
        self.models = models
        self.pipelines = pipelines
        self.settings = settings
        let steps = models.map { Seq2SeqStepModel(model: $0, shortlist: settings.shortlist) }
        stepModel = steps[0]
        ensemble = steps.count > 1 ? EnsembleStepModel(members: steps) : nil
    }

    /// Source of one line, ready for the encoder.
    struct Prepared {
        var index: Int
        var ids: [Int32]          // framed
        var units: [String]       // per source position: the source word it belongs to (unk replacement)
        var pieces: [String]      // per source position: the piece (attention output)
    }

    /// Translates `lines`; the result has one entry per line, in order.
    package func translate(_ lines: [Line]) -> [Translation] {
        var results = lines.map { Translation(source: $0.text, candidates: [], warnings: $0.warning.map { [$0] } ?? []) }
        var prepared: [Prepared] = []
        for (i, line) in lines.enumerated() {
            guard !Self.isBlank(line.text) else { continue }
            do {
                prepared.append(try prepare(line, index: i, warnings: &results[i].warnings))
            } catch {
                results[i].warnings.append("line \(line.number): cannot tokenize (\(error)); output left empty")
            }
        }
        // Longest first: the first batch is the largest, so buffers grow once.
        prepared.sort { $0.ids.count != $1.ids.count ? $0.ids.count > $1.ids.count : $0.index < $1.index }
        let size = max(1, settings.batchSize)
        var start = 0
        while start < prepared.count {
            let batch = Array(prepared[start..<min(start + size, prepared.count)])
            let outputs = decode(batch.map(\.ids))
            for (p, hyps) in zip(batch, outputs) { fill(&results[p.index], with: hyps, source: p) }
            start += size
        }
        return results
    }

    /// Whether a line has nothing to translate (empty or only white space).
    package static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }

    /// Tokenizes, frames and caps one line.
    func prepare(_ line: Line, index: Int, warnings: inout [String]) throws -> Prepared {
        let source = pipelines.source
        var ids = try source.encode(line.text)
        let needUnits = settings.replaceUnknown || settings.keepAttention
        var pieces: [String] = []
        var units: [String] = []
        if needUnits { (pieces, units) = try sourceUnits(line.text, count: ids.count) }
        let cap = max(2, settings.maxSourceTokens)
        if ids.count + SequenceFraming.sourceOverhead > cap {
            warnings.append("line \(line.number): \(ids.count) source tokens, far beyond the \(cap - 1) this model "
                            + "translates; only the first \(cap - 1) are translated")
            ids = Array(ids.prefix(cap - SequenceFraming.sourceOverhead))
            pieces = Array(pieces.prefix(ids.count))
            units = Array(units.prefix(ids.count))
        }
        if needUnits {
            pieces.append("</s>")
            units.append("")
        }
        return Prepared(index: index, ids: SequenceFraming.source(ids), units: units, pieces: pieces)
    }

    /// Per source piece: the piece and the whole source word (tokenizer token) it came from, so
    /// an `<unk>` copies a word rather than a fragment. Falls back to the pieces themselves when
    /// the two segmentations disagree in length.
    func sourceUnits(_ text: String, count: Int) throws -> (pieces: [String], units: [String]) {
        let source = pipelines.source
        let pieces = try source.pieces(text)
        var units: [String] = []
        for token in try source.tokenizer.tokenize(text) {
            let n = source.bpe?.segment(token).count ?? 1
            units.append(contentsOf: repeatElement(token, count: n))
        }
        if units.count != pieces.count { units = pieces }
        return (Array(pieces.prefix(count)), Array(units.prefix(count)))
    }

    /// Runs the configured search on framed sources (the single model's path stays concrete,
    /// so its search is specialized as before ensembles existed).
    func decode(_ sources: [[Int32]]) -> [[Hypothesis]] {
        if let ensemble { return decode(sources, with: ensemble) }
        return decode(sources, with: stepModel)
    }

    private func decode<M: StepModel>(_ sources: [[Int32]], with stepModel: M) -> [[Hypothesis]] {
        var options = settings.options
        options.recordAttention = settings.replaceUnknown || settings.keepAttention
        do {
            switch settings.strategy {
            case .beam:
                return try BeamSearch(options: options).decode(stepModel, sources: sources)
            case .greedy:
                options.beamSize = 1
                return try GreedySearch(options: options).decode(stepModel, sources: sources).map { [$0] }
            case .sample:
                return try SamplingSearch(options: options).decode(stepModel, sources: sources).map { [$0] }
            }
        } catch {
            // Sources are framed, non-empty and in range: the encoder cannot refuse them.
            preconditionFailure("Translator: the encoder refused a prepared batch: \(error)")
        }
    }

    /// Turns hypotheses into text (unknown words replaced when asked) and attention output.
    func fill(_ result: inout Translation, with hyps: [Hypothesis], source: Prepared) {
        let target = pipelines.target
        for (rank, h) in hyps.enumerated() {
            let tokens = SequenceFraming.stripTarget(h.tokens)
            var pieces = target.decodePieces(tokens)
            if settings.replaceUnknown {
                pieces = replacingUnknown(pieces, hypothesis: h, source: source)
            }
            result.candidates.append(Candidate(text: Detokenizer.detokenize(pieces), score: h.score, logProb: h.logProb,
                                               finished: h.finished))
            if rank == 0 && settings.keepAttention {
                result.sourcePieces = source.pieces
                result.outputPieces = pieces
                result.attention = h.attention
            }
        }
    }

    /// `<unk>` pieces become the most attended source word (never the final `</s>`), marked as
    /// a word of its own (the unknown piece always starts a word).
    func replacingUnknown(_ pieces: [String], hypothesis h: Hypothesis, source: Prepared) -> [String] {
        let words = source.units.dropLast().map { "▁" + ($0.hasPrefix("▁") ? String($0.dropFirst()) : $0) }
        return UnknownWordReplacement.apply(output: pieces, hypothesis: h, sourceTokens: words,
                                            unknown: pipelines.target.unknownPiece)
    }
}
