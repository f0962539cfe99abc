/// Moses' normalize-punctuation.perl as sacremoses 0.2.0 ports it: `MosesPunctNormalizer(lang)
/// .normalize(text)` with its defaults (Penn quotes, quote–comma order and number spaces
/// normalized; no Unicode punctuation replacement, no control-character removal, no Perl parity).
///
/// The substitutions run in sacremoses' order, each over the whole line before the next, and
/// the result is `strip()`ped. Language matters for two rules: where a comma or period goes
/// beside a closing quote (en: inside; de, es, fr: outside) and what a no-break space between
/// digits becomes (de, es, cz, cs, fr: a comma; every other language: a period).
package struct MosesPunctNormalizer: Sendable {
    package let language: String

    package init(language: String) {
        self.language = language
    }

    package func normalize(_ text: String) -> String {
        PythonText.string(normalize(PythonText.scalars(text)))
    }

    func normalize(_ text: Scalars) -> Scalars {
        typealias R = MosesRewrite
        var s = text
        // EXTRA_WHITESPACE
        s = R.literal(s, "\r", "")
        s = R.literal(s, "(", " (")
        s = R.literal(s, ")", ") ")
        s = R.collapse(s) { $0 == 0x20 }
        s = R.fixed(s, width: 3, matches: { s, i in
            s[i] == 0x29 && s[i + 1] == 0x20 && Self.closesAfterParenthesis(s[i + 2])
        }) { m in [0x29, m[m.startIndex + 2]] }
        s = R.literal(s, "( ", "(")
        s = R.literal(s, " )", ")")
        s = R.fixed(s, width: 3, matches: { s, i in
            s[i + 1] == 0x20 && s[i + 2] == 0x25 && MosesCharacterSet.decimal.contains(s[i])
        }) { m in [m[m.startIndex], 0x25] }
        s = R.literal(s, " :", ":")
        s = R.literal(s, " ;", ";")
        // NORMALIZE_UNICODE_IF_NOT_PENN (sacremoses adds it when penn is on)
        s = R.literal(s, "`", "'")
        s = R.literal(s, "''", " \" ")
        // NORMALIZE_UNICODE
        s = R.literals(s, [("„", "\""), ("“", "\""), ("”", "\""), ("–", "-"), ("—", " - ")])
        s = R.collapse(s) { $0 == 0x20 }
        s = R.literal(s, "´", "'")
        s = R.around(s, 0x2018, R.isASCIILetter, R.isASCIILetter, [0x27])
        s = R.around(s, 0x2019, R.isASCIILetter, R.isASCIILetter, [0x27])
        s = R.literals(s, Self.singleQuotesAndEllipsis)
        s = R.literals(s, Self.frenchQuotes)
        s = R.literals(s, Self.pseudoSpaces)
        s = R.collapse(s) { $0 == 0x20 }
        // Quotation followed by a comma or period.
        switch language {
        case "en":
            s = Self.moveCommasIntoQuote(s)
        case "de", "es", "fr":
            s = R.literal(s, ",\"", "\",")
            s = Self.movePeriodsOutOfQuote(s)
        default:
            break
        }
        // A no-break space between digits.
        let separator: UInt32 = ["de", "es", "cz", "cs", "fr"].contains(language) ? 0x2C : 0x2E
        s = R.fixed(s, width: 3, matches: { s, i in
            s[i + 1] == 0xA0 && MosesCharacterSet.decimal.contains(s[i]) && MosesCharacterSet.decimal.contains(s[i + 2])
        }) { m in [m[m.startIndex], separator, m[m.startIndex + 2]] }
        return R.strip(s)
    }

    /// The rest of NORMALIZE_UNICODE, after the letter–apostrophe–letter rules.
    private static let singleQuotesAndEllipsis = [("‘", "'"), ("‚", "'"), ("’", "'"), ("''", "\""), ("´´", "\""), ("…", "...")]
    /// FRENCH_QUOTES: guillemets, with the no-break spaces French sets inside them.
    private static let frenchQuotes = [
        ("\u{A0}«\u{A0}", "\""), ("«\u{A0}", "\""), ("«", "\""), ("\u{A0}»\u{A0}", "\""), ("\u{A0}»", "\""), ("»", "\""),
    ]
    /// HANDLE_PSEUDO_SPACES, but its final ` +`.
    private static let pseudoSpaces = [
        ("\u{A0}%", "%"), ("nº\u{A0}", "nº "), ("\u{A0}:", ":"), ("\u{A0}ºC", " ºC"), ("\u{A0}cm", " cm"),
        ("\u{A0}?", "?"), ("\u{A0}!", "!"), ("\u{A0};", ";"), (",\u{A0}", ", "),
    ]

    /// `[.!:?;,]` of `\) ([.!:?;,])`.
    private static func closesAfterParenthesis(_ c: UInt32) -> Bool {
        c == 0x2E || c == 0x21 || c == 0x3A || c == 0x3F || c == 0x3B || c == 0x2C
    }

    /// English: `re.sub(r'"([,.]+)', r'\1"')`.
    static func moveCommasIntoQuote(_ s: Scalars) -> Scalars {
        func isCommaOrPeriod(_ c: UInt32) -> Bool { c == 0x2C || c == 0x2E }
        var out = Scalars()
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            if s[i] == 0x22 && i + 1 < s.count && isCommaOrPeriod(s[i + 1]) {
                var j = i + 1
                while j < s.count && isCommaOrPeriod(s[j]) { j += 1 }
                out.append(contentsOf: s[(i + 1)..<j])
                out.append(0x22)
                i = j
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    /// German, Spanish, French: `re.sub(r'(\.+)"(\s*[^<])', r'"\1\2')`. `\s*` is greedy and
    /// `[^<]` also takes a space, so after the quote the match takes the whole run of spaces and
    /// the scalar after it unless that is `<` or the end, in which case the run alone (if any).
    static func movePeriodsOutOfQuote(_ s: Scalars) -> Scalars {
        var out = Scalars()
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            guard s[i] == 0x2E else { out.append(s[i]); i += 1; continue }
            var quote = i
            while quote < s.count && s[quote] == 0x2E { quote += 1 }
            var end = quote + 1
            while end < s.count && PythonText.isSpace(s[end]) { end += 1 }
            if end < s.count && s[end] != 0x3C {
                end += 1
            } else if end == quote + 1 {
                end = -1  // no space to give back: no match
            }
            // A later start inside the same run of periods meets the same quote and tail.
            guard quote < s.count && s[quote] == 0x22 && end > quote else {
                out.append(contentsOf: s[i..<quote]); i = quote; continue
            }
            out.append(0x22)
            out.append(contentsOf: s[i..<quote])
            out.append(contentsOf: s[(quote + 1)..<end])
            i = end
        }
        return out
    }
}
