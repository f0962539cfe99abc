import CICU

/// The BLEU tokenizer for a target language when none is asked for, and why it was chosen.
///
/// sacrebleu picks `zh` for Chinese, `ja-mecab` for Japanese and `ko-mecab` for Korean when
/// told the target language (`BLEU(trg_lang=…)`), and its documentation advises `char` for
/// scripts without spaces (Thai) and wherever MeCab is missing. This build has no MeCab, so
/// Japanese and Korean take `char`. Every other language keeps sacrebleu's default `13a`.
package struct TokenizerChoice: Sendable, Equatable {
    package let tokenizer: BLEUTokenizer
    /// What decided it: "--tokenize", "language ja", "reference script Hira+Hani", …
    package let reason: String

    package init(tokenizer: BLEUTokenizer, reason: String) {
        self.tokenizer = tokenizer
        self.reason = reason
    }

    /// The tokenizer for a language code ("ja", "zh-Hant", "tha", "th_TH"); only the primary
    /// subtag counts, ISO 639-1 or 639-3.
    package static func forLanguage(_ code: String) -> TokenizerChoice {
        let primary = String(code.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first ?? "")
        return TokenizerChoice(tokenizer: tokenizer(primary: primary), reason: "language \(code)")
    }

    /// The tokenizer for text in an unknown language: the language its dominant script implies
    /// (`ScriptCensus`), or 13a for scripts written with spaces and for text with no letters.
    package static func forText(_ lines: [String]) -> TokenizerChoice {
        let census = ScriptCensus(lines)
        guard let language = census.language else {
            let script = census.dominant.map { "reference script \($0)" } ?? "no letters in the reference"
            return TokenizerChoice(tokenizer: .thirteenA, reason: script)
        }
        return TokenizerChoice(tokenizer: tokenizer(primary: language), reason: "reference script \(census.dominant ?? language) (\(language))")
    }

    private static func tokenizer(primary: String) -> BLEUTokenizer {
        switch primary {
        case "zh", "zho", "chi", "cmn", "yue", "wuu", "lzh":
            return .zh
        case "ja", "jpn":
            return BLEUTokenizer.jaMecab.isAvailable ? .jaMecab : .char
        case "ko", "kor":
            return BLEUTokenizer.koMecab.isAvailable ? .koMecab : .char
        // Thai, Lao, Khmer, Burmese: written without spaces between words.
        case "th", "tha", "lo", "lao", "km", "khm", "my", "mya", "bur":
            return .char
        default:
            return .thirteenA
        }
    }
}

/// Letters per script (ICU's Script property) over some text, and the language family the
/// dominant one implies. Common and Inherited characters (digits, punctuation, marks) count
/// for no script.
///
/// Japanese mixes kana with Han (kanji), sometimes with more kanji than kana in a line, so
/// when kana make up at least 5% of the Han and kana together all of them count as Japanese;
/// Chinese text has no kana beyond a stray "・".
struct ScriptCensus {
    /// ISO 15924 code → letters.
    private(set) var counts: [String: Int] = [:]

    init(_ lines: [String]) {
        var byCode: [Int32: Int] = [:]
        for line in lines {
            for u in line.unicodeScalars where u.properties.isAlphabetic {
                byCode[s2s_char_script(u.value), default: 0] += 1
            }
        }
        for (code, n) in byCode where code != Self.common && code != Self.inherited && code != Self.unknown {
            counts[Self.name(code), default: 0] += n
        }
    }

    private static let common: Int32 = 0, inherited: Int32 = 1, unknown: Int32 = 103

    private static func name(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 16)
        guard s2s_script_code(code, &buffer, Int32(buffer.count)) == 0 else { return "script \(code)" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Letters per writing system: Hiragana, Katakana and (with enough kana) Han merge into
    /// "Jpan".
    var groups: [String: Int] {
        var g = counts
        let kana = (g["Hira"] ?? 0) + (g["Kana"] ?? 0)
        let han = g["Hani"] ?? 0
        if kana > 0 && kana * 20 >= kana + han {
            g["Hira"] = nil; g["Kana"] = nil; g["Hani"] = nil
            g["Jpan"] = kana + han
        }
        return g
    }

    /// The writing system with the most letters (ties by name, so the answer is stable).
    var dominant: String? {
        groups.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    /// The language whose tokenizer the dominant writing system needs, nil for scripts written
    /// with spaces.
    var language: String? {
        switch dominant {
        case "Jpan": return "ja"
        case "Hani": return "zh"
        case "Hang": return "ko"
        case "Thai": return "th"
        case "Laoo": return "lo"
        case "Khmr": return "km"
        case "Mymr": return "my"
        default: return nil
        }
    }
}
