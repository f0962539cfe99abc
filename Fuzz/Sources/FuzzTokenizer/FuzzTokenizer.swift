import FuzzSupport
import S2SText

// The tokenizer, detokenizer and BPE applier on arbitrary bytes. The first byte picks the
// language, normalization form and case folding; the rest is the line. On every valid UTF-8
// line: detokenize(tokenize(s)) == normalize(s), normalize is idempotent, no piece is empty,
// holds a space or is a bare marker, and BPE pieces concatenate back to their token. Invalid
// UTF-8 only goes through the byte-level detokenizer (which must not crash).

private let languages = ["en", "de", "fr", "ja", "zh", "th", "cs", "ko"]
private let forms: [NormalizationForm] = [.nfkc, .nfc, .none]
nonisolated(unsafe) private var tokenizers: [String: Tokenizer] = [:]
nonisolated(unsafe) private var pipeline: TextPipeline?

private func tokenizer(_ settings: TokenizerSettings) -> Tokenizer {
    let key = "\(settings.language)/\(settings.normalization)/\(settings.lowercase)"
    if let t = tokenizers[key] { return t }
    guard let t = try? Tokenizer(settings) else { fatalError("fuzz harness: tokenizer \(key)") }
    tokenizers[key] = t
    return t
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzSupport.buffer(data, size)
    guard let selector = input.first else { return 0 }
    let body = UnsafeBufferPointer(rebasing: input.dropFirst())
    _ = Detokenizer.detokenize(line: String(decoding: body, as: UTF8.self))
    guard let line = String(validating: body, as: UTF8.self) else { return 0 }

    let settings = TokenizerSettings(language: languages[Int(selector) % languages.count],
                                     normalization: forms[Int(selector / 8) % forms.count],
                                     lowercase: selector & 0x80 != 0)
    let t = tokenizer(settings)
    do {
        let normalized = try t.normalize(line)
        let pieces = try t.tokenize(line)
        let again = try t.normalize(normalized)
        FuzzSupport.check(again == normalized, "normalize not idempotent on \(line.debugDescription)")
        FuzzSupport.check(Detokenizer.detokenize(pieces) == normalized,
                          "round trip \(line.debugDescription) → \(pieces) → \(Detokenizer.detokenize(pieces).debugDescription) ≠ \(normalized.debugDescription)")
        FuzzSupport.check(Detokenizer.detokenize(line: pieces.joined(separator: " ")) == normalized, "line round trip \(line.debugDescription)")
        FuzzSupport.check(pieces.allSatisfy { !$0.isEmpty && !$0.contains(" ") && $0 != Detokenizer.marker }, "bad piece in \(pieces)")

        // BPE on the same line, with the codes and vocabulary of a real (small) pipeline.
        if pipeline == nil { pipeline = try TextPipelinePair(directory: FuzzSupport.vocabularyDirectory).source }
        guard let p = pipeline else { return 0 }
        let sourceTokenizer = tokenizer(p.tokenizer.settings)
        let tokens = try sourceTokenizer.tokenize(line)
        if let bpe = p.bpe {
            for token in tokens {
                let segmented = bpe.segment(token)
                FuzzSupport.check(segmented.joined() == token, "BPE \(token.debugDescription) → \(segmented)")
                FuzzSupport.check(segmented.allSatisfy { !$0.isEmpty }, "empty BPE piece of \(token.debugDescription)")
            }
        }
        let pieced = try p.pieces(line)
        let expected = try sourceTokenizer.normalize(line)
        FuzzSupport.check(Detokenizer.detokenize(pieced) == expected,
                          "pipeline round trip \(line.debugDescription) → \(pieced)")
        let ids = try p.encode(line)
        FuzzSupport.check(ids.count == pieced.count, "ids \(ids.count) ≠ pieces \(pieced.count)")
    } catch {
        // A clear refusal is fine; the property is only that nothing crashes or hangs.
    }
    return 0
}

@_cdecl("FuzzTokenizer_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    // The pipeline is built before the clock of the first input starts (a slow first input
    // under load was reported as a timeout).
    pipeline = try? TextPipelinePair(directory: FuzzSupport.vocabularyDirectory).source
    return FuzzSupport.main(argc, argv, fuzzTokenizer)
}
