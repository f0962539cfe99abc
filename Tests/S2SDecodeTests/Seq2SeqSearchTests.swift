import Foundation
import S2SFixtureCheck
import Testing
import S2SModel
import S2SNumerics
@testable import S2SDecode

/// The PyTorch reference fixtures (MODEL.md) carry a `greedy` field: the reference's greedy
/// decode of the fixture batch (at most 8 tokens, never `<pad>`/`<s>`, stop at `</s>`).
/// The fixtures' greedy setting: at most 8 output tokens, whatever the source length.
func fixtureGreedyOptions() -> DecodeOptions {
    var options = DecodeOptions()
    options.maxLengthCap = 8
    options.maxLengthRatio = 100
    return options
}

func fixtureURLs() -> [URL] {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("S2SModelTests/Fixtures")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return files.filter { $0.hasSuffix(".json") }.sorted().map { dir.appendingPathComponent($0) }
}

func loadModel(_ url: URL) throws -> (Seq2SeqModel, [[Int32]], [[Int32]]?) {
    let fixture = try Seq2SeqFixture.load(path: url.path)
    let model = try Seq2SeqModel(config: try fixture.modelConfig())
    try model.load(fixture.parameterTensors())
    let sources = zip(fixture.batch.src, fixture.batch.src_lengths).map { Array($0.prefix(Int($1))) }
    return (model, sources, fixture.greedy)
}

@Test func fixturesArePresent() {
    #expect(fixtureURLs().count >= 2)
}

@Test(arguments: fixtureURLs())
func greedyReproducesTheReference(url: URL) throws {
    let (model, sources, expected) = try loadModel(url)
    var options = fixtureGreedyOptions()
    let out = try GreedySearch(options: options).decode(Seq2SeqStepModel(model: model), sources: sources)
    if let expected { #expect(out.map(\.tokens) == expected, "\(url.lastPathComponent)") }
    // Beam search with K = 1 takes the same path.
    options.beamSize = 1
    let beam = try BeamSearch(options: options).decode(Seq2SeqStepModel(model: model), sources: sources)
    #expect(beam.map { $0[0].tokens } == out.map(\.tokens))
}

@Test(arguments: fixtureURLs())
func batchedBeamEqualsOneSentenceAtATime(url: URL) throws {
    let (model, sources, _) = try loadModel(url)
    var options = DecodeOptions()
    options.beamSize = 3
    options.nBest = 3
    options.minLength = 2  // random fixture models love `</s>`; force some real search
    options.maxLengthCap = 6
    let stepModel = Seq2SeqStepModel(model: model)
    let batched = try BeamSearch(options: options).decode(stepModel, sources: sources)
    for (i, source) in sources.enumerated() {
        let single = try BeamSearch(options: options).decode(stepModel, sources: [source])[0]
        #expect(single.map(\.tokens) == batched[i].map(\.tokens))
        for (a, b) in zip(single, batched[i]) { #expect(abs(a.score - b.score) <= 1e-4 * max(1, abs(a.score))) }
    }
}
