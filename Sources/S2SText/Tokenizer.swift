import CICU

/// The Unicode normalization form a tokenizer applies before segmenting.
package enum NormalizationForm: String, Codable, Sendable, CaseIterable {
    /// Compatibility composition: full-width letters, ligatures and special spaces become their
    /// plain forms. The default: it merges spellings a model should not have to tell apart.
    case nfkc
    /// Canonical composition only: precomposed and decomposed accents become one spelling.
    case nfc
    /// No normalization form (whitespace is still folded and invisible controls dropped).
    case none

    var shimValue: Int32 {
        switch self {
        case .nfkc: Int32(S2S_NORMALIZE_NFKC)
        case .nfc: Int32(S2S_NORMALIZE_NFC)
        case .none: Int32(S2S_NORMALIZE_NONE)
        }
    }
}

/// How one side's text is normalized and segmented; stored in a pipeline's settings file so
/// the same tokenizer can be rebuilt for training and translation.
package struct TokenizerSettings: Codable, Sendable, Equatable {
    /// A BCP-47-like language code ("en", "de", "ja", "zh", "th"): picks ICU's word-break rules
    /// and dictionaries.
    package var language: String
    package var normalization: NormalizationForm
    /// ICU full case folding ("Straße" → "strasse").
    package var lowercase: Bool

    package init(language: String, normalization: NormalizationForm = .nfkc, lowercase: Bool = false) {
        self.language = language
        self.normalization = normalization
        self.lowercase = lowercase
    }

    /// Rejects language codes that are not letters/digits separated by "-" or "_" (ICU would
    /// silently fall back to root rules for garbage, hiding a typo).
    package func validate() throws(TextError) {
        let parts = language.split(separator: "-", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "_", omittingEmptySubsequences: false) }
        let ok = !language.isEmpty && language.count <= 35
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
            && parts[0].count >= 2 && parts[0].count <= 8 && parts[0].allSatisfy(\.isLetter)
        if !ok {
            throw .badSetting(name: "language", value: language,
                              reason: "expected a language code such as en, de, fr, ja, zh, th")
        }
    }
}

/// The reversible tokenizer: normalizes a line with ICU, then splits it with ICU's word-break
/// iterator for the language (dictionaries for Chinese, Japanese, Thai, …).
///
/// Tokens are *marked*: a token that follows a space (or starts the line) begins with "▁"
/// (U+2581), so `Detokenizer.detokenize(tokenize(s)) == normalize(s)` exactly. Inside a token a
/// literal "\" is written "\\" and a literal "▁" is written "\▁".
///
/// `normalize(s)`: whitespace of every kind → one space, runs of spaces → one, no leading or
/// trailing space; control characters and invisible format characters (zero-width space and
/// joiners, soft hyphen, BOM, bidi marks) removed — except a zero-width joiner inside an emoji
/// sequence and emoji tag characters; then NFKC/NFC; then, with `lowercase`, full case folding
/// and the normal form again.
///
/// One instance holds an ICU break iterator and buffers: not thread-safe, make one per thread.
package final class Tokenizer {
    package let settings: TokenizerSettings
    private let handle: OpaquePointer

    package init(_ settings: TokenizerSettings) throws(TextError) {
        try settings.validate()
        var message = [CChar](repeating: 0, count: 256)
        let opened = settings.language.withCString { locale in
            s2s_tokenizer_open(locale, settings.normalization.shimValue, settings.lowercase ? 1 : 0,
                               &message, Int32(message.count))
        }
        guard let opened else {
            throw .icu(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.settings = settings
        self.handle = opened
    }

    deinit { s2s_tokenizer_close(handle) }

    /// Whether to break space-separated chunks with a cache (the default) or whole lines with
    /// ICU (the reference). A line's tokens are the tokens of its chunks, so with the cache
    /// ICU runs only on chunks not seen before; the tokens are the same either way (tests
    /// compare them on every corpus line).
    package var cachesChunks = true {
        didSet { s2s_tokenizer_set_chunk_cache(handle, cachesChunks ? 1 : 0) }
    }

    /// A fresh tokenizer with the same settings, for use on another thread.
    package func copy() throws(TextError) -> Tokenizer { try Tokenizer(settings) }

    /// The normalized form of `line` (what detokenizing its tokens gives back).
    package func normalize(_ line: String) throws(TextError) -> String {
        try run(line, segment: false) { result in
            String(decoding: UnsafeBufferPointer(start: result.normalized, count: Int(result.normalized_length)),
                   as: UTF8.self)
        }
    }

    /// The marked tokens of `line`.
    package func tokenize(_ line: String) throws(TextError) -> [String] {
        try withTokens(line) { tokens in
            var out: [String] = []
            out.reserveCapacity(tokens.count)
            for i in 0..<tokens.count { out.append(String(decoding: tokens[i], as: UTF8.self)) }
            return out
        }
    }

    /// Calls `body` with the marked tokens of `line` as UTF-8 byte ranges that are valid only
    /// inside `body`: the allocation-free path the pipeline uses.
    package func withTokens<R>(_ line: String, _ body: (TokenBytes) -> R) throws(TextError) -> R {
        try run(line, segment: true) { result in
            body(TokenBytes(marked: result.marked, offsets: result.offsets, count: Int(result.token_count)))
        }
    }

    private func run<R>(_ line: String, segment: Bool, _ body: (s2s_tokenized) -> R) throws(TextError) -> R {
        var result = s2s_tokenized()
        let code: Int32
        if let c = line.utf8.withContiguousStorageIfAvailable({ bytes in
            s2s_tokenizer_run(handle, bytes.baseAddress, Int32(clamping: bytes.count), segment ? 1 : 0, &result)
        }) {
            code = c
        } else {
            let bytes = Array(line.utf8)
            code = bytes.withUnsafeBufferPointer {
                s2s_tokenizer_run(handle, $0.baseAddress, Int32(clamping: $0.count), segment ? 1 : 0, &result)
            }
        }
        guard code == S2S_ICU_OK else {
            if code == S2S_ICU_TOO_LONG {
                throw .badSetting(name: "line", value: "\(line.utf8.count) bytes", reason: "too long to tokenize")
            }
            throw .icu(String(cString: s2s_tokenizer_last_error(handle)))
        }
        return body(result)
    }
}

/// Marked tokens of one line as UTF-8 byte ranges into the tokenizer's buffer.
package struct TokenBytes {
    let marked: UnsafePointer<UInt8>?
    let offsets: UnsafePointer<Int32>?
    package let count: Int

    /// The bytes of token `i` (0 ..< count).
    package subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
        guard let marked, let offsets else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = Int(offsets[i])
        return UnsafeBufferPointer(start: marked + start, count: Int(offsets[i + 1]) - start)
    }
}
