import Foundation
import S2SBenchmarks
import S2SText
import Testing
import S2SGradientCheck
import S2SLayers
import S2SModel
import S2SNumerics

/// Sources of lengths 4, 1, 3 (one of length 1), targets of 3, 0 and 2 tokens (one that is
/// only `</s>`), so padding appears on both sides.
func smallBatch() throws -> Seq2SeqBatch {
    try Seq2SeqBatch(sources: [[5, 9, 7, 6], [8], [10, 4, 5]], targets: [[8, 12, 11], [], [12, 4]])
}

func smallModel(_ attention: AttentionKind, layers: Int = 2, encoderCell: RecurrentCellKind = .lstm, residual: Bool = false,
                decoderHidden: Int = 5, decoderCell: RecurrentCellKind = .gru, decoderLayers: Int = 1, inputFeeding: Bool = true,
                dropout: Float = 0, smoothing: Float = 0, tying: EmbeddingTying = .none,
                sites: (ModelConfig) -> ModelConfig = { $0 }) throws -> Seq2SeqModel {
    let config = sites(ModelConfig(sourceVocabulary: tying.tiesSource ? 13 : 11, targetVocabulary: 13, embedding: 4, hidden: 3, decoderHidden: decoderHidden,
                             attentionSize: 6, layers: layers, encoderCell: encoderCell, decoderCell: decoderCell,
                             decoderLayers: decoderLayers, inputFeeding: inputFeeding, residual: residual,
                             attention: attention, dropout: dropout,
                             labelSmoothing: smoothing, tying: tying))
    let model = try Seq2SeqModel(config: config, seed: 7)
    // Larger weights than the default init, so every path carries a visible gradient.
    var rng = PCG32(seed: 8)
    for p in model.parameters.all {
        for i in 0..<p.count { p.value[i] = 0.6 * rng.uniform(-1, 1) }
        if p.name.hasSuffix("emb.weight") { for j in 0..<4 { p.value[j] = 0 } }
    }
    model.parameters.bumpVersions()
    return model
}

@Test(arguments: [(AttentionKind.bilinear, Float(0.2), Float(0.1)), (.additive, 0, 0.1), (.additive, 0.3, 0)])
func modelGradientsMatchFiniteDifferences(attention: AttentionKind, dropout: Float, smoothing: Float) throws {
    try checkModelGradients(try smallModel(attention, dropout: dropout, smoothing: smoothing))
}

/// Luong's dot and concat scores (dot needs the decoder as wide as the encoder output, 2H = 6).
@Test(arguments: [AttentionKind.dot, .concat])
func modelGradientsMatchFiniteDifferencesForLuongScores(attention: AttentionKind) throws {
    try checkModelGradients(try smallModel(attention, decoderHidden: attention == .dot ? 6 : 5, dropout: 0.1))
}

/// Decoder cells, depths, residuals, input feeding and attention kinds, with an encoder cell
/// each: every decoder cell at depth 1 and 2, every attention kind at least once.
struct DecoderShape: Sendable, CustomStringConvertible {
    var cell: RecurrentCellKind, layers: Int, residual: Bool, inputFeeding: Bool, attention: AttentionKind
    var encoderCell: RecurrentCellKind
    func model(dropout: Float = 0) throws -> Seq2SeqModel {
        try smallModel(attention, encoderCell: encoderCell, residual: residual, decoderHidden: attention == .dot ? 6 : 5,
                       decoderCell: cell, decoderLayers: layers, inputFeeding: inputFeeding, dropout: dropout)
    }
    var description: String { "dec \(cell)×\(layers)\(residual ? " res" : "")\(inputFeeding ? "" : " no-feed") \(attention) enc \(encoderCell)" }
}

let decoderShapes: [DecoderShape] = [
    DecoderShape(cell: .gru, layers: 1, residual: false, inputFeeding: true, attention: .additive, encoderCell: .lstm),
    DecoderShape(cell: .lstm, layers: 1, residual: false, inputFeeding: true, attention: .bilinear, encoderCell: .lstm),
    DecoderShape(cell: .rnn, layers: 1, residual: false, inputFeeding: false, attention: .additive, encoderCell: .rnn),
    DecoderShape(cell: .gated, layers: 1, residual: false, inputFeeding: true, attention: .concat, encoderCell: .gated),
    DecoderShape(cell: .gru, layers: 2, residual: true, inputFeeding: true, attention: .dot, encoderCell: .gru),
    DecoderShape(cell: .lstm, layers: 3, residual: true, inputFeeding: false, attention: .additive, encoderCell: .gru),
    DecoderShape(cell: .rnn, layers: 2, residual: false, inputFeeding: true, attention: .bilinear, encoderCell: .lstm),
    DecoderShape(cell: .gated, layers: 2, residual: true, inputFeeding: true, attention: .additive, encoderCell: .rnn),
]

@Test(arguments: decoderShapes)
func modelGradientsMatchFiniteDifferencesForEveryDecoder(shape: DecoderShape) throws {
    try checkModelGradients(try shape.model(dropout: 0.2))
}

/// Every encoder cell, in a residual two-layer stack, inside the whole model.
@Test(arguments: RecurrentCellKind.allCases)
func modelGradientsMatchFiniteDifferencesForEveryEncoderCell(cell: RecurrentCellKind) throws {
    try checkModelGradients(try smallModel(.additive, encoderCell: cell, residual: true, dropout: 0.2))
}

/// Tied embeddings: the target table is also the output matrix (and, three-way, the source
/// table), so its gradient sums the lookups' and the output layer's.
@Test(arguments: [EmbeddingTying.target, .all])
func modelGradientsMatchFiniteDifferencesWithTiedEmbeddings(tying: EmbeddingTying) throws {
    let model = try smallModel(.additive, dropout: 0.2, smoothing: 0.1, tying: tying)
    #expect(model.parameters["out.weight"] == nil && model.parameters["out_proj.weight"] != nil)
    #expect((model.parameters["src_emb.weight"] == nil) == tying.tiesSource)
    try checkModelGradients(model)
}

/// Every dropout site with its own rate, word dropout and context dropout included, in a
/// two-layer encoder and decoder: the masks are part of the function, and backward follows them.
@Test func modelGradientsMatchFiniteDifferencesWithEveryDropoutSite() throws {
    let model = try smallModel(.additive, residual: true, decoderLayers: 2, dropout: 0.1) {
        var c = $0
        c.embeddingDropout = 0.15
        c.wordDropout = 0.3
        c.layerDropout = 0.25
        c.contextDropout = 0.35
        c.outputDropout = 0.4
        return c
    }
    let rates = model.config.dropoutRates
    #expect(rates == DropoutRates(embedding: 0.15, word: 0.3, layer: 0.25, context: 0.35, output: 0.4))
    try checkModelGradients(model)
}

/// The decoding engine computes the tied output layer as training does.
@Test(arguments: [EmbeddingTying.target, .all])
func stepAPIMatchesTrainingPassWithTiedEmbeddings(tying: EmbeddingTying) throws {
    try checkStepAgainstTraining(try smallModel(.additive, tying: tying))
}

func checkModelGradients(_ model: Seq2SeqModel) throws {
    let batch = try smallBatch()
    // The same seed every call: the same dropout masks, so the loss is a smooth function of θ.
    func loss() -> Double {
        var rng = PCG32(seed: 21)
        return (try? model.forwardBackward(batch, options: TrainingStepOptions(computeGradients: false), rng: &rng).meanLoss) ?? .nan
    }
    model.parameters.zeroGrad()
    var rng = PCG32(seed: 21)
    let r = try model.forwardBackward(batch, rng: &rng)
    #expect(r.tokenCount == 4 + 1 + 3)
    #expect(abs(r.meanLoss - loss()) <= 1e-6)
    var check = GradientCheck()
    check.samples = 8
    var pick = PCG32(seed: 3)
    for p in model.parameters.all {
        let grad = p.grad.array
        check.check(p.name, x: p.value.data, count: p.count, analytic: grad, rng: &pick, bump: { p.value.bumpVersion() }, loss: loss)
        // The padding row learns nothing from lookups; a tied table's gets the output layer's
        // gradient of the (never chosen) <pad> logit, as in PyTorch.
        if p.name.hasSuffix("emb.weight") && !model.config.tying.tiesOutput {
            #expect(grad.prefix(4).allSatisfy { $0 == 0 }, "\(p.name): padding row has a gradient")
        }
    }
}

/// The training pass and the decoding API compute the same function: encoder outputs, h0 and
/// teacher-forced logits agree.
@Test(arguments: decoderShapes)
func stepAPIMatchesTrainingPass(shape: DecoderShape) throws {
    try checkStepAgainstTraining(try shape.model())
}

private func checkStepAgainstTraining(_ model: Seq2SeqModel) throws {
    let batch = try smallBatch()
    var rng = PCG32(seed: 1)
    let r = try model.forwardBackward(batch, options: TrainingStepOptions(training: false, computeGradients: false,
                                                                         captureIntermediates: true), rng: &rng)
    let inter = try #require(r.intermediates)
    let source = try model.encode(source: batch.source, lengths: batch.sourceLengths, sourceLength: batch.sourceLength)
    #expect(zip(source.encoderOutputs.array, inter.encoderOutputs.array).allSatisfy { abs($0 - $1) <= 1e-6 })
    #expect(zip(source.initialHidden.array, inter.initialHidden.array).allSatisfy { abs($0 - $1) <= 1e-6 })
    let B = batch.size, T = batch.targetLength, V = model.config.targetVocabulary, S = batch.sourceLength
    let decoder = Seq2SeqDecoder(model: model)
    decoder.begin(source)
    for t in 0..<T {
        decoder.step(previous: (0..<B).map { batch.targetInput[$0 * T + t] })
        for b in 0..<B where batch.targetOutput[b * T + t] != SpecialTokens.pad {
            for v in 0..<V { #expect(abs(decoder.logits[b, v] - inter.logits[(b * T + t) * V + v]) <= 1e-5) }
            for j in 0..<S { #expect(abs(decoder.attention[b, j] - inter.attention[(b * T + t) * S + j]) <= 1e-6) }
        }
    }
}

/// Scheduled sampling with gold probability 0 feeds the argmax of the previous step wherever
/// the gold token is real: the loss equals stepping the decoder by hand that way.
@Test func scheduledSamplingFeedsOwnArgmax() throws {
    let model = try smallModel(.additive)
    let batch = try smallBatch()
    var rng = PCG32(seed: 2)
    let r = try model.forwardBackward(batch, options: TrainingStepOptions(goldProbability: 0, computeGradients: false), rng: &rng)
    let B = batch.size, T = batch.targetLength, V = model.config.targetVocabulary
    #expect(r.ownPredictionsFed == (1..<T).reduce(0) { n, t in n + (0..<B).filter { batch.targetInput[$0 * T + t] != 0 }.count })
    let source = try model.encode(source: batch.source, lengths: batch.sourceLengths, sourceLength: batch.sourceLength)
    let decoder = Seq2SeqDecoder(model: model)
    decoder.begin(source)
    var y = (0..<B).map { batch.targetInput[$0 * T] }
    var lossSum = 0.0, count = 0
    for t in 0..<T {
        decoder.step(previous: y)
        for b in 0..<B {
            let row = (0..<V).map { Double(decoder.logits[b, $0]) }
            let target = Int(batch.targetOutput[b * T + t])
            if target != 0 {
                let m = row.max()!
                lossSum += m + log(row.reduce(0) { $0 + exp($1 - m) }) - row[target]
                count += 1
            }
            if t + 1 < T {
                let gold = batch.targetInput[b * T + t + 1]
                y[b] = gold == 0 ? 0 : Int32(row.indices.max { row[$0] < row[$1] }!)
            }
        }
    }
    #expect(count == r.tokenCount)
    #expect(abs(lossSum / Double(count) - r.meanLoss) <= 1e-5)
    // Teacher forcing gives a different loss (the model is random, its argmax is not the gold).
    var rng2 = PCG32(seed: 2)
    let tf = try model.forwardBackward(batch, options: TrainingStepOptions(computeGradients: false), rng: &rng2)
    #expect(abs(tf.meanLoss - r.meanLoss) > 1e-4)
    #expect(tf.ownPredictionsFed == 0)
}

@Test func parametersFollowTheReferenceStateDict() throws {
    let model = try Seq2SeqModel(config: ModelConfig(sourceVocabulary: 8000, targetVocabulary: 8000, embedding: 256, hidden: 256))
    #expect(model.parameters.names == [
        "src_emb.weight", "tgt_emb.weight",
        "enc.weight_ih_l0", "enc.weight_hh_l0", "enc.bias_ih_l0", "enc.bias_hh_l0",
        "enc.weight_ih_l0_reverse", "enc.weight_hh_l0_reverse", "enc.bias_ih_l0_reverse", "enc.bias_hh_l0_reverse",
        "bridge.weight", "bridge.bias", "att_k.weight", "att_q.weight", "att_q.bias", "att_v.weight",
        "cell.weight_ih", "cell.weight_hh", "cell.bias_ih", "cell.bias_hh", "out.weight", "out.bias",
    ])
    // torch_seq2seq.py reports 14.5 M parameters for this size (RESULTS.md), 8.2 M in the output layer.
    #expect(model.parameterCount == 14_465_088)
    #expect(model.decoder.output.vocabulary.weight.count + model.decoder.output.vocabulary.bias!.count == 8_200_000)
    #expect(model.parameters["cell.weight_ih"]!.shape == [768, 768])
}

@Test func badBatchesAndConfigsAreRejectedWithContext() throws {
    let model = try smallModel(.additive)
    let bad = try Seq2SeqBatch(sources: [[5, 11]], targets: [[3]])
    var rng = PCG32(seed: 1)
    do {
        _ = try model.forwardBackward(bad, rng: &rng)
        Issue.record("out-of-range source id accepted")
    } catch {
        #expect(error.description.contains("source id 11") && error.description.contains("position 1"))
    }
    #expect(throws: LayerError.self) { try Seq2SeqBatch(sources: [[5], []], targets: [[3], [4]]) }
    #expect(throws: LayerError.self) {
        try Seq2SeqBatch(size: 1, sourceLength: 2, targetLength: 1, source: [4, 5], sourceLengths: [3], targetInput: [2], targetOutput: [3])
    }
    #expect(throws: LayerError.self) { try Seq2SeqModel(config: ModelConfig(sourceVocabulary: 10, targetVocabulary: 10, hidden: 0)) }
    let other = try Seq2SeqModel(config: ModelConfig(sourceVocabulary: 11, targetVocabulary: 13, embedding: 4, hidden: 4,
                                                     decoderHidden: 5, attentionSize: 6))
    let tensors = Dictionary(uniqueKeysWithValues: model.parameters.namedValues.map { ($0.name, $0.tensor) })
    do {
        try other.load(tensors)
        Issue.record("load with mismatched hidden size accepted")
    } catch {
        #expect(error.description.contains("enc.weight_ih_l0") || error.description.contains("enc.weight_hh_l0"))
        #expect(error.description.contains("[12, 4]") || error.description.contains("[16, 4]") || error.description.contains("missing"))
    }
}

@Test func bf16TrainingStepStaysCloseToFP32() throws {
    let batch = try smallBatch()
    var losses: [Double] = []
    var grads: [[Float]] = []
    for precision in [Precision.fp32, .bf16] {
        let model = try smallModel(.additive)
        model.precision = Precision.resolve(precision).0
        model.parameters.zeroGrad()
        var rng = PCG32(seed: 4)
        losses.append(try model.forwardBackward(batch, rng: &rng).meanLoss)
        grads.append(model.parameters["out.weight"]!.grad.array)
    }
    // bf16 keeps 8 bits of mantissa in the products: agreement to about 1 %, not 1e-4.
    #expect(abs(losses[0] - losses[1]) <= 0.01 * losses[0])
    if Precision.resolve(.bf16).0 == .bf16 { #expect(losses[0] != losses[1], "bf16 GEMMs were not used") }
    let scale = grads[0].map { abs($0) }.max()!
    #expect(zip(grads[0], grads[1]).allSatisfy { abs($0 - $1) <= 0.03 * scale })
}

@Test func flopCountOfTheBenchmarkSizes() {
    let small = ModelConfig(sourceVocabulary: 8000, targetVocabulary: 8000, embedding: 256, hidden: 256)
    // 26.16 GFLOP forward (output layer 20.97), ×3 for a training step.
    let f = Seq2SeqFlops.trainingStep(config: small, batch: 64, sourceLength: 20, targetLength: 20)
    #expect(abs(f / 1e9 - 78.48) < 0.01)
    let out = 2.0 * 64 * 20 * 1024 * 8000
    #expect(Seq2SeqFlops.forward(config: small, batch: 64, sourceLength: 20, targetLength: 20) > out)
}

/// A batch whose padded positions outnumber a 64-row quantum: the output layer projects only
/// the real rows (plus zero rows up to a multiple of 64), and loss and gradients still match the
/// step API and finite differences.
@Test func compactedOutputRowsKeepLossAndGradients() throws {
    var rng = PCG32(seed: 31)
    let lengths = (0..<24).map { $0 % 6 == 0 ? 8 : 1 + Int(rng.nextUInt32() % 4) }
    let sources = lengths.map { n in (0..<n).map { _ in Int32(4 + rng.nextUInt32() % 7) } }
    let targets = lengths.indices.map { i in (0..<(i == 0 ? 10 : i % 3)).map { _ in Int32(4 + rng.nextUInt32() % 9) } }
    let batch = try Seq2SeqBatch(sources: sources, targets: targets)
    let real = batch.targetTokenCount
    #expect((real + 63) / 64 * 64 < batch.size * batch.targetLength, "the test must exercise the compacted path")
    let model = try smallModel(.additive, layers: 1)
    func loss() -> Double {
        var r = PCG32(seed: 1)
        return (try? model.forwardBackward(batch, options: TrainingStepOptions(computeGradients: false), rng: &r).meanLoss) ?? .nan
    }
    model.parameters.zeroGrad()
    var r = PCG32(seed: 1)
    let result = try model.forwardBackward(batch, options: TrainingStepOptions(captureIntermediates: true), rng: &r)
    #expect(result.tokenCount == real)
    // Logits of real positions equal the step API's; padded positions were never projected.
    let source = try model.encode(source: batch.source, lengths: batch.sourceLengths, sourceLength: batch.sourceLength)
    let B = batch.size, T = batch.targetLength, V = model.config.targetVocabulary
    let decoder = Seq2SeqDecoder(model: model)
    decoder.begin(source)
    let logits = try #require(result.intermediates).logits
    for t in 0..<T {
        decoder.step(previous: (0..<B).map { batch.targetInput[$0 * T + t] })
        for b in 0..<B {
            let isReal = batch.targetOutput[b * T + t] != SpecialTokens.pad
            for v in 0..<V {
                let x = logits[(b * T + t) * V + v]
                #expect(isReal ? abs(x - decoder.logits[b, v]) <= 1e-5 : x.isNaN)
            }
        }
    }
    var check = GradientCheck()
    check.samples = 6
    var pick = PCG32(seed: 2)
    for name in ["out.weight", "out.bias", "cell.weight_ih", "att_q.weight", "enc.weight_hh_l0_reverse", "tgt_emb.weight"] {
        let p = try #require(model.parameters[name])
        check.check(p, rng: &pick, loss: loss)
    }
}
