import Testing
import Foundation
@testable import S2SText

/// Vocabulary order, file round trip, validation errors and hashes.
@Suite struct VocabularyTests {
    static let counts: [ExactString: Int] = ["▁the": 10, "▁a": 10, "b": 3, "é": 3, "e\u{301}": 3, "z": 1, "<unk>": 7]

    @Test func orderSpecialsThenFrequencyThenCodePoints() {
        let v = Vocabulary.build(counts: Self.counts, minCount: 1)
        // Ties: "b" (U+0062) < "e\u{301}" (U+0065 …) < "é" (U+00E9) < "▁a" < "▁the" (U+2581).
        #expect(v.tokens == ["<pad>", "<unk>", "<s>", "</s>", "▁a", "▁the", "b", "e\u{301}", "é", "z"])
        #expect(v.counts == [0, 0, 0, 0, 10, 10, 3, 3, 3, 1])
        #expect(v.id("é") == 8 && v.id("e\u{301}") == 7, "canonically equivalent spellings keep their own ids")
        #expect(v.id("never seen") == SpecialTokens.unk)
        #expect(v.id("<unk>") == SpecialTokens.unk)
        #expect(v.token(5) == "▁the" && v.token(99) == "<unk>")
        #expect(SpecialTokens.pad == 0 && SpecialTokens.unk == 1 && SpecialTokens.bos == 2 && SpecialTokens.eos == 3)
    }

    @Test func minCountAndMaxSize() {
        #expect(Vocabulary.build(counts: Self.counts, minCount: 3).tokens.count == 4 + 5)
        let cut = Vocabulary.build(counts: Self.counts, minCount: 1, maxSize: 6)
        #expect(cut.tokens == ["<pad>", "<unk>", "<s>", "</s>", "▁a", "▁the"])
        let coverage = cut.coverage(of: Self.counts)
        #expect(coverage.tokens == 37 && coverage.unknown == 17)
        #expect(abs(coverage.unknownShare - 17.0 / 37.0) < 1e-12)
    }

    @Test func fileRoundTripAndHash() throws {
        let v = Vocabulary.build(counts: Self.counts)
        let dir = try Fixture.temporaryDirectory()
        let path = "\(dir)/x.vocab"
        try v.write(to: path)
        let bytes = try FileBytes.read(path)
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("<pad>\t0\n<unk>\t0\n<s>\t0\n</s>\t0\n▁a\t10\n"))
        let back = try Vocabulary.load(path: path)
        #expect(back.tokens == v.tokens && back.counts == v.counts)
        #expect(back.contentHash == v.contentHash && back.contentHash == SHA256.hex(bytes))
        #expect(v.contentHash.count == 64)
        #expect(Vocabulary.build(counts: ["x": 2]).contentHash != Vocabulary.build(counts: ["y": 2]).contentHash)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["x.vocab"], "no temp file left")
    }

    /// Each malformed file gives an error naming the file and the line.
    @Test(arguments: [
        ("", 1, "the file is empty"),
        ("<pad>\t0\n<unk>\t0\n<s>\t0\n", 4, "missing special token </s>"),
        ("<unk>\t0\n", 1, "expected the special token <pad> on line 1"),
        ("<pad>\t0\n<unk>\t0\n<s>\t0\n</s>\t0\na\t1\na\t1\n", 6, "duplicate token 'a' (first on line 5)"),
        ("<pad>\t0\n<unk>\t0\n<s>\t0\n</s>\t0\na\t-1\n", 5, "is not a non-negative integer"),
        ("<pad>\t0\n<unk>\t0\n<s>\t0\n</s>\t0\na\tmany\n", 5, "is not a non-negative integer"),
        ("<pad>\t0\n<unk>\t0\n<s>\t0\n</s>\t0\na 1\n", 5, "found no tab"),
        ("<pad>\t0\n<unk>\t0\n<s>\t0\n</s>\t0\na\t1\t2\n", 5, "found 2 tabs"),
        ("<pad>\t0\n<unk>\t0\n<s>\t0\n</s>\t0\n\t1\n", 5, "empty token"),
        ("<pad>\t0\r\n<unk>\t0\n", 1, "is not a non-negative integer"),
        ("<pad>\t0\n<unk>\t0\n<s>\t0\n</s>\t0\na\t1", 5, "no newline"),
        ("#version: 0.2\nt h\n", 1, "found no tab"),
    ])
    func malformedFilesAreRejected(text: String, line: Int, reason: String) {
        let result = Result { () throws(TextError) in try Vocabulary.parse(Array(text.utf8), file: "v.vocab") }
        guard case let .failure(error) = result, case let .badVocabulary(file, l, r) = error else {
            Issue.record("accepted \(text.debugDescription) or failed otherwise: \(result)")
            return
        }
        #expect(file == "v.vocab" && l == line)
        #expect(r.contains(reason), "\(r)")
        #expect(error.description.hasPrefix("v.vocab:\(line): not a valid vocabulary: "))
    }

    @Test func invalidUTF8InAVocabulary() throws {
        var bytes = Array("<pad>\t0\n<unk>\t0\n<s>\t0\n</s>\t0\n".utf8)
        bytes += [0x61, 0xC3, 0x28, 0x09, 0x31, 0x0A]
        #expect(throws: TextError.badVocabulary(file: "v", line: 5, reason: "invalid UTF-8")) {
            try Vocabulary.parse(bytes, file: "v")
        }
        #expect(throws: TextError.self) { try Vocabulary.load(path: "/nonexistent/v.vocab") }
    }

    @Test func sha256KnownVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var h = SHA256()
        for _ in 0..<1000 { h.update(Array(repeating: UInt8(ascii: "a"), count: 1000)) }
        #expect(h.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
