/// The BLEU tokenizers of sacrebleu 2.6.0 (`--tokenize`), by sacrebleu's names. Each one turns
/// a right-stripped segment into the tokens whose n-grams BLEU counts, exactly as sacrebleu's
/// `tokenizer(line).split()` does; the name is the signature's `tok:` field.
///
/// `ja-mecab` and `ko-mecab` are listed so that asking for them gives a clear answer rather than
/// "unknown": this build does not link MeCab (see `isAvailable`), and Japanese and Korean fall
/// back to `char`, as sacrebleu's documentation advises when MeCab is absent.
package enum BLEUTokenizer: String, CaseIterable, Sendable, Codable {
    /// mteval-v13a.pl: sacrebleu's default, for languages written with spaces.
    case thirteenA = "13a"
    /// mteval-v14.pl "international": splits Unicode punctuation and symbols.
    case intl
    /// Chinese: every CJK character is a token, the rest goes through 13a's rules.
    case zh
    /// Every non-space character is a token (Thai, Japanese or Korean without MeCab, …).
    case char
    /// Whitespace only: for pre-tokenized text.
    case none
    /// Japanese words from MeCab with the IPA dictionary (not in this build).
    case jaMecab = "ja-mecab"
    /// Korean words from MeCab-ko with mecab-ko-dic (not in this build).
    case koMecab = "ko-mecab"

    /// Whether this build can run the tokenizer. MeCab is not linked: sacrebleu's `ja-mecab`
    /// scores come from mecab-python3's bundled libmecab and the pip `ipadic` dictionary, and
    /// `ko-mecab` needs mecab-ko-dic, which Debian does not package.
    package var isAvailable: Bool {
        switch self {
        case .jaMecab, .koMecab: return false
        case .thirteenA, .intl, .zh, .char, .none: return true
        }
    }

    /// The tokenizers this build can run, in sacrebleu's order of listing.
    package static var available: [BLEUTokenizer] { allCases.filter(\.isAvailable) }

    /// The tokenizer called `name`, if this build has it; otherwise an error that names the
    /// available ones.
    package static func named(_ name: String) throws(BLEUTokenizerError) -> BLEUTokenizer {
        guard let tokenizer = BLEUTokenizer(rawValue: name) else { throw .unknown(name) }
        guard tokenizer.isAvailable else { throw .unavailable(tokenizer) }
        return tokenizer
    }

    /// The tokens of a segment that sacrebleu's `_preprocess_segment` has already
    /// right-stripped (lowercasing, if any, also comes before).
    func tokens(_ line: Scalars) -> [ArraySlice<UInt32>] {
        switch self {
        case .thirteenA: return Tokenizer13a.tokens(line)
        case .intl: return TokenizerIntl.tokens(line)
        case .zh: return TokenizerZh.tokens(line)
        case .char: return TokenizerChar.tokens(line)
        // A MeCab tokenizer is never constructed (`named` refuses it); whitespace keeps the
        // switch total without a trap on any input.
        case .none, .jaMecab, .koMecab: return PythonText.split(line)
        }
    }

    /// The tokenized segment as sacrebleu's tokenizer returns it (tokens joined by one space).
    package func tokenize(_ line: String) -> String {
        tokens(PythonText.scalars(line)).map { PythonText.string(Array($0)) }.joined(separator: " ")
    }
}

/// A tokenizer that cannot be used, with the names that can.
package enum BLEUTokenizerError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case unavailable(BLEUTokenizer)

    package var description: String {
        let names = BLEUTokenizer.available.map(\.rawValue).joined(separator: ", ")
        switch self {
        case let .unknown(name):
            return "unknown BLEU tokenizer '\(name)'; available: \(names)"
        case let .unavailable(tokenizer):
            return "BLEU tokenizer '\(tokenizer.rawValue)' is not available in this build (MeCab is not linked); available: \(names)"
        }
    }
}
