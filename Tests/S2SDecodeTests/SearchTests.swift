import S2SText
import Testing
import S2SNumerics
@testable import S2SDecode

// Token ids used by the scripted tables: 4…9 are words.
private let a: Int32 = 4, b: Int32 = 5, c: Int32 = 6, d: Int32 = 7
private let eos = SpecialTokens.eos

/// A short hypothesis `a </s>` (p = 0.5 · 0.9) against a long one `b c d </s>`
/// (p = 0.45 · 1 · 1 · 1): raw log-probability prefers the short one, a strong length
/// normalization the long one.
private let lengthTable: [[Int32]: [(Int32, Float)]] = [
    []: [(a, 0.5), (b, 0.45), (c, 0.05)],
    [a]: [(eos, 0.9), (d, 0.1)],
    [b]: [(c, 0.999)], [b, c]: [(d, 0.999)], [b, c, d]: [(eos, 0.999)],
]

@Test func beamWidthOneEqualsGreedy() throws {
    let model = ScriptedModel(vocabulary: 10, table: lengthTable, attention: [:], sourceLength: 3)
    var options = DecodeOptions()
    options.beamSize = 1
    let sources: [[Int32]] = [[4, 5, 6], [7, 8, 9]]
    let greedy = try GreedySearch(options: options).decode(model, sources: sources)
    let beam = try BeamSearch(options: options).decode(model, sources: sources)
    #expect(greedy.map(\.tokens) == beam.map { $0[0].tokens })
    #expect(greedy[0].tokens == [a])
}

@Test func lengthPenaltyChangesRankingAsTheFormulaSays() throws {
    let model = ScriptedModel(vocabulary: 10, table: lengthTable, attention: [:], sourceLength: 3)
    var options = DecodeOptions()
    options.beamSize = 3
    options.nBest = 3
    options.alpha = 0
    let plain = try BeamSearch(options: options).decode(model, sources: [[4, 5, 6]])[0]
    #expect(plain[0].tokens == [a])
    // α = 0: score = log p.  log(0.45) vs log(0.5 · 0.9)=log(0.45): equal within rounding, so check
    // the formula on the scores themselves rather than a tie.
    for h in plain { #expect(abs(h.score - h.logProb) < 1e-6) }

    options.alpha = 2
    let normalized = try BeamSearch(options: options).decode(model, sources: [[4, 5, 6]])[0]
    #expect(normalized[0].tokens == [b, c, d])
    let lp = { (n: Int) -> Float in powf((5 + Float(n)) / 6, 2) }
    for h in normalized where h.finished {
        #expect(abs(h.score - h.logProb / lp(h.tokens.count + 1)) < 1e-5)
    }
}

@Test func coveragePenaltyPrefersTheHypothesisThatCoversTheSource() throws {
    // Two equally likely two-token outputs: `a b` attends only to source word 0, `c d` spreads
    // its attention over all three source words.
    let table: [[Int32]: [(Int32, Float)]] = [
        []: [(a, 0.5), (c, 0.5)], [a]: [(b, 1)], [c]: [(d, 1)], [a, b]: [(eos, 1)], [c, d]: [(eos, 1)],
    ]
    let focused: [Float] = [1, 0, 0], spread: [Float] = [0.4, 0.3, 0.3]
    let attention: [[Int32]: [Float]] = [[a]: focused, [a, b]: focused, [c]: spread, [c, d]: spread]
    let model = ScriptedModel(vocabulary: 10, table: table, attention: attention, sourceLength: 3)
    var options = DecodeOptions()
    options.beamSize = 2
    options.nBest = 2
    options.alpha = 0
    options.beta = 0.2
    let hyps = try BeamSearch(options: options).decode(model, sources: [[4, 5, 6]])[0]
    #expect(hyps[0].tokens == [c, d])
    // Coverage of `c d </s>` per source word: the first step's attention is the uniform default.
    let uniform = Float(1) / 3
    let coverage = [uniform + 0.4 + 0.4, uniform + 0.3 + 0.3, uniform + 0.3 + 0.3]
    let expected = hyps[0].logProb + 0.2 * coverage.map { logf(min($0, 1)) }.reduce(0, +)
    #expect(abs(hyps[0].score - expected) < 1e-5)
}

@Test func nBestListsAreSortedAndDistinct() throws {
    let model = ScriptedModel(vocabulary: 10, table: lengthTable, attention: [:], sourceLength: 3)
    var options = DecodeOptions()
    options.beamSize = 4
    options.nBest = 4
    let lists = try BeamSearch(options: options).decode(model, sources: [[4, 5, 6], [4], [9, 9]])
    for list in lists {
        #expect(list.count > 1)
        #expect(zip(list, list.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(Set(list.map(\.tokens)).count == list.count)
    }
}

@Test func lengthLimitCutsUnfinishedOutput() throws {
    // A model that never ends: `a a a …`.
    var table: [[Int32]: [(Int32, Float)]] = [:]
    var prefix: [Int32] = []
    for _ in 0..<40 { table[prefix] = [(a, 0.9), (eos, 0.1)]; prefix.append(a) }
    let model = ScriptedModel(vocabulary: 10, table: table, attention: [:], sourceLength: 2)
    var options = DecodeOptions()
    options.maxLengthRatio = 1
    options.maxLengthExtra = 2
    options.minLength = 3
    let greedy = try GreedySearch(options: options).decode(model, sources: [[4, 5]])
    #expect(greedy[0].tokens.count == 4)
    #expect(!greedy[0].finished)
}

@Test func samplingIsSeededAndRespectsTopK() throws {
    let model = ScriptedModel(vocabulary: 10, table: lengthTable, attention: [:], sourceLength: 3)
    var options = DecodeOptions()
    options.seed = 11
    options.topK = 1
    let sources = [[Int32]](repeating: [4, 5, 6], count: 20)
    let top1 = try SamplingSearch(options: options).decode(model, sources: sources)
    #expect(top1.allSatisfy { $0.tokens == [a] })
    options.topK = 0
    let first = try SamplingSearch(options: options).decode(model, sources: sources).map(\.tokens)
    let second = try SamplingSearch(options: options).decode(model, sources: sources).map(\.tokens)
    #expect(first == second)
    #expect(Set(first).count > 1)
}

@Test func unknownWordsAreReplacedByTheMostAttendedSourceToken() throws {
    let h = Hypothesis(tokens: [1, 4], logProb: 0, score: 0, attention: [[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]], finished: true)
    let out = UnknownWordReplacement.apply(output: ["<unk>", "Hund"], hypothesis: h, sourceTokens: ["the", "Zürich", "dog"])
    #expect(out == ["Zürich", "Hund"])
}

#if canImport(Glibc)
import Glibc
#endif
