/// sacrebleu's default BLEU tokenizer (`tokenize='13a'`), the mteval-v13a.pl rules used by WMT.
///
/// A transliteration of sacrebleu 2.6.0 `Tokenizer13a` + `TokenizerRegexp`, working on code
/// points so that it agrees with Python character for character:
///
/// 1. remove `<skipped>`, join `-\n`, turn `\n` into a space; unescape `&quot; &amp; &lt; &gt;`
///    (in that order, so `&amp;lt;` becomes `<` as in sacrebleu) when the line has an `&`;
/// 2. pad the line with one space on each side;
/// 3. `([\{-\~\[-\` -\&\(-\+\:-\@\/])` → ` \1 ` — ASCII punctuation and symbols except
///    `'`, `,`, `-`, `.` stand alone (the range ` -&` includes the space itself);
/// 4. `([^0-9])([\.,])` → `\1 \2 ` — period/comma split unless preceded by a digit;
/// 5. `([\.,])([^0-9])` → ` \1 \2` — period/comma split unless followed by a digit;
/// 6. `([0-9])(-)` → `\1 \2 ` — a dash after a digit stands alone;
/// 7. collapse whitespace (Python `str.split()`), join with single spaces.
///
/// Each two-character rule is applied like Python's `re.sub`: scan left to right, and after a
/// match continue after both matched characters (so in `a..` only the first period pairs).
/// Non-ASCII punctuation ("„", "—", "…") is left attached, exactly as sacrebleu leaves it.
package enum Tokenizer13a {
    /// The tokenized line as sacrebleu's `Tokenizer13a()(line)` returns it.
    package static func tokenize(_ line: String) -> String {
        let words = tokens(PythonText.scalars(line))
        var out = Scalars()
        for (i, w) in words.enumerated() {
            if i > 0 { out.append(0x20) }
            out.append(contentsOf: w)
        }
        return PythonText.string(out)
    }

    /// The tokens of a line (the tokenized line split on whitespace), as code point slices.
    static func tokens(_ line: Scalars) -> [ArraySlice<UInt32>] {
        var s = line
        s = PythonText.replace(s, skipped, [])
        s = PythonText.replace(s, [0x2D, 0x0A], [])
        s = PythonText.replace(s, [0x0A], [0x20])
        if s.contains(0x26) {
            s = PythonText.replace(s, quot, [0x22])
            s = PythonText.replace(s, amp, [0x26])
            s = PythonText.replace(s, lt, [0x3C])
            s = PythonText.replace(s, gt, [0x3E])
        }
        return regexpTokens([0x20] + s + [0x20])
    }

    /// Rules 3–7 alone: sacrebleu's `TokenizerRegexp`, which `13a` calls on the padded line and
    /// `zh` on the unpadded one (so a leading "." splits differently in the two).
    static func regexpTokens(_ s: Scalars) -> [ArraySlice<UInt32>] {
        var padded = Scalars()
        padded.reserveCapacity(s.count * 2)
        // Rule 3: one character at a time, so a plain map.
        for c in s {
            if isIsolatedSymbol(c) {
                padded.append(0x20); padded.append(c); padded.append(0x20)
            } else {
                padded.append(c)
            }
        }
        // Rule 4: ([^0-9])([\.,]) -> "\1 \2 "
        var t = substitutePairs(padded, first: { !isDigit($0) }, second: isPeriodOrComma) { a, b, out in
            out.append(a); out.append(0x20); out.append(b); out.append(0x20)
        }
        // Rule 5: ([\.,])([^0-9]) -> " \1 \2"
        t = substitutePairs(t, first: isPeriodOrComma, second: { !isDigit($0) }) { a, b, out in
            out.append(0x20); out.append(a); out.append(0x20); out.append(b)
        }
        // Rule 6: ([0-9])(-) -> "\1 \2 "
        t = substitutePairs(t, first: isDigit, second: { $0 == 0x2D }) { a, b, out in
            out.append(a); out.append(0x20); out.append(b); out.append(0x20)
        }
        return PythonText.split(t)
    }

    private static let skipped: Scalars = Array("<skipped>".unicodeScalars.map(\.value))
    private static let quot: Scalars = Array("&quot;".unicodeScalars.map(\.value))
    private static let amp: Scalars = Array("&amp;".unicodeScalars.map(\.value))
    private static let lt: Scalars = Array("&lt;".unicodeScalars.map(\.value))
    private static let gt: Scalars = Array("&gt;".unicodeScalars.map(\.value))

    /// The class `[\{-\~\[-\` -\&\(-\+\:-\@\/]`.
    @inline(__always)
    static func isIsolatedSymbol(_ c: UInt32) -> Bool {
        (c >= 0x7B && c <= 0x7E) || (c >= 0x5B && c <= 0x60) || (c >= 0x20 && c <= 0x26)
            || (c >= 0x28 && c <= 0x2B) || (c >= 0x3A && c <= 0x40) || c == 0x2F
    }

    /// `[0-9]` in a Python `str` pattern: the ASCII digits only.
    @inline(__always)
    static func isDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }

    @inline(__always)
    static func isPeriodOrComma(_ c: UInt32) -> Bool { c == 0x2E || c == 0x2C }

    /// `re.sub` for a pattern of two single-character classes: leftmost match first, matches
    /// never overlap, scanning resumes after the second character of a match.
    static func substitutePairs(
        _ s: Scalars, first: (UInt32) -> Bool, second: (UInt32) -> Bool,
        replace: (UInt32, UInt32, inout Scalars) -> Void
    ) -> Scalars {
        var out = Scalars()
        out.reserveCapacity(s.count + s.count / 4 + 4)
        var i = 0
        let n = s.count
        while i < n {
            if i + 1 < n && first(s[i]) && second(s[i + 1]) {
                replace(s[i], s[i + 1], &out)
                i += 2
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }
}
