import Testing
@testable import S2SText

@Test func smoke() throws {
    let t = try Tokenizer(TokenizerSettings(language: "en"))
    let s = "  Hello,\u{00A0}world!  It's 3.5 km\t\t— don't\u{200B}stop. 👍🏽 👨‍👩‍👧 \\ ▁x "
    let toks = try t.tokenize(s)
    print(toks)
    print(try t.normalize(s))
    #expect(Detokenizer.detokenize(toks) == (try t.normalize(s)))
    let j = try Tokenizer(TokenizerSettings(language: "ja"))
    print(try j.tokenize("私は東京に住んでいます。"))
    let th = try Tokenizer(TokenizerSettings(language: "th"))
    print(try th.tokenize("ภาษาไทยง่ายนิดเดียว"))
}
