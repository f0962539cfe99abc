import S2SText

/// How `--max-len` and `--max-ratio` measure the two sides of a pair: in words as the ICU
/// tokenizer of each side's language segments them, or in Unicode scalars.
///
/// Whitespace would make a Japanese, Chinese or Thai sentence one "word", so a length filter
/// would keep every such line and a ratio filter would drop nearly every long pair with a
/// language written with spaces. ICU's word breaker (with its dictionaries for those scripts)
/// gives comparable counts on both sides. Tokens without a letter, mark, digit or symbol
/// (punctuation) are not words, so for English the count stays the whitespace count for
/// ordinary text ("Don't lie." is 2 words).
final class PairLength {
    let unit: LengthUnit
    private let source: Tokenizer?
    private let target: Tokenizer?

    /// Tokenizers are opened only when words are counted (ICU needs the languages).
    init(unit: LengthUnit, sourceLanguage: String, targetLanguage: String) throws(CorpusError) {
        self.unit = unit
        guard unit == .words else {
            source = nil
            target = nil
            return
        }
        do {
            source = try Tokenizer(TokenizerSettings(language: sourceLanguage))
            target = try Tokenizer(TokenizerSettings(language: targetLanguage))
        } catch {
            throw .invalidArgument("cannot count words for --max-len/--max-ratio: \(error)")
        }
    }

    /// (source, target) lengths of one pair.
    func measure(source s: UnsafeBufferPointer<UInt8>, target t: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        guard let source, let target else { return (TextBytes.scalarCount(s), TextBytes.scalarCount(t)) }
        return (Self.words(s, source), Self.words(t, target))
    }

    /// ICU tokens of the line that hold a letter, mark, digit or symbol. A line ICU cannot
    /// tokenize (too long for its offsets) counts as whitespace words instead.
    static func words(_ bytes: UnsafeBufferPointer<UInt8>, _ tokenizer: Tokenizer) -> Int {
        let line = String(decoding: bytes, as: UTF8.self)
        let counted = try? tokenizer.withTokens(line) { tokens -> Int in
            var n = 0
            for i in 0..<tokens.count where isWord(tokens[i]) { n += 1 }
            return n
        }
        return counted ?? TextBytes.wordCount(bytes)
    }

    /// Whether a marked token (maybe starting with the "▁" space marker) is a word.
    static func isWord(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        var first = true
        for u in String(decoding: token, as: UTF8.self).unicodeScalars {
            defer { first = false }
            if first && u == "\u{2581}" { continue }
            switch u.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
                 .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
                return true
            default:
                continue
            }
        }
        return false
    }
}
