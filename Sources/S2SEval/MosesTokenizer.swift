/// Moses' tokenizer.perl as sacremoses 0.2.0 ports it: `MosesTokenizer(lang).tokenize(text,
/// escape=False, return_str=True)` with the defaults (no aggressive dash splits, no protected
/// patterns, no XML escaping).
///
/// Language-specific parts, all as sacremoses has them: the nonbreaking prefixes (Moses' list
/// for the language, English otherwise), the apostrophe rules (en: "it 's", "n't"; fr, it: "l'
/// homme"; every other language: a lone "'"), and for zh, ja, ko and cjk the CJK letters that
/// count as alphanumeric. Character classes come from perluniprops through sacremoses' own
/// regular expressions (`MosesCharacterTables.swift`).
package struct MosesTokenizer: Sendable {
    package let language: String
    private let prefixes: MosesNonbreakingPrefixes
    /// Letters the CJK languages add to IsAlnum and IsAlpha.
    private let cjk: [MosesCharacterSet]

    package init(language: String) {
        self.language = language
        prefixes = MosesNonbreakingPrefixes(language: language)
        switch language {
        case "zh": cjk = [.han]
        case "ja": cjk = [.hiragana, .katakana, .han]
        case "ko": cjk = [.hangul]
        case "cjk": cjk = [.hangul, .han, .hiragana, .katakana]
        default: cjk = []
        }
    }

    /// The tokens of `text` joined by single spaces.
    package func tokenize(_ text: String) -> String {
        PythonText.string(tokenize(PythonText.scalars(text)))
    }

    func tokenize(_ text: Scalars) -> Scalars {
        typealias R = MosesRewrite
        let number = MosesCharacterSet.number, alpha = MosesCharacterSet.alpha
        // DEDUPLICATE_SPACE, ASCII_JUNK (what is left of \x00-\x1f after \s+ took the spaces), strip.
        var s = R.collapse(text, PythonText.isSpace).filter { $0 > 0x1F }
        s = R.strip(s)
        // PAD_NOT_ISALNUM
        var padded = Scalars()
        padded.reserveCapacity(s.count * 2)
        for c in s {
            if MosesCharacterSet.padNotAlnum.contains(c) && !isCJKLetter(c) {
                padded += [0x20, c, 0x20]
            } else {
                padded.append(c)
            }
        }
        s = Self.replaceMultidots(padded)
        // COMMA_SEPARATE_1…3: "," split off except inside numbers (5,300).
        s = R.fixed(s, width: 2, matches: { s, i in s[i + 1] == 0x2C && !number.contains(s[i]) }) { m in
            [m[m.startIndex], 0x20, 0x2C, 0x20]
        }
        s = R.fixed(s, width: 2, matches: { s, i in s[i] == 0x2C && !number.contains(s[i + 1]) }) { m in
            [0x20, 0x2C, 0x20, m[m.startIndex + 1]]
        }
        if s.count >= 2 && s[s.count - 1] == 0x2C && number.contains(s[s.count - 2]) {
            s.insert(0x20, at: s.count - 1)
            s.append(0x20)
        }
        s = apostrophes(s, alpha: alpha, number: number)
        s = handleNonbreakingPrefixes(s)
        s = R.strip(R.collapse(s, PythonText.isSpace))
        // TRAILING_DOT_APOSTROPHE: `\.' ?$` (no trailing space is left after strip).
        if s.count >= 2 && s[s.count - 2] == 0x2E && s[s.count - 1] == 0x27 {
            s.removeLast(2)
            s += [0x20, 0x2E, 0x20, 0x27, 0x20]
        }
        return Self.restoreMultidots(s)
    }

    private func isCJKLetter(_ c: UInt32) -> Bool {
        cjk.contains { $0.contains(c) }
    }

    private func apostrophes(_ s: Scalars, alpha: MosesCharacterSet, number: MosesCharacterSet) -> Scalars {
        typealias R = MosesRewrite
        let a = { (c: UInt32) in alpha.contains(c) }, notA = { (c: UInt32) in !alpha.contains(c) }
        var s = s
        switch language {
        case "en":
            s = R.around(s, 0x27, notA, notA, [0x20, 0x27, 0x20])
            s = R.around(s, 0x27, { !alpha.contains($0) && !number.contains($0) }, a, [0x20, 0x27, 0x20])
            s = R.around(s, 0x27, a, notA, [0x20, 0x27, 0x20])
            s = R.around(s, 0x27, a, a, [0x20, 0x27])
            s = R.around(s, 0x27, { number.contains($0) }, { $0 == 0x73 }, [0x20, 0x27])
        case "fr", "it":
            s = R.around(s, 0x27, notA, notA, [0x20, 0x27, 0x20])
            s = R.around(s, 0x27, notA, a, [0x20, 0x27, 0x20])
            s = R.around(s, 0x27, a, notA, [0x20, 0x27, 0x20])
            s = R.around(s, 0x27, a, a, [0x27, 0x20])
        default:
            s = R.literal(s, "'", " ' ")
        }
        return s
    }

    /// `handles_nonbreaking_prefixes`: a word ending in "." loses the period to a token of its
    /// own unless the rest has a period and a letter ("z.B."), is a nonbreaking prefix ("Mr."),
    /// or the next word starts lowercase; numeric-only prefixes keep it before a number.
    private func handleNonbreakingPrefixes(_ s: Scalars) -> Scalars {
        let tokens = PythonText.split(s).map(Array.init)
        var out = Scalars()
        out.reserveCapacity(s.count + 8)
        for (i, token) in tokens.enumerated() {
            if i > 0 { out.append(0x20) }
            guard token.count >= 2, token[token.count - 1] == 0x2E else { out += token; continue }
            let prefix = Array(token.dropLast())
            let next = i + 1 < tokens.count ? tokens[i + 1] : nil
            let keeps = (prefix.contains(0x2E) && prefix.contains { MosesCharacterSet.alpha.contains($0) || isCJKLetter($0) })
                || (prefixes.all.contains(prefix) && !prefixes.numericOnly.contains(prefix))
                || (next.map { MosesCharacterSet.lower.contains($0[0]) } ?? false)
            let beforeNumber = prefixes.numericOnly.contains(prefix) && (next.map { $0[0] >= 0x30 && $0[0] <= 0x39 } ?? false)
            if keeps || beforeNumber {
                out += token
            } else {
                out += prefix + [0x20, 0x2E]
            }
        }
        return out
    }

    /// `replace_multidots`: a run of k ≥ 2 periods becomes " " + "DOT" × k + "MULTI", and a space
    /// after it unless it ends the line.
    static func replaceMultidots(_ s: Scalars) -> Scalars {
        var out = Scalars()
        out.reserveCapacity(s.count + 16)
        var i = 0
        while i < s.count {
            guard s[i] == 0x2E, i + 1 < s.count, s[i + 1] == 0x2E else { out.append(s[i]); i += 1; continue }
            var j = i
            while j < s.count && s[j] == 0x2E { j += 1 }
            out.append(0x20)
            for _ in i..<j { out += dot }
            out += multi
            if j < s.count { out.append(0x20) }
            i = j
        }
        return out
    }

    /// `restore_multidots`: each `(?:DOT)+MULTI` becomes that many periods.
    static func restoreMultidots(_ s: Scalars) -> Scalars {
        var out = Scalars()
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            var j = i, dots = 0
            while j + 3 <= s.count && s[j..<(j + 3)].elementsEqual(dot) { j += 3; dots += 1 }
            if dots > 0 && j + 5 <= s.count && s[j..<(j + 5)].elementsEqual(multi) {
                out += Scalars(repeating: 0x2E, count: dots)
                i = j + 5
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    private static let dot: Scalars = [0x44, 0x4F, 0x54]
    private static let multi: Scalars = [0x4D, 0x55, 0x4C, 0x54, 0x49]
}
