import Testing
@testable import S2SText

/// Normalization, segmentation and marking on hand-picked cases.
@Suite struct TokenizerTests {
    let en: Tokenizer

    init() throws { en = try Tokenizer(TokenizerSettings(language: "en")) }

    /// Tokenizes and checks the round trip on the way.
    func tokens(_ text: String, _ tokenizer: Tokenizer? = nil) throws -> [String] {
        let t = tokenizer ?? en
        let pieces = try t.tokenize(text)
        #expect(Detokenizer.detokenize(pieces) == (try t.normalize(text)), "round trip of \(text.debugDescription)")
        return pieces
    }

    @Test func wordsPunctuationAndMarkers() throws {
        #expect(try tokens("Hello, world! It's 3.5 km.") == ["▁Hello", ",", "▁world", "!", "▁It's", "▁3.5", "▁km", "."])
        #expect(try tokens("(a) \"b\"") == ["▁(", "a", ")", "▁\"", "b", "\""])
        #expect(try tokens("") == [])
        #expect(try tokens(" \t ") == [])
    }

    @Test func whitespaceOfEveryKindFoldsToOneSpace() throws {
        let text = "  a\u{00A0}b\u{202F}c\u{3000}d\te\u{2028}f\u{2009}g\r\n  h  "
        #expect(try en.normalize(text) == "a b c d e f g h")
        let none = try Tokenizer(TokenizerSettings(language: "fr", normalization: .none))
        #expect(try none.normalize("Va\u{202F}!\u{00A0}?") == "Va ! ?")
        #expect(try tokens("Va\u{202F}!", none) == ["▁Va", "▁!"])
    }

    @Test func controlsAndZeroWidthCharactersAreRemoved() throws {
        #expect(try en.normalize("a\u{200B}b\u{00AD}c\u{FEFF}d\u{200E}e\u{0000}f\u{0007}g\u{200C}h\u{2060}i") == "abcdefghi")
        #expect(try en.normalize("a\u{200D}b") == "ab", "a joiner outside an emoji sequence goes")
        #expect(try en.normalize("\u{FEFF}Byte order mark") == "Byte order mark")
    }

    @Test func emojiSequencesStayOneToken() throws {
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦"
        let thumbs = "👍🏽"
        let scientist = "👩🏿\u{200D}🔬"
        let heart = "❤\u{FE0F}"
        let england = "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}"
        let text = "ok \(family) \(thumbs)\(scientist) \(heart) \(england) 🇩🇪🇫🇷 1\u{FE0F}\u{20E3}"
        #expect(try en.normalize(text) == text, "joiners, modifiers, selectors and tags survive")
        #expect(try tokens(text) == ["▁ok", "▁" + family, "▁" + thumbs, scientist, "▁" + heart, "▁" + england,
                                     "▁🇩🇪", "🇫🇷", "▁1\u{FE0F}\u{20E3}"])
    }

    @Test func combiningMarks() throws {
        #expect(try tokens("Cafe\u{0301} žluťoučký") == ["▁Café", "▁žluťoučký"], "NFKC composes")
        let none = try Tokenizer(TokenizerSettings(language: "en", normalization: .none))
        #expect(try tokens("Cafe\u{0301}", none) == ["▁Cafe\u{0301}"], "a mark stays with its letter")
        // NFKC turns U+00A8 DIAERESIS into space + combining diaeresis: the mark then follows a space.
        let pieces = try tokens("a\u{00A8}b")
        #expect(Detokenizer.detokenize(pieces) == "a \u{0308}b")
        #expect(try tokens("x \u{0301}") == ["▁x", "▁\u{0301}"])
    }

    @Test func compatibilityFormsAndCaseFolding() throws {
        #expect(try en.normalize("ﬁne ＡＢＣ①") == "fine ABC1")
        let nfc = try Tokenizer(TokenizerSettings(language: "en", normalization: .nfc))
        #expect(try nfc.normalize("ﬁne ＡＢＣ") == "ﬁne ＡＢＣ")
        let lower = try Tokenizer(TokenizerSettings(language: "de", lowercase: true))
        #expect(try lower.normalize("Straße İSTANBUL ΣΊΣΥΦΟΣ Ǆ") == "strasse i\u{0307}stanbul σίσυφοσ d\u{017E}")
        #expect(try tokens("Die STRASSE.", lower) == ["▁die", "▁strasse", "."])
    }

    @Test func markerAndEscapeCharactersRoundTrip() throws {
        let text = "a▁b \\ ▁ c\\▁ \\\\"
        let pieces = try tokens(text)
        #expect(pieces.contains("\\▁") && pieces.contains("▁\\\\"))
        #expect(Detokenizer.detokenize(pieces) == text)
        #expect(Detokenizer.detokenize(["▁", "▁the", "▁▁cat", "\\"]) == "the cat\\", "odd model output still prints cleanly")
    }

    @Test func japaneseChineseAndThaiUseDictionaries() throws {
        let ja = try Tokenizer(TokenizerSettings(language: "ja"))
        #expect(try tokens("私は東京に住んでいます。", ja) == ["▁私", "は", "東京", "に", "住", "んで", "い", "ます", "。"])
        let zh = try Tokenizer(TokenizerSettings(language: "zh"))
        #expect(try tokens("我喜欢学习中文。", zh) == ["▁我", "喜欢", "学习", "中文", "。"])
        let th = try Tokenizer(TokenizerSettings(language: "th"))
        #expect(try tokens("ภาษาไทยง่ายนิดเดียว", th) == ["▁ภาษา", "ไทย", "ง่าย", "นิด", "เดียว"])
        // NFKC maps full-width ？！ to ASCII; the ideographic space becomes a space.
        #expect(try ja.normalize("本当？\u{3000}はい！") == "本当? はい!")
    }

    @Test func badSettingsAreRejected() {
        #expect(throws: TextError.self) { try Tokenizer(TokenizerSettings(language: "")) }
        #expect(throws: TextError.self) { try Tokenizer(TokenizerSettings(language: "en;rm -rf")) }
        #expect(throws: Never.self) { try Tokenizer(TokenizerSettings(language: "pt-BR")) }
        #expect(throws: Never.self) { try Tokenizer(TokenizerSettings(language: "zh_Hant")) }
    }

    /// A quadratic step anywhere would take hours on these; the time limit turns that into a failure.
    @Test(.timeLimit(.minutes(1)))
    func megabyteLinesTokenizeInLinearTime() throws {
        let words = String(repeating: "The quick brown fox, jumps! ", count: 40_000)       // ≈ 1.1 MB
        let letters = String(repeating: "a", count: 1 << 20)                                 // one 1 MiB token
        let japanese = String(repeating: "私は東京に住んでいます。", count: 30_000)           // ≈ 1 MB, dictionary path
        let ja = try Tokenizer(TokenizerSettings(language: "ja"))
        #expect(try tokens(words).count == 7 * 40_000)
        #expect(try tokens(letters) == ["▁" + letters])
        #expect(try tokens(japanese, ja).count >= 9 * 30_000)
        let bpe = BPE(codes: try BPECodes.load(path: Fixture.path("train.en.codes2000")))
        let long = String(repeating: "abracadabra", count: 100_000)                          // one 1.1 MB word
        let pieces = bpe.segment(long)
        #expect(pieces.joined() == long && pieces.count < 1_100_000 / 2)
    }
}

/// The chunk cache against ICU on whole lines, on random text built to hit the rules that
/// look past a character: letters and digits around . ' , : ; _, marks after spaces, Hebrew
/// with quotes, Katakana, kana/kanji runs, Thai, emoji sequences, regional indicators.
@Test func chunkCacheMatchesWholeLineBreaking() throws {
    let alphabet: [String] = ["a", "Z", "é", "1", "9", ".", "'", ",", ":", ";", "_", "-", "\"", " ", " ", " ",
                              "\u{0301}", "\u{0308}", "א", "ב", "\u{05F4}", "カ", "ー", "日", "本", "の", "ก", "า",
                              "👍", "🏽", "\u{200D}", "❤", "\u{FE0F}", "🇩", "🇪", "\u{00A0}", "\u{200B}", "ß", "İ", "٣"]
    var rng = SplitMix(seed: 2024)
    for language in ["en", "fr", "he", "ja", "th", "sv", "fi"] {
        let cached = try Tokenizer(TokenizerSettings(language: language))
        let reference = try Tokenizer(TokenizerSettings(language: language))
        reference.cachesChunks = false
        for _ in 0..<3000 {
            let length = 1 + Int(rng.next() % 14)
            let text = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            let got = try cached.tokenize(text)
            let want = try reference.tokenize(text)
            #expect(got == want, "\(language): \(text.debugDescription)")
            if got != want { return }
        }
    }
}
