import Foundation
import Testing
@testable import S2SText

/// `subword-nmt-options/cases.json` (scripts/make_parity_fixtures.py): learn-bpe and apply-bpe
/// run through subword-nmt 0.3.8's own command line for every option, its test vectors, and
/// the corner cases of issue 21, against the s2s library doing what `s2s vocab learn-bpe` and
/// `s2s tokenize --whitespace` do.
@Suite struct SubwordNMTOptionTests {
    struct Learn: Decodable {
        let name: String
        let input: String
        let dict_input: Bool
        let total_symbols: Bool
        let symbols: Int
        let min_frequency: Int
        let codes: String
    }
    struct ApplyOptions: Decodable {
        let glossaries: [String]
        let vocabulary: String?
        let vocabulary_threshold: Int?
        let separator: String
    }
    struct Apply: Decodable {
        let name: String
        let codes: String
        let input: String
        let options: ApplyOptions
        let output: String
    }
    struct Glossary: Decodable {
        let glossaries: [String]
        let word: String
        let segments: [String]
    }
    struct Expected: Decodable {
        let subword_nmt_version: String
        let learn: [Learn]
        let apply: [Apply]
        let glossaries: [Glossary]
    }

    static let expected: Expected? = {
        guard let data = try? FileBytes.read(Fixture.path("subword-nmt-options/cases.json")) else { return nil }
        return try? JSONDecoder().decode(Expected.self, from: Data(data))
    }()

    /// `text` as a scratch file (the readers under test take paths).
    static func scratchFile(_ text: String, _ name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: Fixture.scratch, withIntermediateDirectories: true)
        let path = "\(Fixture.scratch)/\(name)-\(UUID().uuidString)"
        try AtomicFile.write(Array(text.utf8), to: path)
        return path
    }

    @Test func learnBPEEveryOption() throws {
        let e = try #require(Self.expected)
        #expect(e.subword_nmt_version == "0.3.8" && e.learn.count >= 10)
        for c in e.learn {
            let path = try Self.scratchFile(c.input, "learn")
            var counts: [ExactString: Int] = [:]
            if c.dict_input {
                counts = try WordCountFile.counts(path: path)
            } else {
                let reader = try LineReader(path: path)
                while let line = try reader.next() { WhitespaceWords.count(line, into: &counts) }
            }
            var merges = c.symbols
            if c.total_symbols {
                let r = BPELearner.characterSymbols(in: counts.keys.map(\.string))
                merges -= r.internal + r.final
            }
            let codes = BPELearner.learn(counts: counts, merges: merges, minFrequency: c.min_frequency)
            let got = String(decoding: codes.serialized(), as: UTF8.self)
            #expect(got == c.codes, "\(c.name)")
        }
    }

    @Test func applyBPEEveryOptionWithLineEndsCarried() throws {
        let e = try #require(Self.expected)
        for c in e.apply {
            let bpe = BPE(codes: try BPECodes.parse(Array(c.codes.utf8), file: c.name))
            let vocabulary = try c.options.vocabulary.map {
                try WordCountFile.vocabulary(path: try Self.scratchFile($0, "vocab"), threshold: c.options.vocabulary_threshold)
            }
            let words = try SubwordNMTSegmenter(bpe: bpe, separator: c.options.separator, glossaries: c.options.glossaries,
                                                vocabulary: vocabulary)
            // What `s2s tokenize --whitespace` does: each line's end is written only if it had one.
            let reader = try LineReader(path: try Self.scratchFile(c.input, "apply"))
            var out = ""
            while let line = try reader.next() {
                out += bpe.applyLine(line, separator: c.options.separator) { words.segment($0) }
                if reader.lastLineTerminated { out += "\n" }
            }
            #expect(out == c.output, "\(c.name)")
        }
    }

    @Test func subwordNMTGlossaryVectors() throws {
        let e = try #require(Self.expected)
        let bpe = BPE(codes: BPECodes(merges: [BPEMerge("a", "b")]))
        for g in e.glossaries {
            let words = try SubwordNMTSegmenter(bpe: bpe, glossaries: g.glossaries)
            #expect(words.isolateGlossaries(g.word) == g.segments, "\(g.glossaries) on \(g.word)")
        }
    }

    @Test func badInputNamesTheFileLineOrOption() throws {
        let path = try Self.scratchFile("the 3\nbad line here\n", "dict")
        let error = #expect(throws: TextError.self) { try WordCountFile.counts(path: path) }
        #expect(error?.description.hasPrefix("\(path):2: ") == true, "\(String(describing: error))")
        let bpe = BPE(codes: BPECodes(merges: []))
        #expect(throws: TextError.self) { try SubwordNMTSegmenter(bpe: bpe, glossaries: ["(unclosed"]) }
    }
}
