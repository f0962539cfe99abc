/// sacrebleu's `char` tokenizer: `" ".join(line)`, which BLEU then splits on whitespace, so
/// every code point that is not Python whitespace is one token. The tokenizer sacrebleu
/// advises for scripts without spaces when no word segmenter is at hand (Thai; Japanese and
/// Korean without MeCab).
enum TokenizerChar {
    static func tokens(_ line: Scalars) -> [ArraySlice<UInt32>] {
        var out: [ArraySlice<UInt32>] = []
        out.reserveCapacity(line.count)
        for i in line.indices where !PythonText.isSpace(line[i]) {
            out.append(line[i..<(i + 1)])
        }
        return out
    }
}
