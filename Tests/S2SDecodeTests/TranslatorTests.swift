#if canImport(Glibc)
import Glibc
#endif
import Foundation
import S2SBundle
import S2SText
import Testing
import S2SModel
@testable import S2SDecode

/// A translator over a freshly saved and re-loaded model directory.
private func loadTranslator(_ scratch: Scratch, configure: (inout Translator.Settings) -> Void = { _ in }) throws -> Translator {
    let bundle = try makeModelBundle(in: scratch.path)
    let (model, pipelines, _) = try ModelBundle.load(directory: bundle)
    var settings = Translator.Settings()
    settings.options.beamSize = 3
    settings.options.maxLengthCap = 12
    settings.batchSize = 4
    configure(&settings)
    return Translator(model: model, pipelines: pipelines, settings: settings)
}

private let veryLong = Array(repeating: "A little girl climbs into a wooden playhouse.", count: 400).joined(separator: " ")

@Test func everyLineGivesOneResultInOrderBlankLinesEmpty() throws {
    let scratch = try Scratch()
    let translator = try loadTranslator(scratch) { $0.maxSourceTokens = 60 }
    let texts = ["Two young guys with shaggy hair look at their hands.", "", "   \t ", veryLong,
                 "A man in a blue shirt.", "\u{00A0}", "Several men in hard hats are operating a giant pulley system."]
    let lines = texts.enumerated().map { Translator.Line(text: $1, number: $0 + 1) }
    let results = translator.translate(lines)
    #expect(results.count == texts.count)
    #expect(results.map(\.source) == texts)
    for i in [1, 2, 5] { #expect(results[i].text == "" && results[i].candidates.isEmpty) }
    for i in [0, 3, 4, 6] { #expect(results[i].candidates.count == 1) }
    #expect(results[3].warnings.count == 1 && results[3].warnings[0].contains("line 4"))
    #expect(results.enumerated().allSatisfy { $0.offset == 3 || $0.element.warnings.isEmpty })
    // The same line alone translates the same way as inside a sorted, batched window.
    let alone = translator.translate([lines[6]])
    #expect(alone[0].text == results[6].text)
    #expect(abs(alone[0].candidates[0].score - results[6].candidates[0].score) < 1e-4)
}

@Test func nBestCandidatesAreSortedAndDistinct() throws {
    let scratch = try Scratch()
    let translator = try loadTranslator(scratch) {
        $0.options.beamSize = 4
        $0.options.nBest = 4
        $0.options.minLength = 2
    }
    let results = translator.translate(["A dog runs on the beach.", "Two women are sitting."].enumerated().map {
        Translator.Line(text: $1, number: $0 + 1)
    })
    for r in results {
        #expect(r.candidates.count == 4)
        #expect(zip(r.candidates, r.candidates.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(Set(r.candidates.map(\.text)).count == r.candidates.count)
    }
}

@Test func unknownWordsCopyTheMostAttendedSourceWord() throws {
    let scratch = try Scratch()
    let translator = try loadTranslator(scratch) {
        $0.replaceUnknown = true
        $0.keepAttention = true
        $0.strategy = .greedy
        $0.options.maxLengthCap = 5
    }
    // Make `<unk>` the model's only answer: every output token must then be replaced.
    let bias = try #require(translator.model.decoder.output.vocabulary.bias?.value)
    bias.data[Int(SpecialTokens.unk)] = 1000
    bias.bumpVersion()
    let r = translator.translate([Translator.Line(text: "Zyxwv qqqq dog.", number: 1)])[0]
    #expect(r.sourcePieces.last == "</s>")
    #expect(r.outputPieces.count == 5)
    #expect(r.attention.count == r.outputPieces.count)
    #expect(r.attention.allSatisfy { $0.count == r.sourcePieces.count })
    let words = try translator.pipelines.source.tokenizer.tokenize("Zyxwv qqqq dog.")
    let segmented = words.flatMap { w in (translator.pipelines.source.bpe?.segment(w) ?? [w]).map { _ in w } }
    for (piece, row) in zip(r.outputPieces, r.attention) {
        let best = (0..<segmented.count).max { row[$0] < row[$1] }!
        let word = segmented[best]
        #expect(piece == "▁" + (word.hasPrefix("▁") ? String(word.dropFirst()) : word))
    }
    #expect(!r.text.contains("<unk>"))
}

/// Streaming mode translates lines that arrived together as one batch (up to the batch size)
/// and gives exactly what batched mode gives; it never waits for a batch to fill
/// (`unbufferedAnswersEachLineBeforeTheNextArrives` checks that over a live pipe).
@Test func streamingWorksOffABacklogInBatchesOfTheBatchSize() throws {
    let scratch = try Scratch()
    let translator = try loadTranslator(scratch) { $0.options.beamSize = 2 }  // batchSize 4
    let texts = (0..<10).map { "A dog number \($0) runs in the park." }
    func translate(streaming: Bool) throws -> (lines: [String], calls: Int) {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let bytes = Array(texts.joined(separator: "\n").utf8) + [10]
        #expect(bytes.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) } == bytes.count)
        close(fds[1])  // all ten lines are waiting before the first read
        defer { close(fds[0]) }
        var out: [String] = [], calls = 0
        let stream = TranslationStream(translator: translator, format: .text, streaming: streaming, window: 100)
        try stream.run(input: LineInput(fileDescriptor: fds[0]), write: { line, _ in out.append(line) },
                       warn: { _ in }, beforeBatch: { calls += 1 })
        return (out, calls)
    }
    let streamed = try translate(streaming: true), batched = try translate(streaming: false)
    #expect(streamed.lines.count == 10)
    #expect(streamed.lines == batched.lines)
    #expect(streamed.calls == 3)  // 4 + 4 + 2
    #expect(batched.calls == 1)   // one window; the translator batches inside it
}
