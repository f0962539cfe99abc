import CICU

/// sacrebleu's `intl` tokenizer (`TokenizerV14International`, mteval-v14.pl's international
/// rules), with the Unicode classes that the `regex` module's \p{…} tests take from ICU:
///
/// 1. `(\P{N})(\p{P})` → `\1 \2 ` — punctuation after a non-number splits off;
/// 2. `(\p{P})(\P{N})` → ` \1 \2` — punctuation before a non-number splits off;
/// 3. `(\p{S})` → ` \1 ` — every symbol stands alone;
/// 4. `' '.join(line.split())`.
///
/// Unlike 13a the line is not padded, so "2019." at the end of a line keeps its period, as in
/// mteval-v14.pl and sacrebleu. Python's `regex` and ICU may follow different Unicode versions;
/// they differ only on code points assigned in between (none in ordinary text).
enum TokenizerIntl {
    static func tokens(_ line: Scalars) -> [ArraySlice<UInt32>] {
        var t = Tokenizer13a.substitutePairs(line, first: { !UnicodeClass.isNumber($0) }, second: UnicodeClass.isPunctuation) { a, b, out in
            out.append(a); out.append(0x20); out.append(b); out.append(0x20)
        }
        t = Tokenizer13a.substitutePairs(t, first: UnicodeClass.isPunctuation, second: { !UnicodeClass.isNumber($0) }) { a, b, out in
            out.append(0x20); out.append(a); out.append(0x20); out.append(b)
        }
        var spaced = Scalars()
        spaced.reserveCapacity(t.count + t.count / 4)
        for c in t {
            if UnicodeClass.isSymbol(c) {
                spaced.append(0x20); spaced.append(c); spaced.append(0x20)
            } else {
                spaced.append(c)
            }
        }
        return PythonText.split(spaced)
    }
}

/// Unicode general-category classes from ICU (`u_charType`), as `regex` names them.
enum UnicodeClass {
    @inline(__always) static func isPunctuation(_ c: UInt32) -> Bool { s2s_char_classes(c) & Int32(S2S_CLASS_PUNCTUATION) != 0 }
    @inline(__always) static func isSymbol(_ c: UInt32) -> Bool { s2s_char_classes(c) & Int32(S2S_CLASS_SYMBOL) != 0 }
    @inline(__always) static func isNumber(_ c: UInt32) -> Bool { s2s_char_classes(c) & Int32(S2S_CLASS_NUMBER) != 0 }
}
