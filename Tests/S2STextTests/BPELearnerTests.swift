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

/// Learner and applier against subword-nmt on inputs that take its odd paths: words holding
/// non-breaking spaces (regex merges), long unsegmented Japanese words, Python line breaks.
@Suite struct SubwordNMTQuirkTests {
    /// The committed sample's column `column` (the fixtures do not duplicate it).
    static func column(_ file: String, _ column: Int) throws -> String {
        try Fixture.text("corpus-sample/\(file)").split(separator: "\n").map {
            String($0.split(separator: "\t", omittingEmptySubsequences: false)[column])
        }.joined(separator: "\n") + "\n"
    }

    static let cases: [(name: String, merges: Int)] = [("fra.fr", 400), ("jpn.ja", 300), ("quirks", 200), ("regex", 200)]

    static func input(_ name: String) throws -> String {
        switch name {
        case "fra.fr": try column("tatoeba.fra.txt", 1)
        case "jpn.ja": try column("tatoeba.jpn.txt", 1)
        default: try Fixture.text("subword-nmt-extra/\(name).txt")
        }
    }

    @Test(arguments: cases.map(\.name))
    func sameMergesAndSegmentation(name: String) throws {
        let merges = Self.cases.first { $0.name == name }!.merges
        let prefix = "subword-nmt-extra/\(name)"
        let text = try Self.input(name)
        var counts: [ExactString: Int] = [:]
        WhitespaceWords.count(text, into: &counts)
        let learned = BPELearner.learn(counts: counts, merges: merges)
        let expectedCodes = try FileBytes.read(Fixture.path("\(prefix).codes\(merges)"))
        let expectedMerges = try BPECodes.parse(expectedCodes, file: name).merges
        let firstDifference = zip(learned.merges, expectedMerges).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "first difference at merge \(firstDifference?.offset ?? -1)")
        #expect(learned.merges.count == expectedMerges.count)
        #expect(learned.serialized() == expectedCodes, "byte-identical codes file")

        let bpe = BPE(codes: try BPECodes.parse(expectedCodes, file: name))
        var out = ""
        for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            out += bpe.applyLine(String(decoding: line, as: UTF8.self)) + "\n"
        }
        let expected = try Fixture.text("\(prefix).bpe\(merges)")
        #expect(out == expected)
        if out != expected {
            let a = out.split(separator: "\n", omittingEmptySubsequences: false)
            let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
            if let k = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record("first differing output line \(k + 1): \(a[k].debugDescription) vs \(b[k].debugDescription)")
            }
        }
    }

    @Test func pythonLineSplitting() {
        var counts: [ExactString: Int] = [:]
        WhitespaceWords.count("a b\u{85}c\u{2028}d\r\ne\u{0B}f\n  g  \n\n", into: &counts)
        // The break stays on its line and is not stripped: "b\u{85}" and "c\u{2028}" are words.
        #expect(counts == ["a": 1, "b\u{85}": 1, "c\u{2028}": 1, "d": 1, "e\u{0B}": 1, "f": 1, "g": 1])
    }

    @Test func canonicallyEquivalentSpellingsStayApart() {
        // Python compares code points: "é" (U+00E9) and "e" + U+0301 are different words and symbols.
        let counts: [ExactString: Int] = [ExactString("caf\u{E9}"): 5, ExactString("cafe\u{301}"): 4]
        #expect(counts.count == 2)
        let codes = BPELearner.learn(counts: counts, merges: 10)
        let bpe = BPE(codes: codes)
        #expect(bpe.segment("caf\u{E9}").joined().unicodeScalars.elementsEqual("caf\u{E9}".unicodeScalars))
        #expect(bpe.segment("cafe\u{301}").joined().unicodeScalars.elementsEqual("cafe\u{301}".unicodeScalars))
        #expect(codes.merges.contains(BPEMerge("e", "\u{301}</w>")))
    }
}
