/// The nonbreaking prefixes of one language, as sacremoses' `MosesTokenizer(lang)` loads them:
/// the language's Moses list (`nonbreaking_prefix.<code>`, or by English name: "german"), and
/// the English list for a language Moses has none for. Words marked `#NUMERIC_ONLY#` ("No",
/// "Art") keep a period only before a number.
///
/// Prefixes are compared as code points (Python `in`), not as Swift strings, which would equate
/// canonically equivalent spellings.
struct MosesNonbreakingPrefixes: Sendable {
    /// `self.NONBREAKING_PREFIXES`: every entry, markers included ("No #NUMERIC_ONLY#").
    let all: Set<Scalars>
    /// `self.NUMERIC_ONLY_PREFIXES`: the word before the marker.
    let numericOnly: Set<Scalars>

    init(language: String) {
        let code = Self.names[language] ?? language
        let list = Self.latin[code] ?? Self.otherScripts[code] ?? Self.latin["en"] ?? ""
        let words = list.split(separator: "|").map { PythonText.scalars(String($0)) }
        all = Set(words)
        numericOnly = Set(words.filter(Self.hasNumericOnlyMarker).map(Self.beforeLastSpace))
    }

    /// Whether Moses has a list of its own for `language` (otherwise English stands in).
    static func hasList(_ language: String) -> Bool {
        let code = names[language] ?? language
        return latin[code] != nil || otherScripts[code] != nil
    }

    /// `re.search(r"\s\#NUMERIC_ONLY\#", w)`.
    private static func hasNumericOnlyMarker(_ w: Scalars) -> Bool {
        let marker = PythonText.scalars("#NUMERIC_ONLY#")
        guard w.count > marker.count else { return false }
        for i in 1...(w.count - marker.count) where PythonText.isSpace(w[i - 1]) && w[i..<(i + marker.count)].elementsEqual(marker) {
            return true
        }
        return false
    }

    /// `w.rpartition(" ")[0]`: everything before the last space, empty without one.
    private static func beforeLastSpace(_ w: Scalars) -> Scalars {
        guard let i = w.lastIndex(of: 0x20) else { return [] }
        return Array(w[..<i])
    }

    /// sacremoses' `available_langs` names.
    static let names = [
        "assamese": "as", "bengali": "bn", "catalan": "ca", "czech": "cs", "german": "de", "greek": "el",
        "english": "en", "spanish": "es", "estonian": "et", "finnish": "fi", "french": "fr", "irish": "ga",
        "gujarati": "gu", "hindi": "hi", "hungarian": "hu", "icelandic": "is", "italian": "it", "kannada": "kn",
        "lithuanian": "lt", "latvian": "lv", "malayalam": "ml", "manipuri": "mni", "marathi": "mr", "dutch": "nl",
        "oriya": "or", "punjabi": "pa", "polish": "pl", "portuguese": "pt", "romanian": "ro", "russian": "ru",
        "slovak": "sk", "slovenian": "sl", "swedish": "sv", "tamil": "ta", "telugu": "te", "tetum": "tdt",
        "cantonese": "yue", "chinese": "zh",
    ]
}
