import Foundation
import S2SBenchmarks
import Testing
import S2SLayers
@testable import S2STraining
import S2SEval

@Test func scheduledSamplingSchedulesFollowTheirFormulas() {
    #expect(ScheduledSampling.none.goldProbability(step: 10_000) == 1)
    let linear = ScheduledSampling.linear(k: 1, c: 0.001, minimum: 0.25)
    #expect(abs(linear.goldProbability(step: 100) - 0.9) < 1e-12)
    #expect(linear.goldProbability(step: 10_000) == 0.25)
    let exponential = ScheduledSampling.exponential(k: 0.999)
    #expect(abs(exponential.goldProbability(step: 1000) - pow(0.999, 1000)) < 1e-12)
    let sigmoid = ScheduledSampling.inverseSigmoid(k: 1000)
    #expect(abs(sigmoid.goldProbability(step: 0) - 1000.0 / 1001.0) < 1e-12)
    #expect(abs(sigmoid.goldProbability(step: 5000) - 1000 / (1000 + exp(5.0))) < 1e-12)
    // Decreasing in the step, and never outside [0, 1] even for huge steps.
    for s in [linear, exponential, sigmoid] {
        #expect(s.goldProbability(step: 10) >= s.goldProbability(step: 20_000))
        #expect((0...1).contains(s.goldProbability(step: Int.max / 2)))
    }
}

@Test func metricsWriterAppendsLinesTheReaderParses() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-metrics-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("metrics.jsonl").path
    let a = MetricsLogEntry.train(step: 10, epoch: 1, timeSeconds: 2.5, loss: 4.2, perplexity: exp(4.2),
                                  learningRate: 1e-3, tokensPerSecond: 9000, teacherForcingRatio: 0.99)
    let b = MetricsLogEntry.valid(step: 10, epoch: 1, timeSeconds: 3, loss: 4.0, perplexity: exp(4.0), bleu: 12.5)
    try MetricsWriter(path: path).append(a)
    try MetricsWriter(path: path).append(b)  // a second writer appends, never truncates
    let contents = try MetricsLogReader.read(path: path)
    #expect(contents.records == [a, b])
    #expect(contents.warnings.isEmpty)
}

/// The model options resolve into the configuration, and a combination the model cannot be
/// built with is refused at start with the flags named.
@Test func cellDepthAndAttentionOptionsResolveOrNameTheFlag() throws {
    var o = TrainingOverrides()
    o.encoderCell = .gated
    o.decoderCell = .lstm
    o.decoderLayers = 2
    o.layers = 2
    o.residual = true
    o.inputFeeding = false
    o.attention = .concat
    let resolved = try o.resolve(saved: nil)
    #expect(resolved.model.encoderCell == .gated && resolved.model.decoderCell == .lstm)
    #expect(resolved.model.decoderLayers == 2 && resolved.model.residual && !resolved.model.inputFeeding)
    #expect(resolved.summaryLines[0].contains("encoder gated×2, decoder lstm×2 no-input-feeding, residual"))

    func refusal(_ change: (inout TrainingOverrides) -> Void) -> String {
        var bad = TrainingOverrides()
        change(&bad)
        do {
            _ = try bad.resolve(saved: nil)
            return ""
        } catch {
            return error.description
        }
    }
    #expect(refusal { $0.attention = .dot }.contains("--attention dot"))
    #expect(refusal { $0.attention = .dot }.contains("--dec-hidden 512"))
    #expect(refusal { $0.decoderLayers = 0 }.contains("--dec-layers"))
    #expect(refusal { $0.residual = true }.contains("--residual"))
    #expect(refusal { $0.attention = .dot; $0.decoderHidden = 512 } == "")
    // int8 is a decoding precision (from a --config file as from the command line).
    #expect(refusal { $0.precision = .int8 }.contains("--precision int8 is for decoding"))
}

/// The vanishing-gradient experiment, small: at initialization the gradient that reaches the
/// first of 40 tokens is orders of magnitude smaller through the vanilla cell than through the
/// gated ones; over 5 tokens a GRU learns the recall.
@Test func longRangeRecallMeasuresVanishingGradients() {
    func run(_ cell: RecurrentCellKind, length: Int, steps: Int) -> LongRangeRecall.Result {
        var o = LongRangeRecall.Options(cell: cell, length: length)
        o.hidden = 16
        o.steps = steps
        o.evaluationSize = 128
        return LongRangeRecall(o).run()
    }
    func ratio(_ r: LongRangeRecall.Result) -> Double { r.initialGradientNorms.last! / r.initialGradientNorms.first! }
    let rnn = run(.rnn, length: 40, steps: 1), gated = run(.gated, length: 40, steps: 1)
    #expect(rnn.initialGradientNorms.count == 40)
    #expect(ratio(rnn) < 1e-6 && ratio(gated) > 100 * ratio(rnn), "rnn \(ratio(rnn)), gated \(ratio(gated))")
    let short = run(.gru, length: 5, steps: 300)
    #expect(short.accuracy > 0.9, "GRU over 5 tokens: accuracy \(short.accuracy)")
}
