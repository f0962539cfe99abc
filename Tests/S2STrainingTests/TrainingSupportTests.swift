import Foundation
import Testing
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
