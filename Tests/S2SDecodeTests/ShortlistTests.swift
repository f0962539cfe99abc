import Foundation
import Testing
import S2SModel
import S2SNumerics
@testable import S2SDecode

/// The vocabulary shortlist: the table it learns, the file it writes, and that decoding with it
/// is decoding over the candidates (the full search whenever the candidates hold its choices).
struct ShortlistTests {
    /// A corpus small enough to count by hand. Pairs (source ids → target ids):
    /// [10 11] → [20 21], [10] → [20 22], [11 11] → [21], [12] → [23 20].
    /// c(t): 20:3, 21:2, 22:1, 23:1 → with frequent = 1, token 20 is always a candidate.
    /// c(10, ·): 20:2 21:1 22:1 → list [21 22] (20 excluded; tie 21/22 → lower id first).
    /// c(11, ·): counted once per pair although 11 repeats: 20:1 21:2 → [21].
    /// c(12, ·): 23:1 20:1 → [23].
    private let pairs: [(source: [Int32], target: [Int32])] = [([10, 11], [20, 21]), ([10], [20, 22]), ([11, 11], [21]), ([12], [23, 20])]

    @Test func learnsConditionalCountsBeyondTheFrequentTokens() {
        let s = Shortlist.learn(pairs: pairs, sourceVocabulary: 13, targetVocabulary: 24, frequent: 1, perSource: 5, always: [3, 1])
        #expect(s.frequent == [20])
        #expect(s.always == [1, 3])
        #expect(s.lists[10] == [21, 22] && s.lists[11] == [21] && s.lists[12] == [23])
        #expect(s.lists[0].isEmpty && s.lists.count == 13)
        let capped = Shortlist.learn(pairs: pairs, sourceVocabulary: 13, targetVocabulary: 24, frequent: 1, perSource: 1, always: [])
        #expect(capped.lists[10] == [21])
        #expect(s.candidates(for: [[10], [12, 99]]) == [1, 3, 20, 21, 22, 23])
        #expect(s.candidates(for: [[0]]) == [1, 3, 20])
    }

    @Test func fileRoundTripsAndRefusesWhatDoesNotFit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-shortlist-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = Shortlist.learn(pairs: pairs, sourceVocabulary: 13, targetVocabulary: 24, frequent: 1, perSource: 5, always: [3, 1])
        let path = dir + "/shortlist.txt"
        try s.write(to: path)
        #expect(try Shortlist.read(path: path, sourceVocabulary: 13, targetVocabulary: 24) == s)
        #expect(throws: ShortlistError(path, line: 1, "made for another vocabulary: 's2s-shortlist 1 source-vocabulary=13 target-vocabulary=24', "
                                       + "the model needs 's2s-shortlist 1 source-vocabulary=13 target-vocabulary=30'")) {
            try Shortlist.read(path: path, sourceVocabulary: 13, targetVocabulary: 30)
        }
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += "12\t23 24\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let lines = text.split(separator: "\n").count
        #expect(throws: ShortlistError(path, line: lines, "'24' is not a token id below 24")) {
            try Shortlist.read(path: path, sourceVocabulary: 13, targetVocabulary: 24)
        }
        #expect(throws: ShortlistError(dir + "/none", "cannot read (no such file, or not readable)")) {
            try Shortlist.read(path: dir + "/none", sourceVocabulary: 13, targetVocabulary: 24)
        }
    }

    /// Restricted logits equal the full ones on the candidates and are −∞ elsewhere.
    @Test(arguments: fixtureURLs())
    func restrictedLogitsAreTheFullOnesOnTheCandidates(url: URL) throws {
        let (model, sources, _) = try loadModel(url)
        let V = model.config.targetVocabulary
        let candidates = (0..<Int32(V)).filter { $0 % 3 != 1 }
        let full = Seq2SeqDecoder(model: model), cut = Seq2SeqDecoder(model: model)
        let encoded = try model.encode(sources: sources)
        full.begin(encoded); cut.begin(encoded)
        cut.restrictOutput(to: candidates)
        #expect(cut.outputCandidates == candidates)
        let previous = [Int32](repeating: 2, count: sources.count)
        previous.withUnsafeBufferPointer { full.step(previous: $0); cut.step(previous: $0) }
        for r in 0..<sources.count {
            for v in 0..<V {
                let a = full.logits[r, v], b = cut.logits[r, v]
                if v % 3 == 1 { #expect(b == -.infinity) } else { #expect(abs(a - b) <= 1e-4 * max(1, abs(a)), "row \(r) token \(v)") }
            }
        }
    }

    /// A shortlist that holds every token the full search emits (and `</s>`) changes nothing:
    /// the argmax over a subset containing the argmax is the same.
    @Test(arguments: fixtureURLs())
    func greedyWithAShortlistHoldingItsChoicesIsUnchanged(url: URL) throws {
        let (model, sources, _) = try loadModel(url)
        let options = fixtureGreedyOptions()
        let plain = try GreedySearch(options: options).decode(Seq2SeqStepModel(model: model), sources: sources)
        let used = Set(plain.flatMap(\.tokens)).union([3])
        let V = Int32(model.config.targetVocabulary)
        let lists = (0..<model.config.sourceVocabulary).map { _ in Array(used).sorted() }
        let shortlist = Shortlist(targetVocabulary: Int(V), frequent: [], lists: lists, always: [3])
        #expect(shortlist.candidates(for: sources).count < Int(V), "the fixture's search uses the whole vocabulary")
        let cut = try GreedySearch(options: options).decode(Seq2SeqStepModel(model: model, shortlist: shortlist), sources: sources)
        #expect(cut.map(\.tokens) == plain.map(\.tokens))
        // And a shortlist without those tokens can never emit them.
        let others = (0..<V).filter { !used.contains($0) || $0 == 3 }
        let excluding = Shortlist(targetVocabulary: Int(V), frequent: others, lists: [], always: [3])
        let forced = try GreedySearch(options: options).decode(Seq2SeqStepModel(model: model, shortlist: excluding), sources: sources)
        for h in forced { #expect(h.tokens.allSatisfy { !used.contains($0) || $0 == 3 }) }
    }
}
