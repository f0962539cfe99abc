import Testing
@testable import S2SEval

/// The default BLEU tokenizer follows the target language (sacrebleu's advice; no MeCab here).
@Suite struct TokenizerChoiceTests {
    @Test(arguments: [
        ("zh", BLEUTokenizer.zh), ("zh-Hant", .zh), ("cmn", .zh), ("ja", .char), ("JA_jp", .char), ("jpn", .char),
        ("ko", .char), ("th", .char), ("lo", .char), ("km", .char), ("my", .char),
        ("en", .thirteenA), ("de", .thirteenA), ("fr", .thirteenA), ("ru", .thirteenA), ("", .thirteenA),
    ])
    func languageCode(_ code: String, _ want: BLEUTokenizer) {
        #expect(TokenizerChoice.forLanguage(code).tokenizer == want, "\(code)")
    }

    /// The fixture references, whose language is not given: the dominant script decides.
    @Test(arguments: [
        ("ja.ref", BLEUTokenizer.char, "Jpan"), ("zh.ref", .zh, "Hani"), ("th.ref", .char, "Thai"),
        ("ko.ref", .char, "Hang"), ("ja.en", .thirteenA, "Latn"), ("mixed.ref", .char, "Jpan"),
    ])
    func referenceScript(_ file: String, _ want: BLEUTokenizer, _ script: String) throws {
        let choice = TokenizerChoice.forText(try Fixtures.lines("languages/\(file)"))
        #expect(choice.tokenizer == want, "\(file): \(choice)")
        #expect(choice.reason.contains(script), "\(file): \(choice.reason)")
    }

    @Test func japaneseWithMoreKanjiThanKanaIsStillJapanese() {
        // 8 Han letters, 1 kana: still Japanese (kana ≥ 5% of the two).
        #expect(ScriptCensus(["東京大学経済学部卒業の人"]).language == "ja")
        #expect(ScriptCensus(["我是澳大利亚人。"]).language == "zh")
    }

    @Test func noLettersMeans13a() {
        let choice = TokenizerChoice.forText(["123 !?", "", "   "])
        #expect(choice.tokenizer == .thirteenA)
        #expect(choice.reason == "no letters in the reference")
    }

    @Test func unknownAndUnavailableNamesListTheAvailableOnes() throws {
        #expect(throws: BLEUTokenizerError.unknown("spm")) { try BLEUTokenizer.named("spm") }
        #expect(throws: BLEUTokenizerError.unavailable(.jaMecab)) { try BLEUTokenizer.named("ja-mecab") }
        #expect(throws: BLEUTokenizerError.unavailable(.koMecab)) { try BLEUTokenizer.named("ko-mecab") }
        #expect(BLEUTokenizerError.unknown("spm").description == "unknown BLEU tokenizer 'spm'; available: 13a, intl, zh, char, none")
        #expect(try BLEUTokenizer.named("intl") == .intl)
    }

    /// A reference in one script and hypotheses in another score low and never fail, for every
    /// tokenizer (the values themselves are checked against sacrebleu in TokenizerFixtureTests).
    @Test(arguments: BLEUTokenizer.available)
    func mixedScriptsScoreLow(_ tokenizer: BLEUTokenizer) throws {
        let score = try BLEU(tokenizer: tokenizer).corpusScore(
            hypotheses: ["He came.", "", "谁跑了？"], references: ["彼は来た。", "私は疲れた。", "誰が走ったの？"])
        #expect(score.score < 10)
    }
}
