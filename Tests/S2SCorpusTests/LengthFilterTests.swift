import Testing
@testable import S2SCorpus

/// `--max-len`/`--max-ratio` in words count ICU word segments, so Japanese is not one "word".
@Suite struct LengthFilterTests {
    static func words(_ line: String, _ language: String) throws -> Int {
        let lengths = try PairLength(unit: .words, sourceLanguage: language, targetLanguage: language)
        return TextBytes.withBytes(line) { lengths.measure(source: $0, target: $0).0 }
    }

    @Test func englishCountsAsWhitespaceWordsWithoutPunctuation() throws {
        #expect(try Self.words("Don't lie.", "en") == 2)
        // Whitespace gives 7: the dash is a "word" there.
        #expect(try Self.words("He came, and then — he left!", "en") == 6)
        #expect(try Self.words("", "en") == 0)
        #expect(try Self.words("。！", "ja") == 0)
    }

    @Test func japaneseIsSegmentedIntoSeveralWords() throws {
        let n = try Self.words("トムは庭で友達にフランス語を話した。", "ja")
        // Whitespace sees one word; ICU's dictionary gives about one per morpheme.
        #expect(n >= 6 && n <= 14, "\(n)")
        #expect(try Self.words("彼は来た。", "ja") >= 3)
    }

    @Test func ratioFilterKeepsLongEnglishJapanesePairs() throws {
        let dir = TempDir()
        let store = try dir.store()
        let tsv = dir.write("ej.tsv", """
            Tom spoke French to his friends in the garden.\tトムは庭で友達にフランス語を話した。
            I have a lot of work to do today.\t今日はするべき仕事がたくさんあります。
            Yes.\tはい、そうです、私はこの町でずっと前から毎日この店で働いています。

            """)
        let report = try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(
            corpus: "ej", sourceLanguage: "en", targetLanguage: "ja", maxRatio: 3))
        // Whitespace words would have dropped the first two (9 and 9 against 1).
        #expect(report.imported == 2 && report.badRatio == 1)
        #expect(try store.count(corpus: "ej") == 2)
    }

    @Test func lengthFilterSeesLongJapaneseLines() throws {
        let dir = TempDir()
        let store = try dir.store()
        let tsv = dir.write("long.tsv", "Yes.\tはい。\nMany words.\tはい、そうです、私はこの町でずっと前から毎日この店で働いています。\n")
        let report = try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(
            corpus: "l", sourceLanguage: "en", targetLanguage: "ja", maxLength: 8))
        #expect(report.imported == 1 && report.tooLong == 1)
    }
}
