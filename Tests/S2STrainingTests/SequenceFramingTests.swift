import Testing
import S2SModel

/// The framing convention the trainer and the translator share.
@Suite struct SequenceFramingTests {
    @Test func sourcesEndWithEOSAndRespectTheCap() {
        #expect(SequenceFraming.source([7, 8, 9]) == [7, 8, 9, 3])
        #expect(SequenceFraming.source([]) == [3])
        #expect(SequenceFraming.source([7, 8, 9, 10], maxLength: 3) == [7, 8, 3])
        #expect(SequenceFraming.source([7, 8], maxLength: 1) == [3])
        #expect(SequenceFraming.targetInput([5, 6]) == [2, 5, 6])
        #expect(SequenceFraming.targetOutput([5, 6]) == [5, 6, 3])
    }

    @Test func batchesFrameBothSidesOnce() throws {
        let b = try SequenceFraming.batch(sources: [[4, 5], [6]], targets: [[7], [8, 9, 10]])
        #expect(b.sourceLength == 3 && b.source == [4, 5, 3, 6, 3, 0])
        #expect(b.sourceLengths == [3, 2])
        #expect(b.targetLength == 4)
        #expect(b.targetInput == [2, 7, 0, 0, 2, 8, 9, 10])
        #expect(b.targetOutput == [7, 3, 0, 0, 8, 9, 10, 3])
        let capped = try SequenceFraming.batch(sources: [[4, 5, 6, 7]], targets: [[7, 8, 9, 10]], maxSourceLength: 2,
                                               maxTargetLength: 3)
        #expect(capped.source == [4, 3] && capped.targetOutput == [7, 8, 3])
    }

    @Test func decodedOutputsLoseTheirFraming() {
        #expect(SequenceFraming.stripTarget([2, 5, 6, 3, 7]) == [5, 6])
        #expect(SequenceFraming.stripTarget([5, 6, 0, 0]) == [5, 6])
        #expect(SequenceFraming.stripTarget([5, 6]) == [5, 6])
    }
}
