import Testing
@testable import S2SText

/// The applier against subword-nmt 0.3.8's `apply_bpe`, and its fast path against its plain one.
@Suite struct BPEApplyTests {
    @Test func sameSegmentationAsApplyBPE() throws {
        let bpe = BPE(codes: try BPECodes.load(path: Fixture.path("train.en.codes2000")))
        let input = try Fixture.text("val200.en").split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let expected = try Fixture.text("val200.en.bpe2000").split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(input.count == 200 && expected.count == 200)
        for (k, (line, want)) in zip(input, expected).enumerated() {
            #expect(bpe.applyLine(String(line)) == String(want), "line \(k + 1)")
        }
        #expect(bpe.cachedWords > 0)
    }

    @Test func piecesConcatenateToTheWord() throws {
        let bpe = BPE(codes: try BPECodes.load(path: Fixture.path("train.en.codes2000")))
        for word in ["walking", "▁Straße", "x", "", "unbelievably", "🙂🙂"] {
            #expect(bpe.segment(word).joined() == word)
        }
        #expect(bpe.segment("x") == ["x"])
        #expect(bpe.segment("") == [])
    }

    /// Random codes and words over a tiny alphabet, so merges overlap, repeat and chain: the
    /// heap-based loop must give the rounds' result on every word.
    @Test func heapPathMatchesRounds() {
        var rng = SplitMix(seed: 42)
        let alphabet = ["a", "b", "c"]
        for trial in 0..<60 {
            var symbols = alphabet + alphabet.map { $0 + "</w>" }
            var merges: [BPEMerge] = []
            for _ in 0..<(5 + trial % 20) {
                let l = symbols[Int(rng.next() % UInt64(symbols.count))]
                let r = symbols[Int(rng.next() % UInt64(symbols.count))]
                guard !l.hasSuffix("</w>") else { continue }
                merges.append(BPEMerge(l, r))
                symbols.append(l + r)
            }
            let table = BPETable(BPECodes(merges: merges))
            for _ in 0..<20 {
                let length = 2 + Int(rng.next() % 120)
                let scalars = (0..<length).map { _ in Unicode.Scalar(UInt8(97 + rng.next() % 3)) }
                var extra: [String] = []
                let start = table.initialSymbols(scalars, extra: &extra)
                var rounds = start, heap = start
                table.mergeRounds(&rounds)
                table.mergeWithHeap(&heap)
                #expect(rounds == heap, "trial \(trial): \(String(String.UnicodeScalarView(scalars)))")
            }
        }
    }

    @Test func dropoutKeepsTheWordAndVaries() throws {
        let bpe = BPE(codes: try BPECodes.load(path: Fixture.path("train.en.codes2000")))
        var rng = SplitMix(seed: 7)
        let plain = bpe.segment("photographers")
        var seen = Set<[String]>()
        for _ in 0..<50 {
            let pieces = bpe.segment("photographers", dropout: 0.3, using: &rng)
            #expect(pieces.joined() == "photographers")
            seen.insert(pieces)
        }
        #expect(seen.count > 1)
        #expect(bpe.segment("photographers", dropout: 0, using: &rng) == plain)
        // Dropout 1 drops every merge: single characters.
        #expect(bpe.segment("photographers", dropout: 1, using: &rng).count == "photographers".count)
        #expect(bpe.segment("photographers") == plain, "dropout must not pollute the cache")
    }

    @Test func codesFileRoundTripAndErrors() throws {
        let bytes = try FileBytes.read(Fixture.path("train.en.codes500"))
        let codes = try BPECodes.parse(bytes, file: "c")
        #expect(codes.merges.count == 500 && codes.version == .v02)
        #expect(codes.serialized() == bytes)
        #expect(throws: TextError.badCodes(file: "c", line: 3, reason: "expected two symbols separated by one space, found 'a b c'")) {
            try BPECodes.parse(Array("#version: 0.2\nt h\na b c\n".utf8), file: "c")
        }
        #expect(throws: TextError.badCodes(file: "c", line: 2, reason: "invalid UTF-8")) {
            try BPECodes.parse([0x61, 0x20, 0x62, 0x0A, 0xFF, 0x20, 0x62], file: "c")
        }
        #expect(throws: TextError.self) { try BPECodes.parse(Array("#version: 9.9\n".utf8), file: "c") }
        let v01 = try BPECodes.parse(Array("t h\nth e\n".utf8), file: "c")
        #expect(v01.version == .v01 && v01.merges == [BPEMerge("t", "h"), BPEMerge("th", "e")])
        #expect(BPE(codes: v01).segment("the") == ["the"])
    }
}

/// A tiny seeded generator for tests (the real one lives in S2SNumerics, which S2SText does not import).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
