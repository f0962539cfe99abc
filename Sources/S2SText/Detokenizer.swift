/// Turns marked tokens or subword pieces back into text: the inverse of `Tokenizer.tokenize`.
///
/// Pieces are concatenated; an unescaped "▁" becomes a space, "\\" a backslash and "\▁" a
/// literal "▁". Spaces are then folded the way `normalize` folds them (no leading, trailing or
/// doubled space), so even a model's odd output ("▁" "▁the") prints as ordinary text.
package enum Detokenizer {
    /// The word-start marker, U+2581 LOWER ONE EIGHTH BLOCK (as in SentencePiece).
    package static let marker = "\u{2581}"
    static let markerBytes: [UInt8] = [0xE2, 0x96, 0x81]

    /// The text that `pieces` (marked tokens or BPE subwords, in order) spell.
    package static func detokenize<S: Sequence>(_ pieces: S) -> String where S.Element: StringProtocol {
        var joined: [UInt8] = []
        for piece in pieces { joined.append(contentsOf: piece.utf8) }
        return decode(joined)
    }

    /// Detokenizes one line of space-separated pieces (the output of `s2s tokenize`).
    package static func detokenize(line: String) -> String {
        decode(line.utf8.filter { $0 != 0x20 })
    }

    /// Decodes the concatenated marked bytes into text.
    static func decode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        var i = 0
        let n = bytes.count
        @inline(__always) func isMarker(_ at: Int) -> Bool {
            at + 2 < n && bytes[at] == 0xE2 && bytes[at + 1] == 0x96 && bytes[at + 2] == 0x81
        }
        @inline(__always) func emit(_ b: UInt8) {
            if pendingSpace {
                if !out.isEmpty { out.append(0x20) }
                pendingSpace = false
            }
            out.append(b)
        }
        while i < n {
            let b = bytes[i]
            if b == 0x5C { // backslash: escapes the next "\" or "▁"; alone it is itself
                if i + 1 < n && bytes[i + 1] == 0x5C {
                    emit(0x5C); i += 2; continue
                }
                if isMarker(i + 1) {
                    emit(0xE2); out.append(0x96); out.append(0x81); i += 4; continue
                }
                emit(0x5C); i += 1; continue
            }
            if isMarker(i) { pendingSpace = true; i += 3; continue }
            if b == 0x20 { pendingSpace = true; i += 1; continue }
            emit(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
