import Testing
@testable import S2SText

/// The learner against subword-nmt 0.3.8's own output on Multi30k train.en.
@Suite struct BPELearnerTests {
    @Test(arguments: [500, 2000])
    func sameMergesAsSubwordNMT(merges: Int) throws {
        let counts = try Fixture.wordCounts("train.en.wordcounts")
        let learned = BPELearner.learn(counts: counts, merges: merges)
        let expected = try BPECodes.load(path: Fixture.path("train.en.codes\(merges)"))
        #expect(learned.merges.count == expected.merges.count)
        let firstDifference = zip(learned.merges, expected.merges).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "first difference at merge \(firstDifference?.offset ?? -1)")
        #expect(learned.serialized() == (try FileBytes.read(Fixture.path("train.en.codes\(merges)"))))
    }
}
