import FuzzSupport
import S2SText

// The vocabulary loader on arbitrary bytes: either a clear error or a table whose ids and
// tokens agree and that serializes and parses back to itself.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVocabulary(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(FuzzSupport.buffer(data, size))
    guard let vocabulary = try? Vocabulary.parse(bytes, file: "fuzz.vocab") else { return 0 }
    FuzzSupport.check(vocabulary.count >= SpecialTokens.names.count, "fewer tokens than specials")
    for (i, token) in vocabulary.tokens.enumerated() {
        FuzzSupport.check(vocabulary.id(token) == Int32(i), "id(\(token.debugDescription)) ≠ \(i)")
        FuzzSupport.check(vocabulary.token(Int32(i)) == token, "token(\(i)) ≠ \(token.debugDescription)")
    }
    let again = try? Vocabulary.parse(vocabulary.serialized(), file: "fuzz.vocab")
    FuzzSupport.check(again == vocabulary && again?.tokens == vocabulary.tokens && again?.counts == vocabulary.counts,
                      "vocabulary does not survive serialize → parse")
    _ = vocabulary.token(-1)
    _ = vocabulary.token(Int32(vocabulary.count))
    return 0
}

@_cdecl("FuzzVocabulary_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    return FuzzSupport.main(argc, argv, fuzzVocabulary)
}
