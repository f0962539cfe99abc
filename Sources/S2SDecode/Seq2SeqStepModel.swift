import S2SModel
import S2SNumerics

/// Lets the search strategies drive the seq2seq model: the encoder runs once per batch of
/// sentences, and every row (a sentence, or one beam of it) carries its own decoder state and
/// points at its sentence's encoder states, so beams share the encoding.
///
/// The step engine (`Seq2SeqDecoder`) is kept between batches so its buffers are reused; a
/// step model therefore runs one search at a time (as the model itself: one per thread).
package struct Seq2SeqStepModel: StepModel {
    package let model: Seq2SeqModel
    private let decoder: Seq2SeqDecoder

    /// With a shortlist, each batch scores only its candidate tokens (see `Shortlist`).
    package let shortlist: Shortlist?

    package init(model: Seq2SeqModel, shortlist: Shortlist? = nil) {
        self.model = model
        self.shortlist = shortlist
        decoder = Seq2SeqDecoder(model: model)
    }

    package typealias State = Seq2SeqDecoder

    package var targetVocabularySize: Int { model.config.targetVocabulary }

    package func begin(sources: [[Int32]]) throws -> Seq2SeqDecoder {
        decoder.begin(try model.encode(sources: sources))
        decoder.restrictOutput(to: shortlist?.candidates(for: sources))
        return decoder
    }

    package func reserve(_ state: inout Seq2SeqDecoder, rows: Int) {
        state.reserve(rows: rows, sourceLength: state.source?.sourceLength ?? 1)
    }

    package func advance(_ state: inout Seq2SeqDecoder, previous: [Int32]) -> StepOutput {
        state.step(previous: previous)
        return StepOutput(logits: state.logits, attention: state.attention)
    }

    package func reorder(_ state: inout Seq2SeqDecoder, rows: [Int32]) {
        state.reorder(parents: rows)
    }
}
