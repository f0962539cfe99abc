/// sacrebleu's `zh` tokenizer: strip the line, put spaces around every "Chinese character",
/// then apply 13a's regular expressions (without 13a's padding and entity handling).
///
/// "Chinese character" is sacrebleu's `_is_chinese_char`, which compares one-character strings
/// with the bounds of `_UCODE_RANGES`. Two of those bounds are written `u'\u20000'` and
/// `u'\u2f800'`, which Python reads as two characters ("\u2000" + "0"), so the intended
/// Extension B range actually admits U+2001…U+2A6D (general punctuation, arrows, symbols,
/// dingbats…) and Extension B itself is not included. The ranges below are the ones sacrebleu
/// 2.6.0 really tests, enumerated over every code point and merged.
enum TokenizerZh {
    static func tokens(_ line: Scalars) -> [ArraySlice<UInt32>] {
        var start = 0, end = line.count
        while start < end && PythonText.isSpace(line[start]) { start += 1 }
        while end > start && PythonText.isSpace(line[end - 1]) { end -= 1 }
        var spaced = Scalars()
        spaced.reserveCapacity((end - start) * 3)
        for c in line[start..<end] {
            if isChinese(c) {
                spaced.append(0x20); spaced.append(c); spaced.append(0x20)
            } else {
                spaced.append(c)
            }
        }
        return Tokenizer13a.regexpTokens(spaced)
    }

    /// Inclusive ranges, sorted and disjoint.
    static let chineseRanges: [ClosedRange<UInt32>] = [
        0x2001...0x2A6D, 0x2E80...0x2FDF, 0x2FF0...0x303F, 0x3100...0x312F, 0x31A0...0x31EF,
        0x3200...0x4DB5, 0x4E00...0x9FBB, 0xF900...0xFA2D, 0xFA30...0xFA6A, 0xFA70...0xFAD9,
        0xFE10...0xFE1F, 0xFE30...0xFE4F, 0xFF00...0xFFEF,
    ]

    static func isChinese(_ c: UInt32) -> Bool {
        guard c >= 0x2001 && c <= 0xFFEF else { return false }
        for r in chineseRanges {
            if c < r.lowerBound { return false }
            if c <= r.upperBound { return true }
        }
        return false
    }
}
