import Foundation
import FuzzSupport
import S2SEval

// `s2s evaluate`'s inputs on arbitrary bytes: hypothesis and reference files (split at the
// first NUL) read as UTF-8 lines, then BLEU (every tokenizer that needs no MeCab, picked by the
// first byte), chrF/chrF++ and TER. Either a clear error (file and line) or finite scores in
// range; BLEU of the references against themselves is 100 when any n-gram is scored.

private let tokenizers = BLEUTokenizer.available

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvaluate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzSupport.buffer(data, size)
    guard let selector = input.first else { return 0 }
    let body = Array(input.dropFirst())
    let cut = body.firstIndex(of: 0) ?? body.count
    guard let hypotheses = try? TextLines.split(Data(body[..<cut]), path: "hyp"),
          let references = try? TextLines.split(Data(body[min(cut + 1, body.count)...]), path: "ref") else { return 0 }
    let tokenizer = tokenizers[Int(selector) % tokenizers.count]
    let bleu = BLEU(lowercase: selector & 0x10 != 0, tokenizer: tokenizer)
    let chrf = CHRF(wordOrder: selector & 0x20 != 0 ? 2 : 0, lowercase: selector & 0x10 != 0)
    let ter = TER(normalized: selector & 0x40 != 0, noPunct: selector & 0x80 != 0, asianSupport: selector & 0x40 != 0)
    guard let b = try? bleu.corpusScore(hypotheses: hypotheses, references: references) else {
        FuzzSupport.check(hypotheses.count != references.count, "BLEU refused equal-length inputs")
        return 0
    }
    FuzzSupport.check(b.score.isFinite && b.score >= 0 && b.score <= 100.0001, "BLEU \(b.score)")
    if let c = try? chrf.corpusScore(hypotheses: hypotheses, references: references) {
        FuzzSupport.check(c.score.isFinite && c.score >= 0 && c.score <= 100.0001, "chrF \(c.score)")
    }
    if let t = try? ter.corpusScore(hypotheses: hypotheses, referenceSets: [references]) {
        FuzzSupport.check(t.score.isFinite && t.score >= 0, "TER \(t.score)")
    }
    if let same = try? bleu.corpusScore(hypotheses: references, references: references), same.totals.allSatisfy({ $0 > 0 }) {
        FuzzSupport.check(abs(same.score - 100) < 1e-6, "BLEU of references against themselves \(same.score)")
    }
    return 0
}

@_cdecl("FuzzEvaluate_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    return FuzzSupport.main(argc, argv, fuzzEvaluate)
}
