import FuzzSupport
import S2SText

// The BPE codes loader (subword-nmt format) on arbitrary bytes: either a clear error or codes
// that serialize and parse back to themselves, and whose merges segment words into pieces that
// concatenate back to the word.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBPECodes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(FuzzSupport.buffer(data, size))
    guard let codes = try? BPECodes.parse(bytes, file: "fuzz.codes") else { return 0 }
    let again = try? BPECodes.parse(codes.serialized(), file: "fuzz.codes")
    FuzzSupport.check(again == codes, "codes do not survive serialize → parse")
    let bpe = BPE(codes: codes)
    // Words made of the codes' own symbols, so merges actually fire.
    var words: [String] = []
    for merge in codes.merges.prefix(16) {
        words.append(merge.left + merge.right)
        words.append((merge.left + merge.right).replacingOccurrences(of: "</w>", with: ""))
    }
    for word in words where !word.isEmpty {
        let pieces = bpe.segment(word)
        FuzzSupport.check(pieces.joined() == word, "\(word.debugDescription) → \(pieces)")
        _ = bpe.applyLine(word + " " + word)
    }
    return 0
}

@_cdecl("FuzzBPECodes_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    return FuzzSupport.main(argc, argv, fuzzBPECodes)
}
