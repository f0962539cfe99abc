/// sacrebleu 2.6.0's `TercomTokenizer` (Tercom's Normalizer.java in Python), on code points:
///
/// 1. lowercase (Python `str.lower()`) unless case-sensitive;
/// 2. `normalized`: drop "\n-", "\n" → " ", unescape `&quot; &amp; &lt; &gt;`, pad with spaces,
///    then 13a's punctuation rules plus `'s ` → ` 's `; with `asianSupport` also every CJK
///    ideograph, CJK symbol and CJK/full-width punctuation mark becomes a word of its own
///    (sacrebleu's hiragana/katakana rules are anchored at the start of a line the padding has
///    already made a space, so they never match and are left out);
/// 3. `noPunct`: remove `. , ? : ; ! " ( )`, with `asianSupport` also CJK and full-width
///    punctuation;
/// 4. collapse whitespace.
package struct TercomTokenizer: Sendable {
    package let normalized: Bool
    package let noPunct: Bool
    package let asianSupport: Bool
    package let caseSensitive: Bool

    package init(normalized: Bool = false, noPunct: Bool = false, asianSupport: Bool = false, caseSensitive: Bool = false) {
        self.normalized = normalized
        self.noPunct = noPunct
        self.asianSupport = asianSupport
        self.caseSensitive = caseSensitive
    }

    /// The words of `line` after TER's preprocessing (`rstrip`, tokenize, `split`).
    func words(_ line: String) -> [ArraySlice<UInt32>] {
        var s = PythonText.rstrip(PythonText.scalars(line))
        guard !s.isEmpty else { return [] }
        if !caseSensitive { s = PythonText.lower(s) }
        if normalized {
            s = Self.normalizeGeneral(s)
            if asianSupport { s = Self.isolate(s, where: Self.isAsianSplit) }
        }
        if noPunct {
            s.removeAll { Self.isWesternPunct($0) || (asianSupport && Self.isAsianPunct($0)) }
        }
        return PythonText.split(s)
    }

    /// The tokenized line as sacrebleu's `TercomTokenizer(...)(line)` returns it.
    package func tokenize(_ line: String) -> String {
        var out = Scalars()
        for (i, w) in words(line).enumerated() {
            if i > 0 { out.append(0x20) }
            out.append(contentsOf: w)
        }
        return PythonText.string(out)
    }

    private static func ascii(_ s: String) -> Scalars { s.unicodeScalars.map(\.value) }
    private static let escapes: [(Scalars, Scalars)] = [
        (ascii("&quot;"), ascii("\"")), (ascii("&amp;"), ascii("&")), (ascii("&lt;"), ascii("<")), (ascii("&gt;"), ascii(">")),
    ]

    /// `_normalize_general_and_western`.
    static func normalizeGeneral(_ line: Scalars) -> Scalars {
        var s = PythonText.replace(line, ascii("\n-"), [])
        s = PythonText.replace(s, [0x0A], [0x20])
        for (from, to) in escapes { s = PythonText.replace(s, from, to) }
        var padded: Scalars = [0x20]
        for c in s {
            if Tokenizer13a.isIsolatedSymbol(c) { padded += [0x20, c, 0x20] } else { padded.append(c) }
        }
        padded.append(0x20)
        // `'s ` → ` 's `; its `'s$` twin cannot match a line that now ends in a space.
        padded = PythonText.replace(padded, ascii("'s "), ascii(" 's "))
        var t = Tokenizer13a.substitutePairs(padded, first: { !Tokenizer13a.isDigit($0) }, second: Tokenizer13a.isPeriodOrComma) { a, b, out in
            out += [a, 0x20, b, 0x20]
        }
        t = Tokenizer13a.substitutePairs(t, first: Tokenizer13a.isPeriodOrComma, second: { !Tokenizer13a.isDigit($0) }) { a, b, out in
            out += [0x20, a, 0x20, b]
        }
        return Tokenizer13a.substitutePairs(t, first: Tokenizer13a.isDigit, second: { $0 == 0x2D }) { a, b, out in
            out += [a, 0x20, b, 0x20]
        }
    }

    /// Every code point for which `split` holds gets a space on each side.
    static func isolate(_ s: Scalars, where split: (UInt32) -> Bool) -> Scalars {
        var out = Scalars()
        out.reserveCapacity(s.count)
        for c in s {
            if split(c) { out += [0x20, c, 0x20] } else { out.append(c) }
        }
        return out
    }

    /// The classes `_normalize_asian` pads: CJK ideographs (and extension A), strokes, radicals,
    /// compatibility forms, enclosed letters … U+3F22, and the punctuation below.
    static func isAsianSplit(_ c: UInt32) -> Bool {
        switch c {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x31C0...0x31EF, 0x2E80...0x2EFF,
             0x3300...0x33FF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0x3200...0x3F22:
            return true
        default:
            return isAsianPunct(c)
        }
    }

    /// `ASIAN_PUNCT` and `FULL_WIDTH_PUNCT`.
    static func isAsianPunct(_ c: UInt32) -> Bool {
        switch c {
        case 0x3001, 0x3002, 0x3008...0x3011, 0x3014...0x301F, 0xFF61...0xFF65, 0x30FB,
             0xFF0E, 0xFF0C, 0xFF1F, 0xFF1A, 0xFF1B, 0xFF01, 0xFF02, 0xFF08, 0xFF09:
            return true
        default:
            return false
        }
    }

    /// `_remove_punct`'s class `[\.,\?:;!\"\(\)]`.
    static func isWesternPunct(_ c: UInt32) -> Bool {
        switch c {
        case 0x2E, 0x2C, 0x3F, 0x3A, 0x3B, 0x21, 0x22, 0x28, 0x29: return true
        default: return false
        }
    }
}
