import Foundation
import S2SCorpus
import S2SDecode
import S2SEval
import S2SLayers
import S2SModel
import S2SNumerics
import S2SText

/// The validation split, encoded once, and the measurements made on it at every validation:
/// the teacher-forced loss (perplexity), and the BLEU (with the target language's tokenizer)
/// and chrF of decoding, detokenized with the target pipeline and scored against the raw
/// reference sentences of the corpus.
final class Validator {
    /// Pipeline ids, unframed.
    let sources: [[Int32]]
    let targets: [[Int32]]
    /// The target sentences as stored in the corpus (what BLEU compares against).
    let references: [String]
    /// Sentence indices per loss batch and per decoding batch (sorted by length: less padding).
    private let lossBatches: [[Int]]
    private let decodeBatches: [[Int]]
    /// Sources longer than this (framed) are cut for decoding, like the translator does.
    static let maxSourceLength = 250
    /// Sentences decoded together.
    static let decodeBatchSize = 64

    var count: Int { sources.count }

    /// Reads up to `maxSentences` (0 = all) pairs of the valid split in corpus order.
    init(store: CorpusStore, corpus: String, pipelines: TextPipelinePair, maxSentences: Int, batchTokens: Int) throws {
        var src: [[Int32]] = [], tgt: [[Int32]] = [], refs: [String] = []
        let cursor = try store.pairs(corpus: corpus, split: .valid)
        defer { cursor.close() }
        while let pair = try cursor.next() {
            if maxSentences > 0 && src.count >= maxSentences { break }
            let ids = try pipelines.encode(source: pair.source, target: pair.target)
            src.append(Array(ids.source.prefix(Self.maxSourceLength - SequenceFraming.sourceOverhead)))
            tgt.append(Array(ids.target.prefix(Self.maxSourceLength)))
            refs.append(pair.target)
        }
        sources = src
        targets = tgt
        references = refs
        let byTarget = src.indices.sorted { (tgt[$0].count, src[$0].count, $0) < (tgt[$1].count, src[$1].count, $1) }
        var batches: [[Int]] = [], current: [Int] = [], longest = 0
        for i in byTarget {
            let t = tgt[i].count + SequenceFraming.targetOverhead
            if !current.isEmpty && (current.count + 1) * max(longest, t) > batchTokens {
                batches.append(current)
                current = []
                longest = 0
            }
            current.append(i)
            longest = max(longest, t)
        }
        if !current.isEmpty { batches.append(current) }
        lossBatches = batches
        let bySource = src.indices.sorted { (src[$0].count, $0) < (src[$1].count, $1) }
        decodeBatches = stride(from: 0, to: bySource.count, by: Self.decodeBatchSize).map {
            Array(bySource[$0..<min($0 + Self.decodeBatchSize, bySource.count)])
        }
    }

    /// Mean per-token cross-entropy (nats, no label smoothing) over the split, and the number
    /// of target tokens it averages.
    func loss(model: Seq2SeqModel) throws -> (loss: Double, tokens: Int) {
        var sum = 0.0, tokens = 0
        for batch in lossBatches {
            let b = try SequenceFraming.batch(sources: batch.map { sources[$0] }, targets: batch.map { targets[$0] })
            if model.config.labelSmoothing == 0 {
                let r = try model.evaluationLoss(b)
                sum += r.lossSum
                tokens += r.tokenCount
            } else {
                let (s, n) = try Self.plainCrossEntropy(model: model, batch: b)
                sum += s
                tokens += n
            }
        }
        return (tokens > 0 ? sum / Double(tokens) : 0, tokens)
    }

    /// Σ −log p(target) over the batch's real target positions, from the logits of an
    /// evaluation pass: the model's own loss includes its label smoothing, which perplexity
    /// must not.
    static func plainCrossEntropy(model: Seq2SeqModel, batch: Seq2SeqBatch) throws -> (Double, Int) {
        var rng = PCG32(seed: 0)
        let options = TrainingStepOptions(goldProbability: 1, training: false, computeGradients: false, captureIntermediates: true)
        let r = try model.forwardBackward(batch, options: options, rng: &rng)
        guard let logits = r.intermediates?.logits else { return (r.lossSum, r.tokenCount) }
        let T = batch.targetLength, V = model.config.targetVocabulary
        var sum = 0.0, n = 0
        for b in 0..<batch.size {
            for t in 0..<T {
                let y = batch.targetOutput[b * T + t]
                guard y != SpecialTokens.pad else { continue }
                let row = logits.data + (b * T + t) * V
                var m = -Float.infinity
                for j in 0..<V { m = max(m, row[j]) }
                var z = 0.0
                for j in 0..<V { z += Double(expf(row[j] - m)) }
                sum += Double(m) + log(z) - Double(row[Int(y)])
                n += 1
            }
        }
        return (sum, n)
    }

    /// Decodes every source (greedy for `beam` 1, else beam search) and returns the detokenized
    /// hypotheses in corpus order with their corpus BLEU and chrF.
    func scores(model: Seq2SeqModel, pipelines: TextPipelinePair, beam: Int,
                tokenizer: BLEUTokenizer) throws -> (bleu: Double, chrf: Double, hypotheses: [String]) {
        var hyps = [String](repeating: "", count: sources.count)
        let stepModel = Seq2SeqStepModel(model: model)
        var options = DecodeOptions()
        options.beamSize = beam
        for batch in decodeBatches {
            let framed = batch.map { SequenceFraming.source(sources[$0]) }
            let outputs: [[Int32]]
            if beam == 1 {
                outputs = try GreedySearch(options: options).decode(stepModel, sources: framed).map(\.tokens)
            } else {
                outputs = try BeamSearch(options: options).decode(stepModel, sources: framed).map { $0.first?.tokens ?? [] }
            }
            for (i, tokens) in zip(batch, outputs) {
                hyps[i] = pipelines.target.decode(SequenceFraming.stripTarget(tokens))
            }
        }
        let bleu = try BLEU(tokenizer: tokenizer).corpusScore(hypotheses: hyps, references: references)
        let chrf = try CHRF().corpusScore(hypotheses: hyps, references: references)
        return (bleu.score, chrf.score, hyps)
    }
}
