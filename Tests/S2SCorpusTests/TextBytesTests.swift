import Testing
import S2SNumerics
@testable import S2SCorpus

@Suite struct TextBytesTests {
    func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { TextBytes.isValidUTF8($0) } }

    @Test func utf8ValidatorAgreesWithTheStandardLibrary() {
        var rng = PCG32(seed: 11)
        // Random sequences biased towards the interesting bytes (leads, continuations, edges).
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                                 0xE0, 0xED, 0xEE, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x00, 0x20]
        for _ in 0..<20_000 {
            let length = Int(rng.nextUInt32() % 14)
            let bytes = (0..<length).map { _ in alphabet[Int(rng.nextUInt32() % UInt32(alphabet.count))] }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(valid(bytes) == expected, "\(bytes)")
        }
        // Long ASCII runs around a multi-byte character exercise the 8-byte fast path.
        let text = String(repeating: "abcdefg", count: 5) + "é€😀" + String(repeating: "xyz", count: 7)
        #expect(valid(Array(text.utf8)))
        var broken = Array(text.utf8)
        broken[36] = 0x41 // cut the é in half
        #expect(!valid(broken))
    }

    @Test func knownInvalidForms() {
        #expect(!valid([0xC0, 0xAF]))             // overlong "/"
        #expect(!valid([0xE0, 0x80, 0xAF]))       // overlong 3-byte
        #expect(!valid([0xED, 0xA0, 0x80]))       // surrogate
        #expect(!valid([0xF4, 0x90, 0x80, 0x80])) // past U+10FFFF
        #expect(!valid([0xE2, 0x82]))             // truncated
        #expect(valid([0xF4, 0x8F, 0xBF, 0xBF]))  // U+10FFFF
        #expect(valid([]))
    }

    @Test func fnvMatchesPublishedVectors() {
        func fnv(_ s: String) -> UInt64 { TextBytes.withBytes(s) { TextBytes.fnv1a($0) } }
        #expect(fnv("") == 0xCBF2_9CE4_8422_2325)
        #expect(fnv("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(fnv("foobar") == 0x8594_4171_F739_67E8)
        // The pair hash separates the sides: moving text across the boundary changes it.
        let ab = TextBytes.withBytes("ab") { s in TextBytes.withBytes("c") { TextBytes.pairHash(s, $0) } }
        let a_bc = TextBytes.withBytes("a") { s in TextBytes.withBytes("bc") { TextBytes.pairHash(s, $0) } }
        #expect(ab != a_bc)
    }

    @Test func lengths() {
        func words(_ s: String) -> Int { TextBytes.withBytes(s) { TextBytes.wordCount($0) } }
        func chars(_ s: String) -> Int { TextBytes.withBytes(s) { TextBytes.scalarCount($0) } }
        #expect(words("  Ein  Hund\trennt . ") == 4)
        #expect(words("") == 0 && words("   ") == 0)
        #expect(words("私は学生です。") == 1)
        #expect(chars("私は学生です。") == 7)
        #expect(chars("Ça va ?") == 7)
        #expect(TextBytes.withBytes(" \t ") { TextBytes.isBlank($0) })
        #expect(!TextBytes.withBytes(" x ") { TextBytes.isBlank($0) })
    }
}
